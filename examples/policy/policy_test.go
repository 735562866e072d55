// Package policy tests haptik.rego, the Conftest/OPA policy beside it, with OPA's rego package:
// on node names (TestUnlabeled), and on plans made by the real Terraform CLI against the Haptik
// emulator, as Terraform's plan JSON and as haptik-faq review's JSON summary
// (TestPolicyOnTerraformPlans, which needs TF_ACC=1).
package policy

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

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
	rs, err := rego.New(rego.Query(q), rego.Module("haptik.rego", string(src)),
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
