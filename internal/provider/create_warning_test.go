package provider

import (
	"os/exec"
	"strings"
	"testing"
)

// An interactive terraform apply of a create shows the create warning twice: before the approval
// prompt, from the plan, and after the apply, from the apply walk's second PlanResourceChange of
// the create. The provider cannot tell the two rounds apart (see "Guardrails" in the resource
// docs): Terraform sends the same configuration, null prior state and empty prior private state
// both times; only ClientCapabilities.DeferralAllowed differs on Terraform (false, then true), and
// it is true while planning too under -allow-deferral and in Stacks. So both rounds warn. This test
// pins what the docs say, and that the plan's warning comes before the prompt. With -auto-approve
// Terraform prints the two as one, with "(and one more similar warning elsewhere)".
func TestAccCreateWarning_bothPlanRoundsWarn(t *testing.T) {
	const warning = "Warning: New Domain: Unlisted Nodes Will Be Deactivated"
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	resource := func(name, domain string) string {
		return `resource "haptik_faq_domain" "` + name + `" {
  domain_name = "` + domain + `"
  nodes = {
    hello = { user_says = ["hello there"], bot_says = ["Hi!"] }
  }
}
`
	}
	cli.write(env.providerBlock() + resource("interactive", "acme_interactive"))
	cli.init()

	cmd := exec.CommandContext(t.Context(), cli.bin, "apply", "-no-color")
	cmd.Dir, cmd.Env, cmd.Stdin = cli.dir, cli.env, strings.NewReader("yes\n")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	prompt := strings.Index(out, "Enter a value:")
	if prompt < 0 {
		t.Fatalf("terraform apply asked for no approval:\n%s", out)
	}
	if before, after := strings.Count(out[:prompt], warning), strings.Count(out[prompt:], warning); before != 1 || after != 1 {
		t.Errorf("the create warning is shown %d time(s) before the approval prompt and %d after it, want once each (see the resource docs, \"Guardrails\"):\n%s",
			before, after, out)
	}

	// A second resource, so that the plan is one create.
	cli.write(env.providerBlock() + resource("interactive", "acme_interactive") + resource("auto", "acme_auto"))
	out = cli.must("apply", "-auto-approve", "-input=false")
	if n := strings.Count(out, warning); n != 1 || !strings.Contains(out, "(and one more similar warning elsewhere)") {
		t.Errorf("with -auto-approve the create warning is shown %d time(s), want once with \"(and one more similar warning elsewhere)\":\n%s", n, out)
	}
}
