package provider

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/drift"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/review"
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

	// haptik-faq drift's reading of the same export against a saved plan from the CLI: a plan
	// that changes nothing uploads nothing, and one that changes content would overwrite the
	// dashboard's changes.
	for _, tc := range []struct {
		edit    func(string) string
		uploads bool
	}{
		{func(s string) string { return s }, false},
		{func(s string) string { return strings.Replace(s, "9:00 to 18:00", "8:00 to 20:00", 1) }, true},
	} {
		path := filepath.Join(cli.dir, "faq.csv")
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(tc.edit(string(raw))), 0o600); err != nil {
			t.Fatal(err)
		}
		cli.must("plan", "-input=false", "-out=tfplan")
		show := exec.CommandContext(t.Context(), cli.bin, "show", "-json", "tfplan")
		show.Dir, show.Env = cli.dir, cli.env
		plan, err := show.Output()
		if err != nil {
			t.Fatal(err)
		}
		domains, err := review.PlannedDomains(plan)
		if err != nil {
			t.Fatal(err)
		}
		planned, err := drift.Planned(domains, "acme_support")
		if err != nil || planned.Uploads != tc.uploads || planned.Unknown || planned.Sensitive {
			t.Fatalf("the planned domain: %v %+v", err, planned)
		}
		exported, err := drift.ReadExport(export)
		if err != nil {
			t.Fatal(err)
		}
		c := drift.Compare(exported, planned.Nodes)
		wantEdited := []string{"refunds"}
		if tc.uploads {
			wantEdited = []string{"opening_hours", "refunds"}
		}
		var edited []string
		for _, e := range c.Edited {
			edited = append(edited, e[0].Name)
		}
		if strings.Join(edited, ",") != strings.Join(wantEdited, ",") || len(c.Added) != 1 || c.Added[0].Name != "promo" ||
			len(c.Deactivated) != 1 || c.Deactivated[0].Name != "reset_password_hi" {
			t.Fatalf("drift against the plan: edited %q, added %q, deactivated %q", edited, c.Added, c.Deactivated)
		}
	}
}
