package site

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html from the current templates")

func render(t *testing.T, r Rendered) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Component.Render(context.Background(), &b); err != nil {
		t.Fatalf("%s: render: %v", r.Page.Path, err)
	}
	return b.Bytes()
}

// TestGolden compares every page with its committed rendering, so that a
// template change shows up as a reviewable diff (go test ./site -update).
func TestGolden(t *testing.T) {
	for _, r := range Pages() {
		t.Run(r.Page.Path, func(t *testing.T) {
			got := render(t, r)
			golden := filepath.Join("testdata", strings.TrimSuffix(r.Page.Path, ".html")+".golden.html")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./site -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				lo := max(0, i-60)
				t.Errorf("differs from %s at byte %d:\n got: …%s…\nwant: …%s…\n(run go test ./site -update if the change is intended)",
					golden, i, got[lo:min(len(got), i+60)], want[lo:min(len(want), i+60)])
			}
		})
	}
}

// doc is a parsed page with small query helpers.
type doc struct {
	t    *testing.T
	root *html.Node
}

func parse(t *testing.T, b []byte) doc {
	t.Helper()
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc{t, n}
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func (d doc) all(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range d.root.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func (d doc) tag(name string) []*html.Node {
	return d.all(func(n *html.Node) bool { return n.Data == name })
}

func (d doc) testid(id string) []*html.Node {
	return d.all(func(n *html.Node) bool { v, _ := attr(n, "data-testid"); return v == id })
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestPageFrame checks what every page must have: language, title, one h1,
// the navigation with the current page marked, the mode badge, the "paid
// by" chip, the payment dialog, a favicon, and exactly one module script.
func TestPageFrame(t *testing.T) {
	for _, r := range Pages() {
		t.Run(r.Page.Path, func(t *testing.T) {
			d := parse(t, render(t, r))
			if lang, _ := attr(d.tag("html")[0], "lang"); lang != "en" {
				t.Errorf("html lang = %q", lang)
			}
			if got := text(d.tag("title")[0]); got != r.Page.Title+" · T Backend SDK demo" {
				t.Errorf("title = %q", got)
			}
			if h1 := d.tag("h1"); len(h1) != 1 || text(h1[0]) != r.Page.Title {
				t.Errorf("want one h1 %q, got %d", r.Page.Title, len(h1))
			}
			for _, id := range []string{"mode-badge", "paid-by", "nav", "pay-dialog", "pay-confirm", "pay-cancel", "sdk-banner"} {
				if len(d.testid(id)) != 1 {
					t.Errorf("want one data-testid=%q, got %d", id, len(d.testid(id)))
				}
			}
			links := d.all(func(n *html.Node) bool {
				return n.Data == "a" && n.Parent != nil && n.Parent.Data == "li" && hasAncestor(n, "nav")
			})
			if len(links) != len(navPages) {
				t.Fatalf("nav has %d links, want %d", len(links), len(navPages))
			}
			var current []string
			for i, a := range links {
				href, _ := attr(a, "href")
				if want := r.Page.Root + navPages[i].Path; href != want {
					t.Errorf("nav link %d = %q, want %q", i, href, want)
				}
				if v, ok := attr(a, "aria-current"); ok && v == "page" {
					current = append(current, text(a))
				}
			}
			var wantCurrent []string
			if r.Page.Nav != "" {
				wantCurrent = []string{r.Page.Nav}
			}
			if !slices.Equal(current, wantCurrent) {
				t.Errorf("aria-current on %v, want %v", current, wantCurrent)
			}
			scripts := d.tag("script")
			if len(scripts) != 1 {
				t.Fatalf("want one script, got %d", len(scripts))
			}
			if typ, _ := attr(scripts[0], "type"); typ != "module" {
				t.Errorf("script type = %q", typ)
			}
			if src, _ := attr(scripts[0], "src"); src != r.Page.Root+"assets/js/"+r.Page.Script {
				t.Errorf("script src = %q", src)
			}
			icons := d.all(func(n *html.Node) bool { v, _ := attr(n, "rel"); return n.Data == "link" && v == "icon" })
			if len(icons) != 1 {
				t.Errorf("want one favicon link, got %d", len(icons))
			}
		})
	}
}

func hasAncestor(n *html.Node, tag string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return true
		}
	}
	return false
}

// TestContentSecurityPolicyFit checks that the markup needs nothing the CSP
// forbids: no inline script or event handler, no style attribute or
// element, no javascript: URL, no third-party resource.
func TestContentSecurityPolicyFit(t *testing.T) {
	for _, r := range Pages() {
		t.Run(r.Page.Path, func(t *testing.T) {
			d := parse(t, render(t, r))
			for _, n := range d.all(func(*html.Node) bool { return true }) {
				if n.Data == "style" {
					t.Errorf("<style> element")
				}
				if n.Data == "script" && (n.FirstChild != nil) {
					t.Errorf("inline script: %q", text(n))
				}
				for _, a := range n.Attr {
					switch {
					case a.Key == "style":
						t.Errorf("<%s style=%q>: blocked by style-src", n.Data, a.Val)
					case strings.HasPrefix(a.Key, "on"):
						t.Errorf("<%s %s>: inline handler", n.Data, a.Key)
					case (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(a.Val, "javascript:") || strings.Contains(a.Val, "//")):
						t.Errorf("<%s %s=%q>: not a same-origin relative URL", n.Data, a.Key, a.Val)
					}
				}
			}
		})
	}
}

// TestAccessibleMarkup checks ids are unique, every form control has a
// label, buttons say what they are, and images have alt text.
func TestAccessibleMarkup(t *testing.T) {
	for _, r := range Pages() {
		t.Run(r.Page.Path, func(t *testing.T) {
			d := parse(t, render(t, r))
			ids := map[string]bool{}
			labelled := map[string]bool{}
			for _, n := range d.all(func(*html.Node) bool { return true }) {
				if id, ok := attr(n, "id"); ok {
					if ids[id] {
						t.Errorf("duplicate id %q", id)
					}
					ids[id] = true
				}
				if f, ok := attr(n, "for"); ok && n.Data == "label" {
					labelled[f] = true
				}
			}
			for _, n := range d.all(func(n *html.Node) bool { return n.Data == "input" || n.Data == "select" || n.Data == "textarea" }) {
				id, _ := attr(n, "id")
				_, aria := attr(n, "aria-label")
				if !labelled[id] && !aria && !hasAncestor(n, "label") {
					t.Errorf("<%s id=%q> has no label", n.Data, id)
				}
			}
			for _, ref := range []string{"aria-describedby", "aria-labelledby", "aria-controls"} {
				for _, n := range d.all(func(n *html.Node) bool { _, ok := attr(n, ref); return ok }) {
					v, _ := attr(n, ref)
					for _, id := range strings.Fields(v) {
						if !ids[id] {
							t.Errorf("<%s %s=%q>: no element with id %q", n.Data, ref, v, id)
						}
					}
				}
			}
			for _, b := range d.tag("button") {
				if _, ok := attr(b, "type"); !ok {
					t.Errorf("button %q has no type (a form would submit on it)", text(b))
				}
				if text(b) == "" {
					t.Errorf("button without text")
				}
			}
			for _, img := range d.tag("img") {
				if _, ok := attr(img, "alt"); !ok {
					t.Errorf("img without alt")
				}
			}
		})
	}
}

// TestLinksAndAssetsExist checks every link and asset the pages name, and
// every import of the modules, against what build-site writes.
func TestLinksAndAssetsExist(t *testing.T) {
	pages := map[string]bool{"": true}
	for _, r := range Pages() {
		pages[r.Page.Path] = true
	}
	exists := func(ref string) bool {
		ref = strings.TrimPrefix(ref, "/")
		ref, _, _ = strings.Cut(ref, "#")
		if pages[ref] || strings.HasPrefix(ref, "sdk/") { // sdk/ is the SDK build's, next to the pages
			return true
		}
		_, err := fs.Stat(Assets, ref)
		return err == nil
	}
	for _, r := range Pages() {
		d := parse(t, render(t, r))
		for _, n := range d.all(func(*html.Node) bool { return true }) {
			for _, key := range []string{"href", "src"} {
				if v, ok := attr(n, key); ok && !strings.HasPrefix(v, "#") && !exists(v) {
					t.Errorf("%s: <%s %s=%q> points nowhere", r.Page.Path, n.Data, key, v)
				}
			}
		}
	}
	importRe := regexp.MustCompile(`(?m)^import (?:[^"]*from )?"([^"]+)"`)
	mods, _ := fs.Glob(Assets, "assets/js/*.js")
	if len(mods) == 0 {
		t.Fatal("no modules under assets/js")
	}
	for _, m := range mods {
		b, _ := fs.ReadFile(Assets, m)
		for _, im := range importRe.FindAllStringSubmatch(string(b), -1) {
			target := path.Clean(path.Join(path.Dir(m), im[1]))
			if !exists(target) {
				t.Errorf("%s imports %q, which is not in the build", m, im[1])
			}
		}
		if lines := bytes.Count(b, []byte("\n")); lines > 500 {
			t.Errorf("%s has %d lines; keep modules under 500", m, lines)
		}
	}
}

// TestTokenPresetsAreWellFormed guards the presets' identities.
func TestTokenPresetsAreWellFormed(t *testing.T) {
	hex := regexp.MustCompile(`^[0-9a-f]+$`)
	for _, p := range TokenPresets {
		if len(p.PolicyID) != 56 || !hex.MatchString(p.PolicyID) {
			t.Errorf("%s: policy id %q", p.Ticker, p.PolicyID)
		}
		if len(p.AssetNameHex)%2 != 0 || !hex.MatchString(p.AssetNameHex) {
			t.Errorf("%s: asset name %q", p.Ticker, p.AssetNameHex)
		}
	}
}
