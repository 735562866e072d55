package review

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// planScenarios produces each testdata plan with the real Terraform CLI.
var planScenarios = []struct {
	name string
	plan func(t *testing.T, bin string, env []string) []byte
}{
	{"changes", func(t *testing.T, bin string, env []string) []byte {
		r, _ := newRun(t, bin, env)
		r.apply(changesBefore)
		return r.planJSON(changesAfter)
	}},
	{"unconfirmed", func(t *testing.T, bin string, env []string) []byte {
		r, emu := newRun(t, bin, env)
		r.apply(unconfirmedBefore)
		emu.FailNextTask(emulator.TaskFault{Message: "Error at node opening_hours", Partial: true, AppliedRows: 1})
		r.config(unconfirmedAfter)
		r.run(true, "apply", "-auto-approve", "-input=false", "-no-color")
		return r.planJSON(unconfirmedAfter)
	}},
	{"questions", func(t *testing.T, bin string, env []string) []byte {
		r, _ := newRun(t, bin, env)
		r.apply(questionsBefore)
		return r.planJSON(questionsAfter)
	}},
	{"big", func(t *testing.T, bin string, env []string) []byte {
		r, _ := newRun(t, bin, env)
		r.file("nodes.json", bigBefore)
		r.apply(bigConfig)
		r.file("nodes.json", bigAfter)
		return r.planJSON(bigConfig)
	}},
	{"renames", func(t *testing.T, bin string, env []string) []byte {
		r, _ := newRun(t, bin, env)
		r.apply(renamesBefore)
		return r.planJSON(renamesAfter)
	}},
	{"adopt", func(t *testing.T, bin string, env []string) []byte {
		_, _, plan := adoptScenario(t, bin, env)
		return plan
	}},
}

// adoptScenario fills three domains, makes Terraform forget them, imports one with terraform
// import, and returns the plan JSON of adoptPlan, with the run and emulator to apply it.
func adoptScenario(t *testing.T, bin string, env []string) (*tfRun, *emulator.Server, []byte) {
	r, emu := newRun(t, bin, env)
	r.apply(adoptLive)
	r.run(false, "state", "rm", "haptik_faq_domain.live", "haptik_faq_domain.other", "haptik_faq_domain.archive")
	r.config(adoptArchive)
	r.run(false, "import", "-input=false", "-no-color", "haptik_faq_domain.archive", "acme_archive")
	return r, emu, r.planJSON(adoptPlan)
}

// TestPlansFromTerraform produces every testdata plan with the real CLI, one after the other (on two
// cores, in parallel they take longer in all), and fails when one differs
// from the committed plan (beyond task IDs and the timestamp); -update writes them instead.
func TestPlansFromTerraform(t *testing.T) {
	if os.Getenv("TF_ACC") != "1" {
		t.Skip("TF_ACC=1 runs the Terraform CLI to produce the plans under testdata/")
	}
	bin, env := terraformEnv(t)
	for _, sc := range planScenarios {
		t.Run(sc.name, func(t *testing.T) {
			got := sc.plan(t, bin, env)
			if *update {
				writePlan(t, sc.name, got)
				return
			}
			want := readPlan(t, sc.name)
			if g, w := normalizePlan(t, got), normalizePlan(t, want); g != w {
				t.Errorf("testdata/%s no longer matches what Terraform produces; run go test ./internal/review -update with TF_ACC=1\ngot:\n%.3000s\nwant:\n%.3000s", planFile(sc.name), g, w)
			}
		})
	}
}

// normalizePlan is the part of a plan JSON the renderer reads, with what differs between runs
// (task IDs) blanked.
func normalizePlan(t *testing.T, b []byte) string {
	t.Helper()
	var p struct {
		FormatVersion   string `json:"format_version"`
		Errored         bool   `json:"errored"`
		ResourceChanges any    `json:"resource_changes"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	var blank func(v any)
	blank = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			// Terraform 1.12+ and OpenTofu 1.12+ add the resource identity (before_identity,
			// after_identity, importing.identity); the review does not read it, and 1.11 writes none.
			delete(x, "before_identity")
			delete(x, "after_identity")
			if imp, ok := x["importing"].(map[string]any); ok {
				delete(imp, "identity")
			}
			for k, e := range x {
				if _, ok := e.(string); ok && k == "last_task_id" {
					x[k] = "<task id>"
				}
				// OpenTofu names the provider under its own registry host; the plan is the same.
				if s, ok := e.(string); ok && k == "provider_name" {
					x[k] = strings.Replace(s, "registry.opentofu.org/", "registry.terraform.io/", 1)
				}
				blank(e)
			}
		case []any:
			for _, e := range x {
				blank(e)
			}
		}
	}
	blank(p.ResourceChanges)
	// Other resources' IDs are random (terraform_data).
	rcs, _ := p.ResourceChanges.([]any)
	for _, rc := range rcs {
		m, _ := rc.(map[string]any)
		if m["type"] == ResourceType {
			continue
		}
		c, _ := m["change"].(map[string]any)
		for _, side := range []string{"before", "after"} {
			if s, ok := c[side].(map[string]any); ok && s["id"] != nil {
				s["id"] = "<id>"
			}
		}
	}
	out, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
