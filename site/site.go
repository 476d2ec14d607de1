// Package site holds the demo's templ pages and their assets. Pages are
// rendered to static HTML by cmd/build-site; behaviour lives in plain ES
// modules under assets/js/ that use the SDK's public interface only, the
// same one a dApp uses.
package site

import (
	"embed"

	"github.com/a-h/templ"
)

// Assets are the pages' scripts, styles and images.
//
//go:embed assets
var Assets embed.FS

// Page describes one static page of the demo.
type Page struct {
	Path        string // output file, e.g. "index.html"
	Title       string // <title> and <h1>
	Nav         string // label in the main navigation ("" = not listed)
	Script      string // module under assets/js/, e.g. "chat.js"
	Description string // <meta name="description">
	// Root prefixes every link and asset: "" (relative, so that dist/ works
	// under any folder of a static host) except for 404.html, which a server
	// answers for any missing path and so needs absolute links.
	Root string
}

// The pages, in navigation order. Links use the .html names so that dist/
// works from any static host, not only serve.go (which also maps /tokens).
var (
	ChatPage = Page{Path: "index.html", Title: "Chat", Nav: "Chat", Script: "chat.js",
		Description: "Streamed chat with reasoning, tool calls, structured output and image input, through the T Backend browser SDK."}
	TokensPage = Page{Path: "tokens.html", Title: "Token analysis", Nav: "Tokens", Script: "tokens.js",
		Description: "Risk and market analysis of Cardano native tokens through the T Backend browser SDK."}
	ImagesPage = Page{Path: "images.html", Title: "Images", Nav: "Images", Script: "images.js",
		Description: "Generate, edit and vary images through the T Backend browser SDK."}
	WalletPage = Page{Path: "wallet.html", Title: "Wallet and payments", Nav: "Wallet", Script: "wallet.js",
		Description: "Connect a CIP-30 wallet and pay per call in ADA, with spending caps and a confirmation for every payment."}
	SettingsPage = Page{Path: "settings.html", Title: "Settings", Nav: "Settings", Script: "settings.js",
		Description: "Mode, base URL, api-key and who pays for the T Backend SDK demo."}
	NotFoundPage = Page{Path: "404.html", Title: "Page not found", Script: "notfound.js",
		Description: "This page does not exist.", Root: "/"}
)

// navPages are the pages listed in the main navigation.
var navPages = []Page{ChatPage, TokensPage, ImagesPage, WalletPage, SettingsPage}

// Rendered pairs a page with its component.
type Rendered struct {
	Page      Page
	Component templ.Component
}

// Pages lists every page build-site renders.
func Pages() []Rendered {
	return []Rendered{
		{ChatPage, Chat()},
		{TokensPage, Tokens()},
		{ImagesPage, Images()},
		{WalletPage, Wallet()},
		{SettingsPage, Settings()},
		{NotFoundPage, NotFound()},
	}
}
