package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// The dashboard-drift example's check block, through the Terraform CLI: its export (the same
// content as configured, saved with CRLF line ends, other case and spacing in user says and HSL
// pretty-printed) plans without a warning; an export of what the emulator holds after someone
// edited, added and deactivated nodes in the dashboard plans with the check's warning naming each
// node, and the plan still succeeds.
func TestAccExamples_dashboardDriftCheck(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvClientID, testClientID)
	t.Setenv(EnvToken, testToken)
	cli := newTerraformCLI(t, env)
	cli.copyExample(filepath.Join("..", "..", "examples", "dashboard-drift"))
	cli.init()
	out := cli.must("apply", "-auto-approve", "-input=false")
	if strings.Contains(out, "Check block assertion failed") || !strings.Contains(out, "Apply complete! Resources: 1 added") {
		t.Fatalf("the example's own export is reported as drift:\n%s", out)
	}

	// The dashboard: one answer edited, one node added, one deactivated. Its export is what the
	// emulator holds, as CSV with CRLF line ends.
	var nodes []faqcsv.Node
	for _, n := range env.emu.ActiveNodes("acme_support") {
		switch n.Name {
		case "reset_password_hi":
			continue
		case "refunds":
			n.BotSays[0] = "Refunds reach your account within 7 working days."
		}
		nodes = append(nodes, faqcsv.Node{Name: n.Name, UserSays: n.UserSays, BotSays: n.BotSays})
	}
	if len(nodes) != 2 {
		t.Fatalf("the emulator holds %d nodes of the example besides the one deactivated, want 2", len(nodes))
	}
	nodes = append(nodes, faqcsv.Node{Name: "promo", UserSays: []string{"any offers?"}, BotSays: []string{"20% off this week."}})
	export := strings.ReplaceAll(string(faqcsv.RenderBytes(nodes)), "\n", "\r\n")
	export = strings.ReplaceAll(export, "\r\r\n", "\r\n")
	if err := os.WriteFile(filepath.Join(cli.dir, "dashboard-export.csv"), []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cli.run("plan", "-input=false", "-detailed-exitcode")
	if err != nil {
		t.Fatalf("the plan with a drifted export fails or plans changes (%v):\n%s", err, out)
	}
	for _, want := range []string{
		"Warning: Check block assertion failed",
		"Edited in the dashboard: [refunds].",
		"Added in the dashboard (the apply deactivates them): [promo].",
		"Deactivated in the dashboard (the apply brings them back): [reset_password_hi].",
	} {
		if !wrapped(want).MatchString(out) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	if err := env.expectUploads("acme_support", 1); err != nil {
		t.Fatal(err)
	}
}
