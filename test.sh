#!/usr/bin/env bash
# Runs every test: formatting and vet (native and js/wasm), the native Go
# tests, the build (with its wasm size budget), the js/wasm tests under Node,
# and the browser tests in headless Chromium against serve.go's sandbox.
# Installs what the tests need when it is missing (Chromium from Debian,
# npm packages from package-lock.json). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
export TBACKEND_REQUIRE_NODE=1   # tests that need Node or Chromium fail instead of skipping

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "Chromium is missing; install it (apt-get install chromium) or run as root" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "Node.js is missing" >&2; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "gofmt and go vet"
unformatted=$(find . -name '*.go' -not -path './node_modules/*' -not -path './dist/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; exit 1; fi
go vet ./...
GOOS=js GOARCH=wasm go vet ./...
if GOOS=js GOARCH=wasm go list -deps ./wasm | grep -qx 'net/http'; then echo "the wasm binary imports net/http" >&2; exit 1; fi

step "go test (native)"
go test -count=1 ./...

step "build"
./build.sh

tmp=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/serve" serve.go
export SERVE_BIN="$tmp/serve"

step "go test (js/wasm under Node, fetch against serve.go)"
"$SERVE_BIN" -addr 127.0.0.1:0 -dist dist >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/serve.log" >&2; echo "serve.go did not start" >&2; exit 1; }
PATH="$(go env GOROOT)/lib/wasm:$PATH" TBACKEND_TEST_URL="$url" GOOS=js GOARCH=wasm go test -count=1 ./bridge/...
kill "$server_pid"; server_pid=""

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 wasm/ site/

step "all tests passed"
