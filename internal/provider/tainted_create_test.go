package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// A create that times out after Haptik accepted its upload is saved tainted and unconfirmed, never
// dropped: with create_before_destroy a dropped create would make Terraform restore the deposed
// object as current, still confirmed, while Haptik holds the create's upload, and the next plan
// would show no changes. The next plan replaces the tainted object, and a fault-free apply
// converges without the bot ever being emptied.
func TestAccTaintedCreate_timedOutCreateIsReplacedNext(t *testing.T) {
	const timeout = "  timeouts = { create = \"2s\" }\n"
	const cbd = "  lifecycle {\n    create_before_destroy = true\n  }\n"
	for _, tc := range []struct {
		name, extra string
		// replace: the failed create is a -replace of an applied resource, not a first create.
		replace bool
	}{
		{name: "-replace with create_before_destroy", extra: timeout + cbd, replace: true},
		{name: "-replace", extra: timeout, replace: true},
		{name: "first create", extra: timeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			cli := newTerraformCLI(t, env)
			cli.write(env.providerBlock() + domainConfig("d", nodesV1, tc.extra))
			cli.init()
			args := []string{"apply", "-auto-approve", "-input=false"}
			if tc.replace {
				cli.must(args...)
				args = append(args, "-replace=haptik_faq_domain.test")
			}
			env.emu.SetTaskDuration(time.Hour)
			out, err := cli.run(args...)
			if err == nil || !wrapped("Timed Out Waiting for Haptik",
				"saved in state unconfirmed (confirmed = false) and tainted: the next plan replaces it").MatchString(out) {
				t.Fatalf("the create that timed out: %v\n%s", err, out)
			}
			show := cli.must("state", "show", "haptik_faq_domain.test")
			if !strings.Contains(show, "(tainted)") || !regexp.MustCompile(`\bconfirmed\s+=\s+false\b`).MatchString(show) {
				t.Fatalf("the failed create's state is not tainted and unconfirmed:\n%s", show)
			}
			plan, err := cli.run("plan", "-input=false", "-detailed-exitcode")
			if err == nil || strings.Contains(plan, "No changes.") || !regexp.MustCompile(`is tainted, so (it )?must be replaced`).MatchString(plan) {
				t.Fatalf("the plan after the failed create does not replace it: %v\n%s", err, plan)
			}
			// Haptik finishes the task that timed out; the next apply uploads again.
			env.emu.FinishRunningTasks()
			env.emu.SetTaskDuration(0)
			before := len(env.emu.AcceptedUploads("d"))
			out = cli.must("apply", "-auto-approve", "-input=false")
			if n := len(env.emu.AcceptedUploads("d")); n != before+1 {
				t.Errorf("the apply after the failed create made %d uploads, want 1:\n%s", n-before, out)
			}
			for _, u := range env.emu.Uploads() {
				if rows, _ := emulator.ParseCSV([]byte(u.CSV)); len(rows) == 0 {
					t.Errorf("upload %d to %q is a header-only CSV:\n%s", u.Seq, u.Domain, out)
				}
			}
			for _, c := range env.emu.Completions("d") {
				if c.ActiveNodes == 0 {
					t.Errorf("after task %s (%d rows) domain d had no active node: %+v", c.TaskID, c.Rows, env.emu.Completions("d"))
				}
			}
			if err := sameNodesHSL("after the replacement", env.emu.ActiveNodes("d"), nodesV1); err != nil {
				t.Error(err)
			}
			cli.noChanges()
			t.Logf("apply after the failed create:\n%s", out)
		})
	}
}
