// Command build-site renders the templ pages to static HTML, copies their
// assets into a dist folder, and writes the static serve-config.json that
// plain static hosts answer (serve.go answers its own instead).
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/a-h/templ"

	"github.com/tbackend/sdk/site"
)

func main() {
	out := flag.String("out", "dist", "output folder")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "build-site:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	for _, p := range site.Pages() {
		if err := render(filepath.Join(out, p.Page.Path), p.Component); err != nil {
			return fmt.Errorf("%s: %w", p.Page.Path, err)
		}
	}
	if err := copyAssets(filepath.Join(out, "assets")); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "serve-config.json"), []byte(staticConfig), 0o644)
}

// staticConfig says "no serve.go here": the pages then talk to the live API
// directly. Shipping it avoids a 404 (and its console error) on static hosts.
const staticConfig = `{"mode":"live"}` + "\n"

func render(path string, c templ.Component) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return c.Render(context.Background(), f)
}

func copyAssets(dst string) error {
	return fs.WalkDir(site.Assets, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, path[len("assets"):])
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := site.Assets.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
