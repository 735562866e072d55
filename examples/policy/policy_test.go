// Package policy tests haptik.rego, the Conftest/OPA policy beside it, with OPA's rego package:
// on node names (TestUnlabeled), and on plans made by the real Terraform CLI against the Haptik
// emulator, as Terraform's plan JSON and as haptik-faq review's JSON summary
// (TestPolicyOnTerraformPlans, which needs TF_ACC=1).
package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// verdict is what the policy answers for one input: Conftest fails on deny and prints warn.
type verdict struct {
	Deny []string `json:"deny"`
	Warn []string `json:"warn"`
}

// query evaluates q against the policy with input and the data document data, and returns the
// result sets.
func query(t *testing.T, q string, input any, data map[string]any) rego.ResultSet {
	t.Helper()
	src, err := os.ReadFile("haptik.rego")
	if err != nil {
		t.Fatal(err)
	}
	if data == nil {
		data = map[string]any{}
	}
	rs, err := rego.New(rego.Query(q), rego.Module("haptik.rego", string(src)), rego.Strict(true),
		rego.Store(inmem.NewFromObject(data)), rego.Input(input)).Eval(context.Background())
	if err != nil {
		t.Fatalf("evaluating %s: %v", q, err)
	}
	return rs
}

// evaluate returns the policy's deny and warn messages for input (a decoded JSON document).
func evaluate(t *testing.T, input any, data map[string]any) verdict {
	t.Helper()
	rs := query(t, `v := {"deny": data.main.deny, "warn": data.main.warn}`, input, data)
	if len(rs) != 1 {
		t.Fatalf("the policy gave %d results, want 1", len(rs))
	}
	b, err := json.Marshal(rs[0].Bindings["v"])
	if err != nil {
		t.Fatal(err)
	}
	var v verdict
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// unlabeled asks the policy whether name is not a label.
func unlabeled(t *testing.T, name string, data map[string]any) bool {
	t.Helper()
	return len(query(t, `data.main.unlabeled(input.name)`, map[string]any{"name": name}, data)) > 0
}

func TestUnlabeled(t *testing.T) {
	labels := []string{"reset_password", "Bad Feedbacks", "पासवर्ड रीसेट", "refund-status-2", "node_types",
		"nodes", "test_login", "FAQ about refunds", "decade", "café"}
	notLabels := []string{"", "   ", "1234", "---", "42_17", "node", "node_12", "Node 3", "FAQ", "faq-7", "new node",
		"Untitled", "untitled #2", "copy", "TEST1", "3f2b8c1e-9a4d-4e1f-8b2a-1c2d3e4f5a6b", "deadbeef01", "१२३"}
	for _, name := range labels {
		if unlabeled(t, name, nil) {
			t.Errorf("%q counts as no label; it is one", name)
		}
	}
	for _, name := range notLabels {
		if !unlabeled(t, name, nil) {
			t.Errorf("%q counts as a label; it is not one", name)
		}
	}
	// placeholder_words replaces the default list.
	custom := map[string]any{"haptik": map[string]any{"placeholder_words": []any{"topic"}}}
	if !unlabeled(t, "topic 4", custom) || unlabeled(t, "node_12", custom) {
		t.Error("data.haptik.placeholder_words does not replace the default placeholder words")
	}
}

// contains reports whether one of msgs contains every part.
func contains(msgs []string, parts ...string) bool {
	return slices.ContainsFunc(msgs, func(m string) bool {
		for _, p := range parts {
			if !strings.Contains(m, p) {
				return false
			}
		}
		return true
	})
}

// TestSameChangesFromPlanAndSummary checks the policy's reading of Terraform's plan JSON against
// haptik-faq review's, on the plans internal/review's tests made with the Terraform CLI (creates,
// updates, destroys, a replacement into another domain, an imported domain) and their JSON
// summaries: the policy must find the same changes in both.
func TestSameChangesFromPlanAndSummary(t *testing.T) {
	plans, err := filepath.Glob("../../internal/review/testdata/*.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, planFile := range plans {
		summaryFile := strings.TrimSuffix(planFile, ".plan.json") + ".json"
		if _, err := os.Stat(summaryFile); err != nil {
			continue
		}
		compared++
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			fromPlan := changesOf(t, readJSON(t, planFile))
			fromSummary := changesOf(t, readJSON(t, summaryFile))
			if len(fromPlan) == 0 {
				t.Fatal("the policy finds no haptik_faq_domain change in the plan")
			}
			if !reflect.DeepEqual(fromPlan, fromSummary) {
				p, _ := json.MarshalIndent(fromPlan, "", "  ")
				s, _ := json.MarshalIndent(fromSummary, "", "  ")
				t.Errorf("the policy reads the plan and its summary differently.\nplan:\n%s\nsummary:\n%s", p, s)
			}
		})
	}
	if compared < 3 {
		t.Fatalf("compared %d plans with their summaries; internal/review/testdata has moved?", compared)
	}
}

// changesOf returns the policy's changes (data.main.changes) read from input, keyed by address,
// their name lists sorted.
func changesOf(t *testing.T, input any) map[string]map[string]any {
	t.Helper()
	rs := query(t, `v := data.main.changes`, input, nil)
	if len(rs) != 1 {
		t.Fatalf("data.main.changes gave %d results, want 1", len(rs))
	}
	out := map[string]map[string]any{}
	for _, c := range rs[0].Bindings["v"].([]any) {
		ch := c.(map[string]any)
		for _, k := range []string{"deactivated", "added"} {
			var names []string
			for _, n := range ch[k].([]any) {
				names = append(names, n.(string))
			}
			slices.Sort(names)
			ch[k] = names
		}
		out[ch["address"].(string)] = ch
	}
	return out
}

func readJSON(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// TestFormatted checks that haptik.rego is as opa fmt writes it.
func TestFormatted(t *testing.T) {
	src, err := os.ReadFile("haptik.rego")
	if err != nil {
		t.Fatal(err)
	}
	got, err := format.Source("haptik.rego", src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, src) {
		t.Errorf("haptik.rego is not formatted as opa fmt writes it; formatted:\n%s", got)
	}
}

// TestDataExample checks that haptik-policy-data.json, the parameters the README shows with
// conftest test --data, sets the policy's parameters.
func TestDataExample(t *testing.T) {
	data, ok := readJSON(t, "haptik-policy-data.json").(map[string]any)
	if !ok {
		t.Fatal("haptik-policy-data.json is not a JSON object")
	}
	want := data["haptik"].(map[string]any)
	rs := query(t, `v := {"max_deactivations": data.main.max_deactivations, "deny_may_deactivate": data.main.deny_may_deactivate,
		"placeholder_words": data.main.placeholder_words}`, map[string]any{}, data)
	if len(rs) != 1 {
		t.Fatalf("got %d results, want 1", len(rs))
	}
	got, err := json.Marshal(rs[0].Bindings["v"])
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantJSON) {
		t.Errorf("with haptik-policy-data.json the parameters are %s, want %s", got, wantJSON)
	}
	if want["max_deactivations"] == json.Number("10") || want["max_deactivations"] == float64(10) {
		t.Error("the example's max_deactivations equals the default, so this test cannot tell whether it is read")
	}
}

// TestNamesText checks how messages count and list nodes: singular and plural, at most 50 names
// then the number left out, none for sensitive nodes.
func TestNamesText(t *testing.T) {
	var names []any
	for i := range 52 {
		names = append(names, fmt.Sprintf("n%02d", i))
	}
	text := func(q string, input map[string]any) string {
		t.Helper()
		rs := query(t, "v := "+q, input, nil)
		if len(rs) != 1 {
			t.Fatalf("%s gave %d results, want 1", q, len(rs))
		}
		return rs[0].Bindings["v"].(string)
	}
	long := text(`data.main.names_text(input.names, 52, false)`, map[string]any{"names": names})
	if !strings.HasPrefix(long, `"n00", "n01", `) || !strings.HasSuffix(long, `"n49" and 2 more`) {
		t.Errorf("52 names: %s", long)
	}
	short := text(`data.main.names_text(input.names, 2, false)`, map[string]any{"names": []any{"b", "a"}})
	if short != `"a", "b"` {
		t.Errorf("2 names: %s", short)
	}
	if got := text(`data.main.names_text(input.names, 52, true)`, map[string]any{"names": names}); got != "52 FAQ nodes, not listed because the nodes are sensitive" {
		t.Errorf("sensitive: %s", got)
	}
	if got := text(`data.main.nodes_text(1, "FAQ")`, nil); got != "1 FAQ node" {
		t.Errorf("one node: %s", got)
	}
}
