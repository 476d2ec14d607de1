// Command distpack writes .br and .gz copies of the compressible files in a
// dist folder and prints the wasm sizes; it fails when the wasm is over its
// brotli budget, so a size regression breaks the build instead of shipping.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

var compressible = map[string]bool{".wasm": true, ".js": true, ".mjs": true, ".css": true, ".html": true, ".svg": true, ".json": true, ".ts": true, ".txt": true}

func main() {
	maxBrotli := flag.Int("max-wasm-brotli", 1_000_000, "fail when a .wasm file compresses to more bytes than this with brotli")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: distpack [-max-wasm-brotli N] DIST")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *maxBrotli); err != nil {
		fmt.Fprintln(os.Stderr, "distpack:", err)
		os.Exit(1)
	}
}

func run(dir string, maxBrotli int) error {
	var over []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[filepath.Ext(path)] {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		br, gz, err := compress(raw)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path+".br", br, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(path+".gz", gz, 0o644); err != nil {
			return err
		}
		if strings.HasSuffix(path, ".wasm") {
			fmt.Printf("%s: raw %d B (%.2f MB), gzip %d B (%.2f MB), brotli %d B (%.2f MB; budget %.2f MB)\n",
				path, len(raw), mb(len(raw)), len(gz), mb(len(gz)), len(br), mb(len(br)), mb(maxBrotli))
			if len(br) > maxBrotli {
				over = append(over, path)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(over) > 0 {
		return fmt.Errorf("over the brotli budget: %s", strings.Join(over, ", "))
	}
	return nil
}

func compress(raw []byte) (br, gz []byte, err error) {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
	if _, err := w.Write(raw); err != nil {
		return nil, nil, err
	}
	if err := w.Close(); err != nil {
		return nil, nil, err
	}
	var g bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), g.Bytes(), nil
}

func mb(n int) float64 { return float64(n) / 1e6 }
