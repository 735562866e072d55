package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The configuration the plans are made from: one domain whose nodes come from nodes.json, and a
// terraform_data resource for a plan that changes no FAQ content. NODES is the nodes' expression
// (harness.config).
const mainTF = `terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

variable "other" {
  type = string
}

locals {
  nodes = jsondecode(file("${path.module}/nodes.json"))
}

resource "haptik_faq_domain" "support" {
  domain_name = "policy-support"
  nodes       = NODES
}

resource "terraform_data" "other" {
  input = var.other
}
`

// harness runs the real Terraform CLI in one working directory against the emulator, with the
// provider and haptik-faq built from the repository.
type harness struct {
	t         *testing.T
	tf        string
	dir, bin  string
	env       []string
	nodeNames []string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the policy on plans from the Terraform CLI (make test-policy)")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform on PATH and TF_ACC_TERRAFORM_PATH is unset")
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	h := &harness{t: t, tf: tf, dir: filepath.Join(tmp, "config"), bin: filepath.Join(tmp, "bin")}
	for _, d := range []string{h.dir, h.bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.CommandContext(t.Context(), "go", "build", "-o", h.bin+string(filepath.Separator),
		".", "./internal/cmd/haptik-emulator", "./internal/cmd/haptik-faq")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider, the emulator and haptik-faq: %v\n%s", err, out)
	}

	addrFile := filepath.Join(tmp, "emulator-url")
	ctx, cancel := context.WithCancel(context.Background())
	emu := exec.CommandContext(ctx, filepath.Join(h.bin, "haptik-emulator"), "-listen", "127.0.0.1:0",
		"-addr-file", addrFile, "-task-duration", "50ms", "-client-id", "policy-client", "-token", "policy-token")
	var emuOut bytes.Buffer
	emu.Stdout, emu.Stderr = &emuOut, &emuOut
	if err := emu.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = emu.Wait()
	})
	var baseURL string
	for deadline := time.Now().Add(30 * time.Second); baseURL == "" && time.Now().Before(deadline); {
		if b, err := os.ReadFile(addrFile); err == nil && len(b) > 0 {
			baseURL = strings.TrimSpace(string(b))
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if baseURL == "" {
		t.Fatalf("the emulator did not start:\n%s", emuOut.String())
	}

	cliConfig := filepath.Join(tmp, "dev.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "faqops/haptik", h.bin)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	h.config("local.nodes")
	h.env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+cliConfig,
		"HAPTIK_BASE_URL="+baseURL, "HAPTIK_CLIENT_ID=policy-client", "HAPTIK_TOKEN=policy-token")
	return h
}

// run runs a command in the configuration's directory and returns its standard output.
func (h *harness) run(name string, args ...string) []byte {
	h.t.Helper()
	cmd := exec.CommandContext(h.t.Context(), name, args...)
	cmd.Dir, cmd.Env = h.dir, h.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// config writes main.tf with nodesExpr as the nodes' expression.
func (h *harness) config(nodesExpr string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, "main.tf"), []byte(strings.Replace(mainTF, "NODES", nodesExpr, 1)), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// setNodes writes nodes.json with a node of each name.
func (h *harness) setNodes(names ...string) {
	h.t.Helper()
	nodes := map[string]any{}
	for _, n := range names {
		nodes[n] = map[string]any{"user_says": []string{"question about " + n}, "bot_says": []string{"The answer about " + n + "."}}
	}
	b, err := json.Marshal(nodes)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "nodes.json"), b, 0o644); err != nil {
		h.t.Fatal(err)
	}
	h.nodeNames = names
}

// plan saves a plan with var.other set to other (and more plan flags) and returns its JSON (terraform show -json), both
// raw and decoded, and haptik-faq review's JSON summary of it, decoded.
func (h *harness) plan(other string, flags ...string) (planJSON []byte, plan, summary any) {
	h.t.Helper()
	h.run(h.tf, append([]string{"plan", "-input=false", "-no-color", "-out=tfplan", "-var", "other=" + other}, flags...)...)
	planJSON = h.run(h.tf, "show", "-json", "tfplan")
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "plan.json"), planJSON, 0o644); err != nil {
		h.t.Fatal(err)
	}
	out := h.run(filepath.Join(h.bin, "haptik-faq"), "review", "-format", "json", "plan.json")
	if err := json.Unmarshal(out, &summary); err != nil {
		h.t.Fatalf("haptik-faq review -format json: %v\n%s", err, out)
	}
	return planJSON, plan, summary
}

func (h *harness) apply(other string) {
	h.t.Helper()
	h.run(h.tf, "apply", "-input=false", "-no-color", "-auto-approve", "-var", "other="+other)
}

// TestPolicyOnTerraformPlans evaluates haptik.rego on plans from the Terraform CLI, each as the
// plan's JSON and as haptik-faq review's summary of it, which must get the same answer.
func TestPolicyOnTerraformPlans(t *testing.T) {
	h := newHarness(t)
	const addr, domain = "haptik_faq_domain.support", `"policy-support"`
	limit3 := map[string]any{"haptik": map[string]any{"max_deactivations": 3}}
	both := func(name string, plan, summary any, data map[string]any, check func(t *testing.T, v verdict)) {
		t.Run(name+"/plan", func(t *testing.T) { check(t, evaluate(t, plan, data)) })
		t.Run(name+"/summary", func(t *testing.T) { check(t, evaluate(t, summary, data)) })
	}
	allows := func(t *testing.T, v verdict) {
		t.Helper()
		if len(v.Deny) > 0 {
			t.Errorf("the policy denies, want allow:\n%s", strings.Join(v.Deny, "\n"))
		}
	}

	// (c) A create over a domain: allowed with a warning, since Haptik deactivates whatever the
	// domain already holds that the upload does not list, and no plan can name it. With
	// deny_may_deactivate it is denied.
	h.setNodes("reset_password", "refund_status", "delivery_time", "cancel_order", "change_address", "talk_to_agent")
	_, plan, summary := h.plan("a")
	both("create", plan, summary, nil, func(t *testing.T, v verdict) {
		allows(t, v)
		if !contains(v.Warn, addr, domain, "a create", "no plan can name them") {
			t.Errorf("no warning that the create may deactivate unlisted nodes:\n%s", strings.Join(v.Warn, "\n"))
		}
	})
	strict := map[string]any{"haptik": map[string]any{"deny_may_deactivate": true}}
	both("create-strict", plan, summary, strict, func(t *testing.T, v verdict) {
		if !contains(v.Deny, addr, domain, "a create") || len(v.Warn) > 0 {
			t.Errorf("with deny_may_deactivate the create is not denied: deny %q, warn %q", v.Deny, v.Warn)
		}
	})
	h.apply("a")

	// (a) An update removing four nodes, more than a limit of three: denied, naming them; under the
	// default limit (10) it is allowed. Terraform calls it an update: a "no deletes" rule passes it.
	h.setNodes("reset_password", "talk_to_agent")
	planJSON, plan, summary := h.plan("a")
	if !strings.Contains(string(planJSON), `"actions":["update"]`) {
		t.Fatalf("removing nodes is not planned as an in-place update:\n%s", planJSON)
	}
	both("remove-4-of-limit-3", plan, summary, limit3, func(t *testing.T, v verdict) {
		if len(v.Deny) != 1 || !contains(v.Deny, addr, domain, "deactivates 4 FAQ nodes", "more than the 3",
			`"cancel_order", "change_address", "delivery_time", "refund_status"`) {
			t.Errorf("the removal of 4 nodes is not denied, naming them:\n%s", strings.Join(v.Deny, "\n"))
		}
		if len(v.Warn) > 0 {
			t.Errorf("unexpected warnings:\n%s", strings.Join(v.Warn, "\n"))
		}
	})
	both("remove-4-default-limit", plan, summary, nil, func(t *testing.T, v verdict) { allows(t, v) })

	// (b) An update removing one node, fewer than the limit: allowed, no warning.
	h.setNodes("reset_password", "refund_status", "delivery_time", "cancel_order", "change_address")
	_, plan, summary = h.plan("a")
	both("remove-1-of-limit-3", plan, summary, limit3, func(t *testing.T, v verdict) {
		allows(t, v)
		if len(v.Warn) > 0 {
			t.Errorf("unexpected warnings:\n%s", strings.Join(v.Warn, "\n"))
		}
	})

	// (d) An update adding nodes without a label: denied, naming those and only those.
	h.setNodes("reset_password", "refund_status", "delivery_time", "cancel_order", "change_address", "talk_to_agent",
		"node_7", "1234", "store_hours")
	_, plan, summary = h.plan("a")
	both("unlabeled", plan, summary, nil, func(t *testing.T, v verdict) {
		if len(v.Deny) != 1 || !contains(v.Deny, addr, domain, `2 added FAQ nodes without a label: "1234", "node_7".`) {
			t.Errorf("the nodes without a label are not denied, naming them:\n%s", strings.Join(v.Deny, "\n"))
		}
	})

	// (e) A plan that changes no FAQ content: allowed, no warning.
	h.setNodes("reset_password", "refund_status", "delivery_time", "cancel_order", "change_address", "talk_to_agent")
	_, plan, summary = h.plan("b")
	both("no-haptik-change", plan, summary, limit3, func(t *testing.T, v verdict) {
		allows(t, v)
		if len(v.Warn) > 0 {
			t.Errorf("unexpected warnings:\n%s", strings.Join(v.Warn, "\n"))
		}
	})

	// Sensitive nodes: the same limit, counted exactly, and no node name in the message.
	h.setNodes("reset_password", "talk_to_agent", "node_9")
	h.config("sensitive(local.nodes)")
	_, plan, summary = h.plan("a")
	both("sensitive", plan, summary, limit3, func(t *testing.T, v verdict) {
		if !contains(v.Deny, addr, domain, "deactivates 4 FAQ nodes", "4 FAQ nodes, not listed because the nodes are sensitive") ||
			contains(v.Deny, "refund_status") || contains(v.Deny, "node_9") {
			t.Errorf("the removal of 4 sensitive nodes is not denied without naming them:\n%s", strings.Join(v.Deny, "\n"))
		}
	})

	// Nodes known only after apply: the plan cannot tell what is deactivated, a warning.
	h.config("jsondecode(terraform_data.other.output)")
	_, plan, summary = h.plan(`{"reset_password": {"user_says": ["reset my password"], "bot_says": ["Use the link."]}}`)
	both("unknown", plan, summary, limit3, func(t *testing.T, v verdict) {
		allows(t, v)
		if !contains(v.Warn, addr, domain, "known only after apply") {
			t.Errorf("no warning that the plan cannot tell:\n%s", strings.Join(v.Warn, "\n"))
		}
	})

	// A destroy deactivates every node of the domain (deletion_policy "deactivate").
	h.config("local.nodes")
	h.setNodes("reset_password", "refund_status", "delivery_time", "cancel_order", "change_address", "talk_to_agent")
	_, plan, summary = h.plan("a", "-destroy")
	both("destroy", plan, summary, limit3, func(t *testing.T, v verdict) {
		if len(v.Deny) != 1 || !contains(v.Deny, addr, domain, "deactivates 6 FAQ nodes", `"cancel_order", "change_address"`) {
			t.Errorf("the destroy of 6 nodes is not denied, naming them:\n%s", strings.Join(v.Deny, "\n"))
		}
	})

	// Under deletion_policy "retain" a destroy deactivates nothing: the same plan, its prior
	// state's deletion_policy changed.
	rc := plan.(map[string]any)["resource_changes"].([]any)[0].(map[string]any)
	if rc["address"] != addr {
		t.Fatalf("the destroy plan's first change is %v, want %s", rc["address"], addr)
	}
	rc["change"].(map[string]any)["before"].(map[string]any)["deletion_policy"] = "retain"
	t.Run("destroy-retain/plan", func(t *testing.T) { allows(t, evaluate(t, plan, limit3)) })

	// A replacement in the same domain that destroys first: a warning, and the nodes removed are
	// counted as in an update (none here).
	_, plan, summary = h.plan("a", "-replace="+addr)
	both("replace-destroys-first", plan, summary, limit3, func(t *testing.T, v verdict) {
		allows(t, v)
		if len(v.Warn) != 1 || !contains(v.Warn, addr, domain, "destroys first") {
			t.Errorf("no warning that the replacement destroys first:\n%s", strings.Join(v.Warn, "\n"))
		}
	})
}
