// Package sandbox is an offline T API: an http.Handler that answers every
// route of the real service (see DESIGN.md) the way the real service does,
// without network, models or market data. serve.go mounts it under /t/ and
// the client's tests run it in httptest.
//
// It validates like FastAPI (422 with pydantic v2 error items, json_invalid
// for a malformed body, 404/405/413 with {"detail": ...}), echoes
// X-Request-ID, answers CORS like the real service, streams real SSE and
// produces real PNG images. Answers are deterministic functions of the input:
// chat restates the message (verbatim: callers must escape it when they render
// it), describes an attached image, and calls a tool when the message says
// "tool" or "token"; token reports use real Cardano token identities with
// illustrative figures, marked sandbox; images are generated patterns or real
// transforms (invert, grayscale, sepia, mirror, tint, hue rotation...) of the
// input pictures.
//
// Pay per call goes through Config.Payments (a PaymentGate, see gate.go): a
// paid route called without an api-key is validated first, then admitted or
// answered by the gate (402). /images/variations is api-key only.
//
// # Sandbox-only headers
//
// These exist only here, to let tests exercise retries against a real server:
//
//	X-Sandbox-Fail: <status>        answer this status (400-599) instead of the route;
//	                                429 and 503 carry Retry-After: 1
//	X-Sandbox-Fail-Times: <n>       with the same X-Request-Id, the first n requests fail
//	                                (default 1), later ones go through normally
//
// The count is kept per X-Request-Id; a request without an X-Request-Id fails
// every time. Both headers are in the sandbox's CORS allow-list, so browser
// tests can send them. Injected failures come before routing and auth.
//
// Limits: chat bodies 35 MB, image edit and variation bodies 100 MB, other
// bodies 1 MB; one decoded image 25 MB and 4096×4096 pixels (413 beyond).
// Concurrent image work is bounded by the number of CPUs.
package sandbox
