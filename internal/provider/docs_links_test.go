package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every relative link in the Markdown a user reads on GitHub (README, DESIGN, CHANGELOG, docs/,
// and the templates docs/ is generated from) names a file that exists: GitHub serves
// docs/guides/x.md, not docs/guides/x.
func TestDocsLinksResolve(t *testing.T) {
	root := "../../"
	files := []string{root + "README.md", root + "DESIGN.md", root + "CHANGELOG.md"}
	for _, dir := range []string{"docs", "templates"} {
		err := filepath.WalkDir(root+dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".md.tmpl")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(f)
		if rel, _ := filepath.Rel(root+"templates", f); !strings.HasPrefix(rel, "..") {
			// A template's links are followed from the page it becomes.
			dir = filepath.Join(root, "docs", filepath.Dir(rel))
		}
		for _, m := range link.FindAllStringSubmatch(string(raw), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			if _, err := os.Stat(filepath.Join(dir, target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, m[1])
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d relative links", checked)
	}
}
