package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// A forced replacement (-replace, replace_triggered_by) of a haptik_faq_domain that keeps its
// domain never empties the live bot: the destroy half sends nothing, because the create that
// follows uploads the same domain (Terraform 1.11 hands the destroy the create plan's private
// state), and with create_before_destroy the create comes first and the destroy finds the domain
// written in this apply (there Terraform destroys the deposed object with its own private state,
// without the create's record). The emulator's own record shows no header-only CSV and no moment
// with zero active nodes.
func TestAccReplace_neverEmptiesTheBot(t *testing.T) {
	const cbd = "  lifecycle {\n    create_before_destroy = true\n  }\n"
	const triggered = "  lifecycle {\n    replace_triggered_by = [terraform_data.trigger]\n  }\n"
	for _, tc := range []struct {
		name, extra string
		// trigger: the replacement comes from replace_triggered_by, not -replace.
		trigger bool
		// said is how the destroy half says it sent nothing.
		said string
	}{
		{name: "-replace", said: "half of a replacement whose create uploads domain"},
		{name: "-replace with create_before_destroy", extra: cbd,
			said: "received new content from another haptik_faq_domain in this apply"},
		{name: "replace_triggered_by", extra: triggered, trigger: true, said: "half of a replacement whose create uploads domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			cli := newTerraformCLI(t, env)
			config := func(trigger string) string {
				return env.providerBlock() + fmt.Sprintf("resource \"terraform_data\" \"trigger\" {\n  input = %q\n}\n", trigger) +
					domainConfig("d", nodesV1, tc.extra)
			}
			cli.write(config("1"))
			cli.init()
			cli.must("apply", "-auto-approve", "-input=false")

			var out string
			if tc.trigger {
				cli.write(config("2"))
				out = cli.must("apply", "-auto-approve", "-input=false")
			} else {
				out = cli.must("apply", "-auto-approve", "-input=false", "-replace=haptik_faq_domain.test")
			}
			if !strings.Contains(out, "haptik_faq_domain.test: Destruction complete") {
				t.Fatalf("the apply did not replace the resource:\n%s", out)
			}
			if !wrapped("Warning: Domain Not Deactivated", tc.said).MatchString(out) {
				t.Errorf("the destroy half does not say it sent nothing:\n%s", out)
			}
			for _, u := range env.emu.Uploads() {
				if rows, _ := emulator.ParseCSV([]byte(u.CSV)); len(rows) == 0 {
					t.Errorf("upload %d to %q is a header-only CSV:\n%s", u.Seq, u.Domain, out)
				}
			}
			done := env.emu.Completions("d")
			if len(done) != 2 {
				t.Errorf("%d tasks ended for d, want the create's and the replacement's: %+v", len(done), done)
			}
			for _, c := range done {
				if c.ActiveNodes == 0 {
					t.Errorf("after task %s (%d rows) domain d had no active node: %+v", c.TaskID, c.Rows, done)
				}
			}
			if err := sameNodesHSL("after the replacement", env.emu.ActiveNodes("d"), nodesV1); err != nil {
				t.Error(err)
			}
			cli.noChanges()
		})
	}
}
