package client

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	// maxBody bounds a successful body: image answers carry base64 PNGs.
	maxBody = 256 << 20
	// maxErrorBody bounds what an error keeps of a failed response.
	maxErrorBody = 64 << 10
)

// result is a finished exchange: the whole body, or an open stream.
type result struct {
	status    int
	header    Header
	data      []byte
	stream    io.ReadCloser
	requestID string
}

func (r *result) close() {
	if r.stream != nil {
		r.stream.Close()
	}
}

// send runs a call to completion: attempts, retries with backoff, and the
// pay-and-retry loop of a 402.
func (c *Client) send(ctx context.Context, cl *call) (*result, error) {
	if err := cl.validate(); err != nil {
		return nil, err
	}
	header := c.header(cl)
	var pay *payment
	retries := 0
	for {
		res, err := c.exchange(ctx, cl, header)
		if err != nil {
			if err.Code == CodeAborted || retries >= c.maxRetries {
				return nil, err
			}
			if err := c.pause(ctx, c.backoffDelay(retries), cl); err != nil {
				return nil, err
			}
			retries++
			continue
		}
		switch {
		case res.status == 402 && !cl.free && c.payer != nil:
			next, err := c.handle402(ctx, cl, res, pay)
			if err != nil {
				return nil, err
			}
			pay = next
			header = c.header(cl)
			for k, v := range pay.headers() {
				header[k] = v
			}
			continue
		case retryableStatus(res.status) && retries < c.maxRetries:
			delay, ok := retryAfter(res.header.Get("Retry-After"), c.now())
			if !ok {
				delay = c.backoffDelay(retries)
			}
			res.close()
			if err := c.pause(ctx, delay, cl); err != nil {
				return nil, err
			}
			retries++
			continue
		case res.status >= 400:
			if pay != nil && refusesPayment(res.status) {
				c.payer.Settle(pay.invoice.ID, false)
			}
			return nil, c.responseError(res, cl)
		}
		if pay != nil {
			c.payer.Settle(pay.invoice.ID, true)
		}
		return res, nil
	}
}

// exchange performs one attempt. A non-stream body is read whole inside the
// attempt's timeout; a stream's timeout restarts on every read.
func (c *Client) exchange(ctx context.Context, cl *call, header Header) (*result, *Error) {
	timeout := c.timeout
	if cl.cfg.timeout > 0 {
		timeout = cl.cfg.timeout
	}
	actx, cancel := context.WithCancel(ctx)
	a := &attempt{parent: ctx, timeout: timeout, requestID: cl.cfg.requestID}
	a.timer = time.AfterFunc(timeout, func() { a.timedOut.Store(true); cancel() })
	a.stop = func() { a.timer.Stop(); cancel() }

	resp, err := c.transport.RoundTrip(actx, &Request{Method: cl.method, URL: c.url(cl), Header: header, Body: cl.body})
	if err != nil {
		a.stop()
		return nil, a.failure(err)
	}
	res := &result{status: resp.Status, header: resp.Header, requestID: cl.cfg.requestID}
	if res.header == nil {
		res.header = Header{}
	}
	if id := res.header.Get("X-Request-ID"); id != "" {
		res.requestID = id
	}
	if cl.stream && resp.Status/100 == 2 {
		a.body = resp.Body
		res.stream = a
		return res, nil
	}
	limit := int64(maxBody)
	if resp.Status >= 400 {
		limit = maxErrorBody
	}
	res.data, err = io.ReadAll(io.LimitReader(resp.Body, limit))
	resp.Body.Close()
	a.stop()
	if err != nil {
		return nil, a.failure(err)
	}
	return res, nil
}

// attempt tells timeouts from aborts from network failures, and is the
// body of an open stream.
type attempt struct {
	parent    context.Context
	timeout   time.Duration
	timer     *time.Timer
	timedOut  atomic.Bool
	stop      func()
	body      io.ReadCloser
	requestID string
}

func (a *attempt) failure(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch {
	case a.parent.Err() != nil:
		return &Error{Code: CodeAborted, RequestID: a.requestID, Message: "the call was cancelled", Err: a.parent.Err()}
	case a.timedOut.Load():
		return &Error{Code: CodeTimeout, RequestID: a.requestID, Message: "the service did not answer within " + a.timeout.String(), Err: err}
	default:
		return &Error{Code: CodeNetwork, RequestID: a.requestID, Message: "the service could not be reached: " + err.Error(), Err: err}
	}
}

func (a *attempt) Read(p []byte) (int, error) {
	n, err := a.body.Read(p)
	if n > 0 && !a.timedOut.Load() {
		a.timer.Reset(a.timeout)
	}
	if err != nil && err != io.EOF {
		return n, a.failure(err)
	}
	return n, err
}

func (a *attempt) Close() error {
	a.stop()
	return a.body.Close()
}

// pause waits before a retry; cancellation ends the call as aborted.
func (c *Client) pause(ctx context.Context, d time.Duration, cl *call) error {
	if err := c.sleep(ctx, d); err != nil {
		return &Error{Code: CodeAborted, RequestID: cl.cfg.requestID, Message: "the call was cancelled", Err: err}
	}
	return nil
}

// backoffDelay is exponential with equal jitter: half fixed, half random.
func (c *Client) backoffDelay(retry int) time.Duration {
	d := c.backoff << min(retry, 16)
	if d > c.maxBackoff || d <= 0 {
		d = c.maxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// refusesPayment tells the statuses that answer a paid request by refusing
// its payment. Others (401, 403, 404, 408, 413, 429, 5xx) say nothing about
// the payment, which stays valid for a later try.
func refusesPayment(status int) bool {
	return status == 400 || status == 409 || status == 422
}

func retryableStatus(status int) bool {
	return status == 408 || status == 429 || status >= 500
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := time.Parse(time.RFC1123, v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return max(0, min(d, maxRetryAfter)), true
}
