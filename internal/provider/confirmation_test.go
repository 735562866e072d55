package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

// These tests hold the provider to its one rule: what state records is what Haptik holds, or
// the state says it is unconfirmed and the next plan uploads; and nothing empties a live bot
// without an error or a warning at plan time.

// planShows runs terraform plan and checks that it plans a change and prints each phrase.
func (c *terraformCLI) planShows(phrases ...string) string {
	c.t.Helper()
	out, err := c.run("plan", "-input=false", "-detailed-exitcode")
	if err == nil || !strings.Contains(out, "Plan:") {
		c.t.Fatalf("plan did not plan a change (%v):\n%s", err, out)
	}
	if !wrapped(phrases...).MatchString(out) {
		c.t.Fatalf("plan output does not show %q:\n%s", phrases, out)
	}
	return out
}

// fails runs a terraform command that must fail with the given phrases.
func (c *terraformCLI) fails(phrases []string, args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err == nil || !wrapped(phrases...).MatchString(out) {
		c.t.Fatalf("terraform %s: %v, want a failure showing %q:\n%s", strings.Join(args, " "), err, phrases, out)
	}
	return out
}

func (c *terraformCLI) noChanges() {
	c.t.Helper()
	if out := c.must("plan", "-input=false", "-detailed-exitcode"); !strings.Contains(out, "No changes.") {
		c.t.Fatalf("the plan is not empty:\n%s", out)
	}
}

// A task that applies its first rows and then fails leaves the bot half-empty; reverting the
// configuration must still upload, and the apply restores the content.
func TestAccConfirmation_revertAfterPartialFailure(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	v1 := env.providerBlock() + domainConfig("d", nodesV1, "")
	cli.write(v1)
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	env.emu.FailNextTask(emulator.TaskFault{Message: "Error at node refunds: invalid HSL", Partial: true, AppliedRows: 1})
	cli.write(env.providerBlock() + domainConfig("d", nodesV2, ""))
	cli.fails([]string{"Haptik Upload Task Failed", "Error at node refunds: invalid HSL", "marked unconfirmed"}, "apply", "-auto-approve", "-input=false")
	if n := len(env.emu.ActiveNodes("d")); n != 1 {
		t.Fatalf("the fault left %d nodes active, want the 1 row applied", n)
	}

	cli.write(v1) // the pull request is reverted
	cli.planShows("confirmed = false -> (known after apply)", "Warning: Haptik's Content Is Unconfirmed",
		`for domain "d" was accepted by Haptik but not seen to succeed`, `"Error at node refunds: invalid HSL"`)
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()
}

// An update that outlives its timeout and that Haptik finishes later: state cannot claim either
// content, so a revert uploads and restores.
func TestAccConfirmation_timedOutUpdateFinishedLater(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	short := "  timeouts = { update = \"1s\" }\n"
	v1 := env.providerBlock() + domainConfig("d", nodesV1, short)
	cli.write(v1)
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	env.emu.FinishNextTaskAfter(2 * time.Second)
	cli.write(env.providerBlock() + domainConfig("d", nodesV2, short))
	cli.fails([]string{"Timed Out Waiting for Haptik", "marked unconfirmed"}, "apply", "-auto-approve", "-input=false")
	deadline := time.Now().Add(10 * time.Second)
	for sameNodes("", env.emu.ActiveNodes("d"), nodesV2) != nil {
		if time.Now().After(deadline) {
			t.Fatal("Haptik never finished the late task")
		}
		time.Sleep(100 * time.Millisecond)
	}

	cli.write(v1)
	cli.planShows("Warning: Haptik's Content Is Unconfirmed", "the apply ended (Timed Out Waiting for Haptik)")
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()
}

// A destroy whose deactivation fails part-way keeps the resource, unconfirmed: applying the same
// configuration again uploads it.
func TestAccConfirmation_failedDestroyThenReapply(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	env.emu.FailNextTask(emulator.TaskFault{Message: "Error: worker lost", Partial: true})
	cli.fails([]string{"Haptik Upload Task Failed", "Error: worker lost"}, "destroy", "-auto-approve", "-input=false")
	cli.planShows("1 to change", "Warning: Haptik's Content Is Unconfirmed")
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()
}

// A remembered task is resumed only while it runs: after a later upload was accepted, applying
// the earlier content uploads it again instead of "resuming" the long-finished task.
func TestAccConfirmation_staleTaskNotResumed(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	short := "  timeouts = { update = \"1s\" }\n"
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, short))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	// T1: an update to V2 that times out, remembered.
	env.emu.SetTaskDuration(time.Hour)
	v2 := env.providerBlock() + domainConfig("d", nodesV2, short)
	cli.write(v2)
	cli.fails([]string{"Timed Out Waiting for Haptik"}, "apply", "-auto-approve", "-input=false")
	env.emu.FinishRunningTasks()
	env.emu.SetTaskDuration(0)

	// Z: an update to one node that Haptik accepts, but whose status answer is refused.
	env.emu.FailStatus(emulator.StatusFault{Status: 400, Message: "bad request", Count: 1})
	cli.write(env.providerBlock() + domainConfig("d", oneNode, short))
	cli.fails([]string{`HTTP 400: "bad request"`}, "apply", "-auto-approve", "-input=false")
	time.Sleep(300 * time.Millisecond) // Z finishes in Haptik

	cli.write(v2) // T1's content again
	cli.planShows("Warning: Haptik's Content Is Unconfirmed")
	before := len(env.emu.AcceptedUploads("d"))
	cli.must("apply", "-auto-approve", "-input=false")
	if got := len(env.emu.AcceptedUploads("d")); got != before+1 {
		t.Fatalf("%d uploads after applying T1's content again, want %d: the stale task was resumed", got, before+1)
	}
	if err := env.expectActive("d", nodesV2); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()
}

// Nothing a user can write empties a live bot at plan time without an error or a warning.
func TestAccConfirmation_nodesMustBePresent(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.init()
	resourceWith := func(body string) string {
		return env.providerBlock() + "resource \"haptik_faq_domain\" \"test\" {\n  domain_name = \"d\"\n" + body + "}\n"
	}
	cli.write(resourceWith("  nodes = null\n"))
	cli.fails([]string{"Error: Missing Nodes", "nodes is null", "-generate-config-out writes nodes = null", "destroy the resource instead"}, "validate")
	cli.write(resourceWith("  nodes = {}\n"))
	cli.fails([]string{"Error: Empty Nodes", "set allow_empty = true"}, "plan", "-input=false")
	cli.write(resourceWith("  nodes = {}\n  allow_empty = true\n"))
	cli.planShows("Warning: New Domain: Unlisted Nodes Will Be Deactivated", "import it first")
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// Two resources naming one domain fail the plan, before anything is uploaded.
func TestAccConfirmation_oneDomainOneResource(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	topics := strings.Replace(domainConfig("d", oneNode, ""), `"test"`, `"billing"`, 1)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, "") + topics)
	cli.init()
	cli.fails([]string{"Error: Two Resources Hold One Domain", `also names domain "d"`, "merge"}, "plan", "-input=false")
	cli.fails([]string{"Error: Two Resources Hold One Domain"}, "apply", "-auto-approve", "-input=false")
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// resync_trigger re-uploads unchanged content in place and never sends a header-only CSV (nor does
// -replace: TestAccReplace_neverEmptiesTheBot); a domain_name unknown until apply warns that it
// replaces the resource.
func TestAccConfirmation_replaceWarnsAndResyncDoesNot(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, "  resync_trigger = \"1\"\n"))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	cli.write(env.providerBlock() + domainConfig("d", nodesV1, "  resync_trigger = \"2\"\n"))
	out := cli.planShows("1 to change", "0 to destroy")
	if strings.Contains(out, "Warning: Nodes Will Be Deactivated") {
		t.Fatalf("a re-sync warns about deactivations:\n%s", out)
	}
	cli.must("apply", "-auto-approve", "-input=false")
	for _, u := range env.emu.AcceptedUploads("d") {
		if rows, _ := emulator.ParseCSV([]byte(u.CSV)); len(rows) == 0 {
			t.Fatal("a header-only CSV was uploaded")
		}
	}
	if err := env.expectUploads("d", 2); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()

	unknownDomain := env.providerBlock() + `
resource "terraform_data" "name" {
  input = "d2"
}
` + strings.Replace(domainConfig("d", nodesV1, ""), `domain_name = "d"`, `domain_name = terraform_data.name.output`, 1)
	cli.write(unknownDomain)
	cli.planShows("Warning: Unknown Domain Name Replaces the Resource", `replaces the haptik_faq_domain for "d"`)
}

// max_deactivations fails the plan, naming the nodes, and nothing is uploaded.
func TestAccConfirmation_deactivationCap(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cap1 := "  max_deactivations = 1\n"
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, cap1))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")
	cli.write(env.providerBlock() + domainConfig("d", oneNode, cap1))
	cli.fails([]string{"Error: Too Many Nodes Would Be Deactivated", "more than max_deactivations = 1 allows",
		`"opening_hours", "refunds", "reset_password"`}, "apply", "-auto-approve", "-input=false")
	if err := env.expectUploads("d", 1); err != nil {
		t.Fatal(err)
	}
}

// Renaming a resource address without a moved block destroys the old address and creates the
// new one in parallel, on the same domain: the domain keeps its content every time, whatever the
// order, with slow tasks that keep the per-domain lock busy.
func TestAccConfirmation_renameWithoutMoved(t *testing.T) {
	env := newTestEnv(t)
	env.emu.SetTaskDuration(400 * time.Millisecond)
	cli := newTerraformCLI(t, env)
	cli.init()
	for i, name := range []string{"a", "b", "a", "b", "a", "b"} {
		cli.write(env.providerBlock() + strings.Replace(domainConfig("d", nodesV1, ""), `"test"`, fmt.Sprintf("%q", name), 1))
		cli.must("apply", "-auto-approve", "-input=false")
		if err := env.expectActive("d", nodesV1); err != nil {
			t.Fatalf("after rename %d: %v", i, err)
		}
	}
}

// An imported domain that no apply uploaded to is never deactivated by a destroy; a destroy of a
// domain Haptik does not know ends with a warning instead of failing forever.
func TestAccConfirmation_destroyLeavesForeignContent(t *testing.T) {
	env := newTestEnv(t, "d", "known")
	seedDomain(t, env, "d", nodesV1)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, "  deletion_policy = \"retain\"\n"))
	cli.init()
	cli.must("import", "-input=false", "haptik_faq_domain.test", "d")
	out := cli.must("destroy", "-auto-approve", "-input=false")
	if !wrapped("Warning: Domain Not Deactivated", "was imported and no apply has uploaded to it").MatchString(out) {
		t.Fatalf("destroy of an imported domain:\n%s", out)
	}
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}

	// A state for a domain Haptik does not know (the emulator knows only d and known).
	p := newProtocolServer(t, env, true)
	state := map[string]tftypes.Value{}
	for name, typ := range faqdomain.Type.(tftypes.Object).AttributeTypes {
		state[name] = tftypes.NewValue(typ, nil)
	}
	state["domain_name"] = tftypes.NewValue(tftypes.String, "typo")
	state["deletion_policy"] = tftypes.NewValue(tftypes.String, "deactivate")
	state["nodes"] = tftypes.NewValue(faqdomain.Type.(tftypes.Object).AttributeTypes["nodes"], map[string]tftypes.Value{})
	prior, err := tfprotov6.NewDynamicValue(faqdomain.Type, tftypes.NewValue(faqdomain.Type, state))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: faqdomain.TypeName, PriorState: &prior, PlannedState: dynamicValue(nil)})
	if err != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		resp.Diagnostics[0].Summary != "Domain Unknown to Haptik" || !isNull(resp.NewState) {
		t.Fatalf("destroy of an unknown domain: %v %s (new state null: %v)", err, diagText(resp.Diagnostics), isNull(resp.NewState))
	}
}

// A rename from a to b whose destroy of a failed leaves both addresses in state on one domain
// (found by TestSequences_invariant). Renaming back plans b's destroy beside a's no-op; the plan
// fails before anything is uploaded, instead of the destroy emptying the domain under a's
// confirmed state, and terraform state rm as the error says leaves the content in place.
func TestAccConfirmation_destroyBesideKeptDomain(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	named := func(name string) string {
		return env.providerBlock() + strings.Replace(domainConfig("d", nodesV1, ""), `"test"`, fmt.Sprintf("%q", name), 1)
	}
	cli.write(named("a"))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	// What the failed rename leaves: a as it was, and b, created after it by another task.
	path := filepath.Join(cli.dir, "terraform.tfstate")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	resources := state["resources"].([]any)
	var b map[string]any
	copied, _ := json.Marshal(resources[0])
	if err := json.Unmarshal(copied, &b); err != nil {
		t.Fatal(err)
	}
	b["name"] = "b"
	b["instances"].([]any)[0].(map[string]any)["attributes"].(map[string]any)["last_task_id"] = "task-of-b"
	state["resources"] = append(resources, b)
	state["serial"] = state["serial"].(float64) + 1
	if raw, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	cli.fails([]string{"Error: Destroy Would Empty Another Resource's Domain", "terraform state rm"},
		"apply", "-auto-approve", "-input=false")
	if err := env.expectUploads("d", 1); err != nil {
		t.Fatal(err)
	}
	cli.must("state", "rm", "haptik_faq_domain.b")
	cli.noChanges()
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
}
