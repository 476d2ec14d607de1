package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkWasmSize builds the SDK's wasm with and without inlining in the
// same run and reports both brotli sizes and their ratio: the figure behind
// build.sh's -gcflags=all=-l.
//
//	go test -run x -bench WasmSize ./internal/distpack
func BenchmarkWasmSize(b *testing.B) {
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	sizes := map[string]int{}
	for _, v := range []struct{ name, gcflags string }{{"inlined", ""}, {"no-inlining", "all=-l"}} {
		out := filepath.Join(b.TempDir(), v.name+".wasm")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-gcflags="+v.gcflags, "-o", out, "./wasm")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("build: %v\n%s", err, msg)
		}
		raw, _ := os.ReadFile(out)
		br, _, err := compress(raw)
		if err != nil {
			b.Fatal(err)
		}
		sizes[v.name] = len(br)
		b.ReportMetric(float64(len(br)), v.name+"-brotli-B")
	}
	b.ReportMetric(float64(sizes["no-inlining"])/float64(sizes["inlined"]), "ratio")
}
