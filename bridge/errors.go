//go:build js && wasm

package bridge

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/tbackend/sdk/bridge/jsutil"
	"github.com/tbackend/sdk/client"
)

// errorClass is tbackend.js's TBackendError, handed over at boot so that
// rejections are instances of the class callers test with instanceof.
var errorClass safejs.Value

// toJSError turns any Go error into a TBackendError instance. Errors that
// are not *client.Error are internal failures of the SDK itself.
func toJSError(err error) safejs.Value {
	var e *client.Error
	if !errors.As(err, &e) {
		if v, ok := jsutil.Thrown(err); ok && isTBackendError(v) {
			return v
		}
		e = &client.Error{Code: client.CodeWalletError, Message: err.Error(), Err: err}
		if errors.Is(err, jsutil.ErrBadArgument) {
			e.Code = client.CodeInvalidRequest
		}
	}
	fields := jsutil.Object(
		"code", string(e.Code),
		"status", e.Status,
		"requestId", e.RequestID,
		"message", e.Message,
	)
	if len(e.Body) > 0 {
		jsutil.Set(fields, "body", bodyValue(e.Body))
	}
	if e.Invoice != nil {
		jsutil.Set(fields, "invoice", invoiceValue(e.Invoice))
	}
	if errorClass.IsUndefined() {
		// Before boot: a plain Error still carries the fields.
		v, _ := jsutil.Get("Error").New(e.Message)
		jsutil.Set(v, "code", string(e.Code))
		return v
	}
	v, nerr := errorClass.New(fields)
	if nerr != nil {
		v, _ = jsutil.Get("Error").New(e.Message)
	}
	return v
}

func isTBackendError(v safejs.Value) bool {
	if errorClass.IsUndefined() || jsutil.Kind(v) != safejs.TypeObject {
		return false
	}
	ok, _ := v.InstanceOf(errorClass)
	return ok
}

// bodyValue is a response body for JavaScript: parsed JSON, else text.
func bodyValue(b []byte) any {
	if json.Valid(b) {
		if v, err := jsonValue(b); err == nil {
			return v
		}
	}
	return string(b)
}

// jsonValue parses JSON text into a JavaScript value with JSON.parse, which
// is faster than building the value from Go piece by piece.
func jsonValue(b []byte) (safejs.Value, error) {
	jsonObj := jsutil.Get("JSON")
	return jsonObj.Call("parse", string(b))
}

// invoiceValue is TBackendError.invoice. Lovelace amounts are decimal
// strings: they can exceed Number.MAX_SAFE_INTEGER.
func invoiceValue(inv *client.Invoice) safejs.Value {
	outputs := make([]any, len(inv.Outputs))
	for i, o := range inv.Outputs {
		outputs[i] = jsutil.Object("address", o.Address, "lovelace", strconv.FormatUint(o.Lovelace, 10))
	}
	return jsutil.Object(
		"invoiceId", inv.ID,
		"network", inv.Network,
		"asset", inv.Asset,
		"amountLovelace", strconv.FormatUint(inv.AmountLovelace, 10),
		"totalLovelace", strconv.FormatUint(inv.TotalLovelace(), 10),
		"payTo", inv.PayTo,
		"outputs", jsutil.Array(outputs),
		"expiresAt", inv.ExpiresAt.UTC().Format(time.RFC3339),
	)
}

func init() { jsutil.ErrorValue = toJSError }
