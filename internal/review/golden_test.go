package review

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planFile is where a scenario's plan JSON is committed; the big one gzipped.
func planFile(name string) string {
	if name == "big" {
		return name + ".plan.json.gz"
	}
	return name + ".plan.json"
}

func readPlan(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", planFile(name)))
	if err != nil {
		t.Fatalf("%v (TF_ACC=1 go test ./internal/review -update writes it)", err)
	}
	if !strings.HasSuffix(planFile(name), ".gz") {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writePlan(t testing.TB, name string, b []byte) {
	t.Helper()
	if strings.HasSuffix(planFile(name), ".gz") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	if err := os.WriteFile(filepath.Join("testdata", planFile(name)), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// golden compares got with testdata/file, or writes it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/review -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the rendering differs from testdata/%s (go test ./internal/review -update rewrites it after review):\n%s", file, firstDifference(got, string(want)))
	}
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}

func itoa(i int) string { return count(i) }

// TestGolden renders every plan the real CLI produced (testdata/*.plan.json) in both formats.
func TestGolden(t *testing.T) {
	for _, sc := range planScenarios {
		t.Run(sc.name, func(t *testing.T) {
			plan := readPlan(t, sc.name)
			md, _, err := Render(plan, Options{Format: Markdown})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, sc.name+".md", md)
			txt, _, err := Render(plan, Options{Format: Text, Limit: DefaultLimit})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, sc.name+".txt", txt)
			gitlab, _, err := Render(plan, Options{Format: Markdown, Flavor: GitLab})
			if err != nil {
				t.Fatal(err)
			}
			if gitlab != md {
				t.Errorf("the GitLab rendering differs from GitHub's:\n%s", firstDifference(gitlab, md))
			}
			plain, _, err := Render(plan, Options{Format: Markdown, Flavor: Plain})
			if err != nil {
				t.Fatal(err)
			}
			if sc.name == "changes" {
				golden(t, sc.name+".plain.md", plain)
			}
			// Unfolded, it still fits one comment.
			if n := chars(plain); n > DefaultLimit {
				t.Errorf("the plain rendering has %d characters, over %d", n, DefaultLimit)
			}
			// Plain Markdown has no alert syntax and no HTML tags.
			for _, tag := range []string{"[!", "<details>", "<summary>", "<del>", "<ins>", "<br>"} {
				if strings.Contains(plain, tag) {
					t.Errorf("the plain rendering holds %q", tag)
				}
			}
		})
	}
}

// The GitOps guide shows the comment of the changes plan; it must be what the command writes.
func TestGuideExampleIsCurrent(t *testing.T) {
	md, _, err := Render(readPlan(t, "changes"), Options{Format: Markdown})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "examples", "gitops", "review-comment.md")
	if *update {
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != md {
		t.Errorf("examples/gitops/review-comment.md is stale (go test ./internal/review -update):\n%s", firstDifference(md, string(b)))
	}
}
