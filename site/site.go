// Package site holds the demo's templ pages and their assets. Pages are
// rendered to static HTML by cmd/build-site; behaviour lives in plain ES
// modules under assets/ that use the SDK's public interface only.
package site

import (
	"embed"

	"github.com/a-h/templ"
)

// Assets are the pages' scripts, styles and images.
//
//go:embed assets
var Assets embed.FS

// Rendered pairs a page with its component.
type Rendered struct {
	Page      Page
	Component templ.Component
}

// Pages lists every page build-site renders.
func Pages() []Rendered {
	return []Rendered{
		{IndexPage, Index()},
	}
}
