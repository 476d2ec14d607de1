#!/usr/bin/env bash
# Builds dist/: the SDK (wasm, loader, typings, wasm_exec.js), the demo site
# rendered from templ, and .br/.gz copies; prints the wasm sizes and fails
# when the wasm is over its 1.0 MB brotli budget.
set -euo pipefail
cd "$(dirname "$0")"
out="${DIST:-dist}"

rm -rf "$out"
mkdir -p "$out/sdk"

go tool templ generate -path site >/dev/null 2>&1
# -gcflags=all=-l turns inlining off: the inlined copies compress badly, and
# without them the wasm is about 10% smaller under brotli (see the note in
# README.md "Size"); the SDK's hot paths are I/O-bound.
GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -gcflags=all=-l -o "$out/sdk/tbackend.wasm" ./wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/sdk/wasm_exec.js"
cp wasm/tbackend.js wasm/tbackend.d.ts "$out/sdk/"
go run ./site/cmd/build-site -out "$out"
go run ./internal/distpack "$out"
echo "built $out/"
