package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// Provider functions need Terraform 1.8.
var functionsSupported = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

func TestAccFunctionFAQCSV_isTheUpload(t *testing.T) {
	env := newTestEnv(t)
	nodes := map[string]testNode{
		"Bad Feedbacks": {UserSays: []string{"bad bot"}, BotSays: []string{"Sorry, \"really\".", "{ \"type\": \"TEXT\" }"}},
		"hours":         {UserSays: []string{"hours"}, BotSays: []string{"9 to 5"}},
	}
	cfg := env.providerBlock() + "locals {\n  nodes = " + nodesHCL(nodes) + "\n}\n" + `
resource "haptik_faq_domain" "test" {
  domain_name = "d"
  nodes       = local.nodes
}

output "csv" {
  value = provider::haptik::faq_csv(local.nodes)
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("csv", knownvalue.StringFunc(func(csv string) error {
					ups := env.emu.AcceptedUploads("d")
					if len(ups) != 1 || ups[0].CSV != csv {
						return fmt.Errorf("faq_csv returned %q, but the resource uploaded %+v", csv, ups)
					}
					if want := string(faqcsv.RenderBytes(faqNodes(nodes))); csv != want {
						return fmt.Errorf("faq_csv = %q, want %q", csv, want)
					}
					return nil
				})),
			},
		}},
	})
}

func TestAccFunctionFAQCSV_invalidNodes(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `output "csv" {
  value = provider::haptik::faq_csv({ refunds = { user_says = ["a|b"], bot_says = ["ok"] } })
}`,
			ExpectError: wrapped(`nodes["refunds"].user_says[0]: "|" separates user says in Haptik's CSV`),
		}},
	})
}

// The migration example: a hand-kept CSV (with Haptik's own sample row) managed through
// faq_nodes, adopting the domain with an import block.
func TestAccFunctionFAQNodes_migrationExample(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	seedDomain(t, env, "acme_support", map[string]testNode{"retired": {UserSays: []string{"old"}, BotSays: []string{"old"}}})
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "faqops") // the example declares source = "faqops/haptik"
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvClientID, testClientID)
	t.Setenv(EnvToken, testToken)
	raw, err := os.ReadFile("../../examples/migrate-from-csv/faq.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := emulator.ParseCSV(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]testNode{}
	for _, r := range rows {
		want[r.Name] = testNode{UserSays: r.UserSays, BotSays: r.BotSays}
	}
	dir := config.StaticDirectory("../../examples/migrate-from-csv")
	// The example declares its providers, so the factories belong to each step.
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: functionsSupported,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: env.factories(),
				ConfigDirectory:          dir,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("haptik_faq_domain.support", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("node_count", knownvalue.Int64Exact(3)),
				},
				Check: func(*terraform.State) error {
					// The upload is the CSV as Haptik reads it, and the node the CSV lacks is gone.
					if err := env.expectLastUpload("acme_support", want); err != nil {
						return err
					}
					return env.expectActive("acme_support", want)
				},
			},
			{
				ProtoV6ProviderFactories: env.factories(),
				ConfigDirectory:          dir,
				ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccFunctionFAQNodes_errorsNameTheLine(t *testing.T) {
	env := newTestEnv(t)
	cases := map[string]*regexp.Regexp{
		`"node_name,question,answer\nok,q,a\nbroken,\"unclosed\n"`: wrapped(`Invalid value for "csv_text" parameter: line 3: a quoted cell is never closed.`),
		`"node_name,question\n"`:                                   wrapped(`line 1: the header row is "node_name,question"; it must be exactly node_name,question,answer.`),
		`"node_name,question,answer\nn,q,a\nn,q2,a2\n"`:            wrapped(`line 3: node_name "n" repeats the node of line 2.`),
		`"node_name,question,answer\nok,q,a\nn,r||s,a\n"`:          wrapped(`line 3: nodes["n"].user_says[1]: A user says cannot be blank`),
		// Errors come in line order, and a user says shared by two rows is reported at the later row.
		`"node_name,question,answer\nzz,q|a||b,a\naa,q,a\n"`: wrapped(`line 2: nodes["zz"].user_says[2]: A user says cannot be blank`,
			`line 3: nodes["aa"].user_says[0]: "q" is also user_says[0] of node "zz"`),
	}
	for csv, want := range cases {
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   functionsSupported,
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      "output \"nodes\" {\n  value = provider::haptik::faq_nodes(" + csv + ")\n}\n",
				ExpectError: want,
			}},
		})
	}
}

// faq_nodes(faq_csv(x)) == x, compared by Terraform itself with the types faq_nodes returns.
func TestAccFunctions_roundTrip(t *testing.T) {
	env := newTestEnv(t)
	cfg := `
variable "x" {
  type = map(object({ user_says = list(string), bot_says = list(string) }))
  default = {
    "Bad Feedbacks" = { user_says = ["bad", "worse"], bot_says = ["Sorry, \"really\".\nCall us.", "{\"type\":\"TEXT\",\"isNew\":false}"] }
    "日本語"           = { user_says = ["如何重置密码", "👍🏽 emoji"], bot_says = ["  padded  ", "a,b;c"] }
    hsl             = { user_says = ["menu"], bot_says = [` + hclString(faqcsv.TextHSL("Pick:", []string{"A", "B"})) + `] }
  }
}

output "equal" {
  value = provider::haptik::faq_nodes(provider::haptik::faq_csv(var.x)) == var.x
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("equal", knownvalue.Bool(true)),
			},
		}},
	})
}

func TestAccFunctionHSLText(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: `output "hsl" {
  value = provider::haptik::hsl_text("Need more help?", ["Talk to an Agent", "No, thanks"])
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("hsl", knownvalue.StringExact(
						faqcsv.TextHSL("Need more help?", []string{"Talk to an Agent", "No, thanks"}))),
				},
			},
			{
				Config:      `output "hsl" { value = provider::haptik::hsl_text("Hi", ["ok", " "]) }`,
				ExpectError: wrapped("quick_replies[1]: a quick reply needs a label"),
			},
			{
				Config:      `output "hsl" { value = provider::haptik::hsl_text("one<m>two", []) }`,
				ExpectError: wrapped(`"<m>" separates bot says`),
			},
		},
	})
}

// nodesHCL renders test nodes as an HCL object expression.
func nodesHCL(nodes map[string]testNode) string {
	s := "{\n"
	for name, n := range nodes {
		s += fmt.Sprintf("    %s = { user_says = %s, bot_says = %s }\n", hclString(name), hclList(n.UserSays), hclList(n.BotSays))
	}
	return s + "  }"
}
