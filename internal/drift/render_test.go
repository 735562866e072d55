package drift

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/faqops/terraform-provider-haptik/internal/review"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata")

// The report on testdata/dashboard.csv, in Markdown and text, is the golden file beside it.
func TestRenderGolden(t *testing.T) {
	export, err := ReadExport(readFile(t, "dashboard.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(export, configured(t))
	for _, tc := range []struct {
		golden string
		format review.Format
	}{{"dashboard.md", review.Markdown}, {"dashboard.txt", review.Text}} {
		got := Render(c, Options{Format: tc.format, Domain: "acme_support", Address: "haptik_faq_domain.support", Overwrites: true})
		path := filepath.Join("testdata", tc.golden)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s differs (go test ./internal/drift -update rewrites it):\n%s", tc.golden, got)
		}
	}
}

func TestRenderCallouts(t *testing.T) {
	export, err := ReadExport(readFile(t, "dashboard-crlf.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(export, configured(t))
	opts := Options{Domain: "acme_support", NodesFile: "nodes.json"}
	for _, tc := range []struct {
		c          Change
		overwrites bool
		hidden     bool
		want, not  []string
	}{
		{c, true, false, []string{Marker, "**2 edited, 2 added, 1 deactivated outside Git**", "> [!CAUTION]\n> **The apply overwrites these 5 changes**",
			"#### ⛔ Added in the dashboard: 2 nodes. The apply deactivates them", "- `promo`: “any offers?”, “discount”",
			"#### Edited in the dashboard: 2 nodes. The apply changes them back", "- `greeting_hi`\n  - Answer 1: ",
			"- `refunds`\n  - Answer 1: Refunds reach your account within <del>7</del><ins>5</ins> working days.\n",
			"#### Deactivated in the dashboard: 1 node. The apply makes it answer again", "- `invoices`\n  - Questions: “Where are my invoices?”"},
			[]string{"Answer 2", "\r", "Question added", "Question removed"}},
		{c, false, false, []string{"> [!WARNING]\n> **The next upload overwrites these 5 changes**: this plan uploads nothing"}, []string{"[!CAUTION]"}},
		{c, true, true, []string{"- `refunds`: _(sensitive value, not shown)_", "- `promo`: _(sensitive value, not shown)_"}, []string{"discount", "Refunds reach"}},
		{Change{Same: 6}, true, false, []string{"**0 edited, 0 added, 0 deactivated outside Git** (the dashboard export of domain `acme_support` compared with `nodes.json`; 6 nodes match).",
			"No changes: Haptik holds the configured nodes."}, []string{"[!", "####"}},
	} {
		opts.Overwrites, opts.Hidden = tc.overwrites, tc.hidden
		out := Render(tc.c, opts)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("the report does not contain %q:\n%s", w, out)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(out, w) {
				t.Errorf("the report contains %q:\n%s", w, out)
			}
		}
	}
}

// A report over the limit keeps the callout and the counts, lists added nodes first, and says how
// many nodes it leaves out.
func TestRenderLimit(t *testing.T) {
	var c Change
	for i := range 3000 {
		n := configured(t)[i%6]
		n.Name = strings.Repeat("x", i%7) + n.Name + string(rune('a'+i%26)) + strings.Repeat("y", i/26)
		c.Added = append(c.Added, n)
		c.Deactivated = append(c.Deactivated, n)
	}
	out := Render(c, Options{Domain: "d", NodesFile: "nodes.json", Overwrites: true})
	// The limit is in characters as GitHub counts them (UTF-16 units), not bytes.
	if len(utf16.Encode([]rune(out))) > review.DefaultLimit || !strings.Contains(out, "[!CAUTION]") || !strings.Contains(out, "**0 edited, 3,000 added, 3,000 deactivated outside Git**") {
		t.Fatalf("%d bytes:\n%.2000s", len(out), out)
	}
	if !strings.Contains(out, "more deactivated nodes not listed here**: this report must fit one comment; run haptik-faq drift -format text to list them all.") {
		t.Fatalf("the report does not say what it left out:\n%s", out[len(out)-2000:])
	}
	if text := Render(c, Options{Format: review.Text, Domain: "d", NodesFile: "nodes.json"}); strings.Contains(text, "not listed here") {
		t.Fatal("the text report leaves nodes out")
	}
}
