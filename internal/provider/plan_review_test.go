package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A plan that drops nodes names them in a warning; so does a destroy.
func TestAccFAQDomain_deactivationWarning(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("acme_support", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	cli.write(env.providerBlock() + domainConfig("acme_support", nodesV2, ""))
	out := cli.must("plan", "-input=false")
	if !wrapped("Warning: Nodes Will Be Deactivated", `This apply uploads domain "acme_support" without 1 node it had: "refunds". Haptik deactivates every node missing from an upload`).MatchString(out) {
		t.Fatalf("the plan does not warn about the dropped node:\n%s", out)
	}

	// Many dropped nodes are cut to a readable list.
	many := map[string]testNode{}
	for i := range 15 {
		many[fmt.Sprintf("node_%02d", i)] = testNode{UserSays: []string{fmt.Sprintf("q%d", i)}, BotSays: []string{"a"}}
	}
	cli.write(env.providerBlock() + domainConfig("acme_support", many, ""))
	cli.must("apply", "-auto-approve", "-input=false")
	cli.write(env.providerBlock() + domainConfig("acme_support", map[string]testNode{"node_00": many["node_00"]}, ""))
	out = cli.must("plan", "-input=false")
	if !wrapped(`without 14 nodes it had: "node_01", "node_02", "node_03", "node_04", "node_05", "node_06", "node_07", "node_08", "node_09", "node_10" and 4 more.`).MatchString(out) {
		t.Fatalf("the warning does not cut the list:\n%s", out)
	}

	// Adding and editing nodes warns about nothing.
	cli.write(env.providerBlock() + domainConfig("acme_support", many, ""))
	cli.must("apply", "-auto-approve", "-input=false")
	edited := map[string]testNode{"extra": {UserSays: []string{"new"}, BotSays: []string{"b"}}}
	for k, v := range many {
		edited[k] = v
	}
	edited["node_03"] = testNode{UserSays: []string{"q3"}, BotSays: []string{"changed"}}
	cli.write(env.providerBlock() + domainConfig("acme_support", edited, ""))
	if out = cli.must("plan", "-input=false"); strings.Contains(out, "Warning:") {
		t.Fatalf("a plan that drops nothing warns:\n%s", out)
	}

	out = cli.must("plan", "-destroy", "-input=false")
	if !wrapped("Warning: Destroy Deactivates Every Node", `uploads a header-only CSV, so all 15 of its nodes ("node_00",`, "and 5 more) become inactive", `set deletion_policy = "retain"`).MatchString(out) {
		t.Fatalf("a destroy plan does not warn:\n%s", out)
	}
	uploads := len(env.emu.AcceptedUploads("acme_support"))
	cli.write(env.providerBlock() + domainConfig("acme_support", many, "  deletion_policy = \"retain\"\n"))
	cli.must("apply", "-auto-approve", "-input=false")
	if out = cli.must("plan", "-destroy", "-input=false"); strings.Contains(out, "Warning: Destroy") {
		t.Fatalf("deletion_policy = retain still warns of deactivation:\n%s", out)
	}
	if got := len(env.emu.AcceptedUploads("acme_support")); got != uploads {
		t.Fatalf("changing only deletion_policy uploaded (%d uploads, want %d)", got, uploads)
	}
}

func TestAccFAQDomain_importWarnsAboutUnlistedNodes(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	seedDomain(t, env, "acme_support", nodesV1)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + "import {\n  to = haptik_faq_domain.test\n  id = \"acme_support\"\n}\n" +
		domainConfig("acme_support", nodesV2, ""))
	cli.init()
	out := cli.must("plan", "-input=false")
	if !wrapped("Warning: Imported Domain: Unlisted Nodes Will Be Deactivated", "every node it has that nodes does not name will be deactivated").MatchString(out) ||
		!strings.Contains(out, "1 to import, 0 to add, 1 to change, 0 to destroy") {
		t.Fatalf("the import plan does not warn or is not an in-place update:\n%s", out)
	}
}

// Reformatting an HSL answer (whitespace, key order) plans nothing, and what is uploaded is compact.
func TestAccFAQDomain_hslReformatting(t *testing.T) {
	env := newTestEnv(t)
	const compact = `{"type":"TEXT","text":"Anything else?","data":{"quick_replies":[{"actionable_text":"No","is_default":0,"type":"TEXT_ONLY","payload":{"message":"No","gogo_message":""}}]}}`
	pretty := `{
  "type": "TEXT",
  "text": "Anything else?",
  "data": {
    "quick_replies": [
      { "actionable_text": "No", "is_default": 0, "type": "TEXT_ONLY",
        "payload": { "message": "No", "gogo_message": "" } }
    ]
  }
}`
	reordered := `{"data":{"quick_replies":[{"payload":{"gogo_message":"","message":"No"},"type":"TEXT_ONLY","is_default":0,"actionable_text":"No"}]},"text":"Anything else?","type":"TEXT"}`
	config := func(answer, intro string) string {
		return env.providerBlock() + domainConfig("d", map[string]testNode{
			"help": {UserSays: []string{"help"}, BotSays: []string{intro, answer}},
		}, "")
	}
	uploaded := func(intro string) map[string]testNode {
		return map[string]testNode{"help": {UserSays: []string{"help"}, BotSays: []string{intro, compact}}}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: config(pretty, "Hello."),
				Check:  func(*terraform.State) error { return env.expectLastUpload("d", uploaded("Hello.")) },
			},
			{
				Config:           config(reordered, "Hello."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:           config(compact, "Hello."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            func(*terraform.State) error { return env.expectUploads("d", 1) },
			},
			{
				// A real change beside it still plans, and uploads compact JSON.
				Config: config(reordered, "Hi again."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if err := env.expectUploads("d", 2); err != nil {
						return err
					}
					ups := env.emu.AcceptedUploads("d")
					if csv := ups[len(ups)-1].CSV; !strings.Contains(csv, `""data"":{""quick_replies"":[{""payload"":`) || strings.Contains(csv, "\n  ") {
						return fmt.Errorf("the upload is not the compact form of the configured JSON: %q", csv)
					}
					return nil
				},
			},
		},
	})
}

// A new domain_name replaces the resource, and the plan warns about both domains: the old one's
// nodes are deactivated by the destroy, the new one's unlisted nodes by the create's upload.
// Terraform drops the warnings of the create half's own plan, so the replacement's plan says it.
// An import whose id names another domain than domain_name is planned the same way.
func TestAccFAQDomain_newDomainNameWarns(t *testing.T) {
	env := newTestEnv(t, "acme_support", "acme_sales")
	seedDomain(t, env, "acme_sales", nodesV1)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("acme_support", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	cli.write(env.providerBlock() + domainConfig("acme_sales", nodesV2, ""))
	out := cli.must("plan", "-input=false")
	if !wrapped("Warning: Destroy Deactivates Every Node", `for "acme_support"`).MatchString(out) ||
		!wrapped("Warning: New Domain: Unlisted Nodes Will Be Deactivated", `uploads nodes as the whole content of domain "acme_sales"`).MatchString(out) {
		t.Fatalf("a new domain_name does not warn about both domains:\n%s", out)
	}

	imp := newTerraformCLI(t, env)
	imp.write(env.providerBlock() + "import {\n  to = haptik_faq_domain.test\n  id = \"acme_sales\"\n}\n" +
		domainConfig("acme_support", nodesV2, ""))
	imp.init()
	out = imp.must("plan", "-input=false")
	if !wrapped("Warning: New Domain: Unlisted Nodes Will Be Deactivated", `uploads nodes as the whole content of domain "acme_support"`).MatchString(out) {
		t.Fatalf("an import of another domain than domain_name does not warn about the domain it uploads to:\n%s", out)
	}
}
