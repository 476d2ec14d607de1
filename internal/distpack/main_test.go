package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressesAndEnforcesTheBudget(t *testing.T) {
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("wasm code that repeats "), 4000)
	os.WriteFile(filepath.Join(dir, "a.wasm"), wasm, 0o644)
	os.WriteFile(filepath.Join(dir, "page.html"), []byte("<p>hi</p>"), 0o644)
	os.WriteFile(filepath.Join(dir, "pic.png"), []byte("png"), 0o644)
	if err := run(dir, 1_000_000); err != nil {
		t.Fatal(err)
	}
	br, _ := os.ReadFile(filepath.Join(dir, "a.wasm.br"))
	gz, _ := os.ReadFile(filepath.Join(dir, "a.wasm.gz"))
	fromBr, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	fromGz, _ := io.ReadAll(zr)
	if !bytes.Equal(fromBr, wasm) || !bytes.Equal(fromGz, wasm) {
		t.Error("the compressed copies do not decompress to the file")
	}
	if _, err := os.Stat(filepath.Join(dir, "pic.png.br")); err == nil {
		t.Error("compressed a PNG")
	}
	if _, err := os.Stat(filepath.Join(dir, "page.html.br")); err != nil {
		t.Error("did not compress the page")
	}
	err = run(dir, len(br)-1)
	if err == nil || !strings.Contains(err.Error(), "budget") {
		t.Errorf("over budget: %v", err)
	}
}
