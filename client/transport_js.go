//go:build js && wasm

package client

// The browser build has no default transport: bridge/ supplies fetch.
func defaultTransport() Transport { return nil }
