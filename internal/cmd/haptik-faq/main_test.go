package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReview(t *testing.T) {
	plan := filepath.Join("..", "..", "review", "testdata", "changes.plan.json")
	adopt := filepath.Join("..", "..", "review", "testdata", "adopt.plan.json")
	renames := filepath.Join("..", "..", "review", "testdata", "renames.plan.json")
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	questions := filepath.Join(t.TempDir(), "questions.csv")
	if err := os.WriteFile(questions, []byte("question,expected_node\nI want to return an item,returns\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	qplan := filepath.Join("..", "..", "review", "testdata", "questions.plan.json")
	for _, tc := range []struct {
		args   []string
		stdin  string
		status int
		out    string
		errOut string
	}{
		{[]string{"review"}, string(b), 0, "<!-- haptik-faq-review -->", ""},
		{[]string{"review", plan}, "", 0, "4 nodes will be deactivated", ""},
		{[]string{"review", "-format", "text", plan}, "", 0, "1 renamed, 3 deactivated", ""},
		{[]string{"review", "-format", "json", "-fail-on-deactivation", adopt}, "", exitDeactivation, `"may_deactivate_unlisted": true`, ""},
		{[]string{"review", "-fail-on-deactivation", plan}, "", exitDeactivation, "⛔ Deactivated", ""},
		{[]string{"review", "-fail-on-deactivation", adopt}, "", exitDeactivation, "**Imported domain**", ""},
		{[]string{"review", "-fail-on-deactivation", renames}, "", exitDeactivation, "2 renamed, 2 deactivated", "the plan deactivates 4 nodes (2 of them renamed: Haptik deactivates the old names)"},
		{[]string{"review", "-fail-on-deactivation"}, `{"format_version":"1.2","resource_changes":[]}`, 0, "No FAQ content changes", ""},
		{[]string{"review"}, "not json", exitError, "", ""},
		{[]string{"review", "-format", "html"}, "", exitUsage, "", ""},
		{[]string{"review", "-markdown", "plain", plan}, "", 0, "\n> **Caution:** **4 nodes will be deactivated**", ""},
		{[]string{"review", "-markdown", "gitlab", plan}, "", 0, "\n> [!CAUTION]\n> **4 nodes will be deactivated**", ""},
		{[]string{"review", "-markdown", "bitbucket", plan}, "", exitUsage, "", "-markdown: the Markdown flavor must be github, gitlab, plain, not \"bitbucket\""},
		{[]string{"review", "-questions", questions, qplan}, "", 0, "“I want to return an item” (test question): `refund_status` → `returns`", ""},
		{[]string{"review", "-questions", "no-such-file.csv", qplan}, "", exitUsage, "", ""},
		{[]string{"review", "a", "b"}, "", exitUsage, "", ""},
		{[]string{}, "", exitUsage, "", ""},
	} {
		var stdout, stderr bytes.Buffer
		got := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
		if got != tc.status || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.errOut) {
			t.Errorf("%v: status %d (want %d), output %.300q, stderr %q", tc.args, got, tc.status, stdout.String(), stderr.String())
		}
	}
}
