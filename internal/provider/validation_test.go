package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Every content mistake fails the plan with an error at its exact attribute path, and nothing
// reaches Haptik. Each case runs the real Terraform CLI.
func TestAccFAQDomain_planTimeValidation(t *testing.T) {
	ok := testNode{UserSays: []string{"hi"}, BotSays: []string{"hello"}}
	bot := bot1
	cases := []struct {
		name   string
		domain string
		nodes  map[string]testNode
		extra  string
		want   *regexp.Regexp
	}{
		// One case for each kind of path Terraform renders; the rules themselves are unit-tested in
		// internal/faqdomain (TestValidateContentRules).
		{"blank node name", "d", map[string]testNode{" ": ok}, "",
			wrapped("Blank Node Name", `nodes[" "]: A node name identifies the node in Haptik and cannot be blank; give the node a name.`)},
		{"empty user says", "d", map[string]testNode{"n": {UserSays: []string{}, BotSays: ok.BotSays}}, "",
			wrapped("Empty User Says List", `nodes["n"].user_says: Every node needs at least one user says; add one to the list.`)},
		{"pipe in user says", "d", map[string]testNode{"refunds": {UserSays: []string{"a", "b", "refund|return"}, BotSays: ok.BotSays}}, "",
			wrapped(`nodes["refunds"].user_says[2]: "|" separates user says in Haptik's CSV and cannot appear inside one; split it into two entries.`)},
		{"user says shared by two nodes", "d", map[string]testNode{
			"account": {UserSays: []string{"login help", "reset password"}, BotSays: ok.BotSays},
			"billing": {UserSays: []string{"Reset Password"}, BotSays: ok.BotSays},
		}, "", wrapped("User Says in Two Nodes", `nodes["billing"].user_says[0]: "Reset Password" is also user_says[1] of node "account"`,
			`keep it in only one of the nodes "account" and "billing".`)},
		{"tag in other case", "d", bot("ok", "one <M> two"), "",
			wrapped("Separator Inside Bot Says", `nodes["n"].bot_says[1]: "<m>" separates bot says`)},
		{"domain with newline", "acme\n", map[string]testNode{"n": ok}, "",
			wrapped("Domain Name Has Surrounding Whitespace", `domain_name: "acme\n"`)},
		{"unknown deletion policy", "d", map[string]testNode{"n": ok}, "  deletion_policy = \"delete\"\n",
			wrapped("Invalid Deletion Policy", `deletion_policy is "delete". Set it to "deactivate"`)},
		{"bad timeout", "d", map[string]testNode{"n": ok}, "  timeouts = { create = \"soon\" }\n",
			wrapped("Invalid Timeout", `timeouts.create is "soon", which is not a duration.`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock() + domainConfig(tc.domain, tc.nodes, tc.extra),
					ExpectError: tc.want,
				}},
			})
			if err := expectNoRequests(env); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Every problem is reported, not just the first.
func TestAccFAQDomain_reportsEveryProblem(t *testing.T) {
	env := newTestEnv(t)
	nodes := map[string]testNode{
		"a": {UserSays: []string{"x|y"}, BotSays: []string{"ok"}},
		"b": {UserSays: []string{"fine"}, BotSays: []string{"p<m>q"}},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock() + domainConfig("d", nodes, ""),
			ExpectError: wrapped(`nodes["a"].user_says[0]`, `nodes["b"].bot_says[0]`),
		}},
	})
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// Undocumented HSL values are warnings: the plan shows them and the apply goes ahead.
func TestAccFAQDomain_hslWarnings(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	nodes := bot1(`{"type":"VIDEO","data":{"url":"https://x/y.mp4"}}`,
		`{"type":"BUTTON","data":{"items":[{"actionable_text":"Go","uri":"TELEPORT","type":"APP_ACTION"}]}}`,
		`{"type":"TEXT","data":{"quick_reply":[]}}`)
	cli.write(env.providerBlock() + domainConfig("d", nodes, ""))
	cli.init()
	out := cli.must("apply", "-auto-approve", "-input=false")
	for _, want := range []*regexp.Regexp{
		wrapped("Warning: Unknown HSL Type", `nodes["n"].bot_says[0]: The HSL type "VIDEO" is not one Haptik documents (BUTTON, CAROUSEL, TEXT)`),
		wrapped("Warning: Unknown HSL Value", `nodes["n"].bot_says[1]: The HSL data.items[0].uri is "TELEPORT", which Haptik does not document`),
		wrapped("Warning: Unknown HSL Key", `nodes["n"].bot_says[2]: The HSL TEXT "data" has the key "quick_reply", which Haptik does not document; did you mean "quick_replies"?`),
		wrapped("Apply complete! Resources: 1 added"),
	} {
		if !want.MatchString(out) {
			t.Fatalf("output does not match %s:\n%s", want, out)
		}
	}
	if err := env.expectActive("d", nodes); err != nil {
		t.Fatal(err)
	}
}

// Values unknown at plan time are not validated until they are known, and do not break the plan.
func TestAccFAQDomain_unknownValuesPlan(t *testing.T) {
	env := newTestEnv(t)
	config := env.providerBlock() + `
resource "terraform_data" "answer" {
  input = "Computed answer."
}

resource "haptik_faq_domain" "test" {
  domain_name = "d"
  nodes = {
    computed = {
      user_says = ["question"]
      bot_says  = [terraform_data.answer.output]
    }
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				return env.expectActive("d", map[string]testNode{
					"computed": {UserSays: []string{"question"}, BotSays: []string{"Computed answer."}},
				})
			},
		}},
	})
}
