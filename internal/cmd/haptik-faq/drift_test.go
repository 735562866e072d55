package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/drift"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// planOf is the JSON of a plan whose only change gives haptik_faq_domain.support the nodes of a
// nodes file; uploads says whether the apply uploads them.
func planOf(t *testing.T, nodesJSON []byte, actions string, uploads bool) string {
	t.Helper()
	var nodes any
	if err := json.Unmarshal(nodesJSON, &nodes); err != nil {
		t.Fatal(err)
	}
	after := map[string]any{"domain_name": "acme_support", "nodes": nodes, "last_task_id": "task-1"}
	unknown := map[string]any{}
	if uploads {
		delete(after, "last_task_id")
		unknown["last_task_id"] = true
	}
	b, err := json.Marshal(map[string]any{"format_version": "1.2", "resource_changes": []any{map[string]any{
		"address": "haptik_faq_domain.support", "mode": "managed", "type": "haptik_faq_domain",
		"change": map[string]any{"actions": []string{actions}, "before": after, "after": after, "after_unknown": unknown},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDrift(t *testing.T) {
	testdata := filepath.Join("..", "..", "drift", "testdata")
	export := filepath.Join(testdata, "dashboard.csv")
	crlf := filepath.Join(testdata, "dashboard-crlf.csv")
	nodesFile := filepath.Join(testdata, "configured.json")
	nodesJSON, err := os.ReadFile(nodesFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	uploads := write("uploads.json", planOf(t, nodesJSON, "update", true))
	noop := planOf(t, nodesJSON, "no-op", false)
	configured, err := drift.ReadNodes(nodesJSON)
	if err != nil {
		t.Fatal(err)
	}
	clean := write("clean.csv", string(faqcsv.RenderBytes(configured)))
	bad := write("bad.csv", "node_name,question,answer\r\na,b,c\r\na,d,e\r\n")
	several := filepath.Join("..", "..", "review", "testdata", "changes.plan.json")

	for _, tc := range []struct {
		args        []string
		stdin       string
		status      int
		out, stderr string
	}{
		{[]string{"drift", "-export", export, uploads}, "", exitDrift,
			"> [!CAUTION]\n> **The apply overwrites these 5 changes**", "applying overwrites 5 change(s) made in the dashboard"},
		{[]string{"drift", "-export", crlf}, planOf(t, nodesJSON, "update", true), exitDrift,
			"compared with the plan of `haptik_faq_domain.support`; 3 nodes match", ""},
		{[]string{"drift", "-export", export}, noop, 0, "> [!WARNING]\n> **The next upload overwrites these 5 changes**: this plan uploads nothing", ""},
		{[]string{"drift", "-export", crlf, "-nodes", nodesFile, "-format", "text"}, "", exitDrift, "!! The apply overwrites these 5 changes", ""},
		{[]string{"drift", "-export", export, "-markdown", "plain", uploads}, "", exitDrift, "\n> **Caution:** **The apply overwrites these 5 changes**", ""},
		{[]string{"drift", "-export", export, "-markdown", "gitlab", uploads}, "", exitDrift, "> [!CAUTION]\n> **The apply overwrites these 5 changes**", ""},
		{[]string{"drift", "-export", export, "-markdown", "bitbucket", uploads}, "", exitUsage, "", "-markdown: the Markdown flavor must be github, gitlab, plain"},
		{[]string{"drift", "-export", clean, "-nodes", nodesFile, "-domain", "acme_support"}, "", 0,
			"(the dashboard export of domain `acme_support` compared with `" + nodesFile + "`; 6 nodes match).\n\nNo changes", ""},
		{[]string{"drift", "-export", clean, uploads}, "", 0, "No changes: Haptik holds the configured nodes.", ""},
		{[]string{"drift", "-export", export, "-domain", "acme_billing", several}, "", exitDrift, "compared with the plan of `haptik_faq_domain.billing`", ""},
		{[]string{"drift", "-export", export, several}, "", exitError, "", "name the exported one with -domain"},
		{[]string{"drift", "-export", export, "-domain", "acme_promo", several}, "", exitError, "", "the plan destroys haptik_faq_domain.old_promo"},
		{[]string{"drift", "-export", bad, "-nodes", nodesFile}, "", exitError, "", `bad.csv: line 3: node_name "a" repeats the node of line 2`},
		{[]string{"drift", "-export", export}, "not json", exitError, "", "not the JSON of a Terraform plan"},
		{[]string{"drift", "-export", export}, `{"format_version":"1.2","resource_changes":[{"address":"haptik_faq_domain.x","mode":"managed",` +
			`"type":"haptik_faq_domain","change":{"actions":["create"],"after":{"domain_name":"d"},"after_unknown":{"nodes":true}}}]}`,
			exitError, "", "the planned nodes of haptik_faq_domain.x are known only after apply"},
		{[]string{"drift", "-export", export, "-nodes", export}, "", exitError, "", "is not a JSON object of nodes"},
		{[]string{"drift", uploads}, "", exitUsage, "", "-export names the CSV exported from Haptik's dashboard"},
		{[]string{"drift", "-export", export, "-nodes", nodesFile, uploads}, "", exitUsage, "", "give one plan file, or -nodes, not both"},
		{[]string{"drift", "-export", export, "-format", "html", uploads}, "", exitUsage, "", "-format must be markdown or text"},
		{[]string{"drift", "-export", filepath.Join(dir, "missing.csv"), uploads}, "", exitError, "", "missing.csv"},
	} {
		var stdout, stderr bytes.Buffer
		got := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
		if got != tc.status || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%v: status %d (want %d), output %.600q, stderr %q", tc.args, got, tc.status, stdout.String(), stderr.String())
		}
	}
}
