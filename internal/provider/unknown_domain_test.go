package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A domain_name unknown at plan: the plan names it "(known after apply)" and warns that the
// one-domain check waits for the apply, naming the domains other resources hold; the apply checks
// the now-known domain against the claims of what it changes and uploads nothing over another
// resource's domain.
func TestAccUnknownDomain_checkedAtApply(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	a := func(nodes map[string]testNode) string {
		return strings.Replace(domainConfig("d", nodes, ""), `"test"`, `"a"`, 1)
	}
	b := `
resource "terraform_data" "name" {
  input = "d"
}
` + strings.Replace(strings.Replace(domainConfig("d", oneNode, ""), `"test"`, `"b"`, 1),
		`domain_name = "d"`, `domain_name = terraform_data.name.output`, 1)
	cli.write(env.providerBlock() + a(nodesV1))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	// a changes too, so the apply plans it again and sees its claim on d.
	cli.write(env.providerBlock() + a(nodesV2) + b)
	out := cli.planShows("Warning: Domain Name Unknown Until Apply", "waits for the apply")
	// Whichever Terraform planned first, one of the two is warned about the other.
	if !wrapped(`Other haptik_faq_domain resources of this plan hold "d"`).MatchString(out) &&
		!wrapped("Warning: Another Domain Name Unknown Until Apply", `If it becomes "d"`).MatchString(out) {
		t.Fatalf("neither resource is warned about the other:\n%s", out)
	}
	if !wrapped("Warning: New Domain: Unlisted Nodes Will Be Deactivated", `domain "(known after apply)"`).MatchString(out) {
		t.Fatalf("the create warning does not name the domain as unknown:\n%s", out)
	}
	cli.fails([]string{"Error: Two Resources Hold One Domain", `also names domain "d"`, `its nodes include`},
		"apply", "-auto-approve", "-input=false")
	// Whichever of a and b Terraform applied first, the other sent nothing (both may refuse), and
	// every resource in state either records what Haptik holds or is unconfirmed (a, when b
	// uploaded first).
	if n := len(env.emu.AcceptedUploads("d")); n > 2 {
		t.Errorf("%d uploads to d: a and b both uploaded", n)
	}
	confirmedOrUnconfirmed(t, cli, env, "d")
}

// confirmedOrUnconfirmed checks the invariant on the CLI's state: every haptik_faq_domain of
// domain is unconfirmed, or records exactly the nodes Haptik holds active; at least one records.
func confirmedOrUnconfirmed(t *testing.T, cli *terraformCLI, env *testEnv, domain string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(cli.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes struct {
					DomainName string `json:"domain_name"`
					Confirmed  *bool  `json:"confirmed"`
					Nodes      map[string]struct {
						UserSays []string `json:"user_says"`
						BotSays  []string `json:"bot_says"`
					} `json:"nodes"`
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, r := range state.Resources {
		if r.Type != "haptik_faq_domain" {
			continue
		}
		for _, in := range r.Instances {
			a := in.Attributes
			if a.DomainName != domain || (a.Confirmed != nil && !*a.Confirmed) {
				continue
			}
			recorded++
			nodes := map[string]testNode{}
			for name, n := range a.Nodes {
				nodes[name] = testNode{UserSays: n.UserSays, BotSays: n.BotSays}
			}
			if err := env.expectActive(domain, nodes); err != nil {
				t.Errorf("%s is confirmed: %v", r.Name, err)
			}
		}
	}
	if recorded == 0 {
		t.Errorf("no resource records what domain %q holds", domain)
	}
}
