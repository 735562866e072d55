package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Every content mistake fails the plan with an error at its exact attribute path, and nothing
// reaches Haptik. Each case runs the real Terraform CLI.
func TestAccFAQDomain_planTimeValidation(t *testing.T) {
	ok := testNode{UserSays: []string{"hi"}, BotSays: []string{"hello"}}
	bot := bot1
	user := func(says ...string) map[string]testNode {
		return map[string]testNode{"n": {UserSays: says, BotSays: []string{"a"}}}
	}
	cases := []struct {
		name   string
		domain string
		nodes  map[string]testNode
		extra  string
		want   *regexp.Regexp
	}{
		// Node names.
		{"blank node name", "d", map[string]testNode{" ": ok}, "",
			wrapped("Blank Node Name", `nodes[" "]: A node name identifies the node in Haptik and cannot be blank; give the node a name.`)},
		{"empty node name", "d", map[string]testNode{"": ok}, "",
			wrapped("Blank Node Name", `nodes[""]: A node name identifies the node`)},
		{"leading space in name", "d", map[string]testNode{" refunds": ok}, "",
			wrapped("Node Name Has Surrounding Whitespace", `nodes[" refunds"]: The node name " refunds" has whitespace at its start or end`)},
		{"trailing space in name", "d", map[string]testNode{"refunds ": ok}, "",
			wrapped("Node Name Has Surrounding Whitespace", `nodes["refunds "]: The node name "refunds " has whitespace`)},
		{"newline in name", "d", map[string]testNode{"a\nb": ok}, "",
			wrapped("Control Character in Node Name", `nodes["a\nb"]: The node name "a\nb" contains a line break`)},
		{"control character in name", "d", map[string]testNode{"a\x07b": ok}, "",
			wrapped("Control Character in Node Name", `use a name on one line.`)},
		{"name too long", "d", map[string]testNode{strings.Repeat("n", 201): ok}, "",
			wrapped("Node Name Too Long", "The node name is 201 characters long; keep node names to at most 200 characters.")},
		{"names differing only in case", "d", map[string]testNode{"Refunds": ok, "refunds": {UserSays: []string{"other"}, BotSays: ok.BotSays}}, "",
			wrapped("Node Names Differ Only in Case", `nodes["refunds"]: The node names "Refunds" and "refunds" differ only in letter case: one node to a person, ambiguous to Haptik.`)},
		// User says.
		{"empty user says", "d", map[string]testNode{"n": {UserSays: []string{}, BotSays: ok.BotSays}}, "",
			wrapped("Empty User Says List", `nodes["n"].user_says: Every node needs at least one user says; add one to the list.`)},
		{"blank user says", "d", user("a", ""), "",
			wrapped("Blank User Says", `nodes["n"].user_says[1]: A user says cannot be blank; write the text or remove the entry.`)},
		{"whitespace user says", "d", user(" \t "), "",
			wrapped("Blank User Says", `nodes["n"].user_says[0]: A user says cannot be blank`)},
		{"pipe in user says", "d", map[string]testNode{"refunds": {UserSays: []string{"a", "b", "refund|return"}, BotSays: ok.BotSays}}, "",
			wrapped(`nodes["refunds"].user_says[2]: "|" separates user says in Haptik's CSV and cannot appear inside one; split it into two entries.`)},
		{"newline in user says", "d", user("first line\nsecond line"), "",
			wrapped("Line Break in User Says", `nodes["n"].user_says[0]: A user says is one message a user would type, on one line`)},
		{"carriage return in user says", "d", user("a\rb"), "",
			wrapped("Line Break in User Says", `nodes["n"].user_says[0]:`)},
		{"user says repeated in a node", "d", user("reset password", "forgot", "reset password"), "",
			wrapped("Repeated User Says", `nodes["n"].user_says[2]: "reset password" repeats user_says[0] of the same node`)},
		{"user says repeated ignoring case and spacing", "d", user("Reset  Password", "reset password"), "",
			wrapped("Repeated User Says", `nodes["n"].user_says[1]: "reset password" repeats user_says[0] of the same node (ignoring case and spacing)`)},
		{"user says shared by two nodes", "d", map[string]testNode{
			"account": {UserSays: []string{"login help", "reset password"}, BotSays: ok.BotSays},
			"billing": {UserSays: []string{"Reset Password"}, BotSays: ok.BotSays},
		}, "", wrapped("User Says in Two Nodes", `nodes["billing"].user_says[0]: "Reset Password" is also user_says[1] of node "account"`,
			`keep it in only one of the nodes "account" and "billing".`)},
		// Bot says.
		{"empty bot says", "d", map[string]testNode{"n": {UserSays: ok.UserSays, BotSays: []string{}}}, "",
			wrapped("Empty Bot Says List", `nodes["n"].bot_says: Every node needs at least one bot says; add one to the list.`)},
		{"blank bot says", "d", bot("fine", "  "), "",
			wrapped("Blank Bot Says", `nodes["n"].bot_says[1]: A bot says cannot be blank`)},
		{"tag in bot says", "d", bot("one<m>two"), "",
			wrapped(`nodes["n"].bot_says[0]: "<m>" separates bot says in Haptik's CSV and cannot appear inside one (in any letter case); split it into two entries.`)},
		{"tag in other case", "d", bot("ok", "one <M> two"), "",
			wrapped("Separator Inside Bot Says", `nodes["n"].bot_says[1]: "<m>" separates bot says`)},
		{"carriage return in bot says", "d", bot("line\r\nline"), "",
			wrapped("Control Character in Bot Says", `nodes["n"].bot_says[0]: The answer contains a carriage return`, `replace(text, "\r\n", "\n")`)},
		{"invalid HSL JSON", "d", bot(`{"type": "TEXT",}`), "",
			wrapped("Invalid HSL JSON", `nodes["n"].bot_says[0]: The answer starts with "{", so it is read as HSL JSON, but it is not valid JSON`)},
		{"HSL with trailing text", "d", bot(`{"type":"TEXT"} and more`), "",
			wrapped("Invalid HSL JSON", "unexpected data after the JSON object")},
		{"HSL without type", "d", bot(`{"text":"hi"}`), "",
			wrapped("HSL Without Type", `nodes["n"].bot_says[0]: The HSL object needs a string "type" (TEXT, BUTTON or CAROUSEL); add it.`)},
		{"HSL type not a string", "d", bot(`{"type":3}`), "",
			wrapped("HSL Without Type", `nodes["n"].bot_says[0]:`)},
		{"HSL data not an object", "d", bot(`{"type":"TEXT","data":"x"}`), "",
			wrapped("Invalid HSL Structure", `The HSL "data" must be a JSON object.`)},
		{"quick replies not a list", "d", bot(`{"type":"TEXT","data":{"quick_replies":"Yes"}}`), "",
			wrapped("Invalid HSL Structure", `The HSL TEXT "data.quick_replies" must be a list.`)},
		{"quick reply without label", "d", bot(`{"type":"TEXT","data":{"quick_replies":[{"payload":{"message":"Yes"}}]}}`), "",
			wrapped("Incomplete HSL Button", `The HSL data.quick_replies[0] needs "actionable_text", the label users see; add it.`)},
		{"quick reply without message", "d", bot(`{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"Yes","payload":{}}]}}`), "",
			wrapped("Incomplete HSL Quick Reply", `The quick reply data.quick_replies[0] needs "payload.message"`)},
		{"button without items", "d", bot(`{"type":"BUTTON","text":"Pick one"}`), "",
			wrapped("Incomplete HSL Button", `An HSL BUTTON needs a non-empty "data.items" list; add its items.`)},
		{"button item without label", "d", bot(`{"type":"BUTTON","data":{"items":[{"uri":"LINK","type":"APP_ACTION"}]}}`), "",
			wrapped("Incomplete HSL Button", `The HSL data.items[0] needs "actionable_text"`)},
		{"carousel item without image", "d", bot(`{"type":"CAROUSEL","data":{"items":[{"title":"Shoes"}]}}`), "",
			wrapped("Incomplete HSL Carousel Item", `The carousel item data.items[0] needs "thumbnail.image"`)},
		{"carousel actionable without label", "d", bot(`{"type":"CAROUSEL","data":{"items":[{"thumbnail":{"image":"https://x/y.png"},"actionables":[{"uri":"LINK"}]}]}}`), "",
			wrapped("Incomplete HSL Button", `The HSL data.items[0].actionables[0] needs "actionable_text"`)},
		// The domain and other attributes.
		{"blank domain", "", map[string]testNode{"n": ok}, "",
			wrapped("Blank Domain Name", "domain_name: The domain name says which Haptik bot receives the nodes and cannot be blank")},
		{"domain with spaces", " acme ", map[string]testNode{"n": ok}, "",
			wrapped("Domain Name Has Surrounding Whitespace", `domain_name: " acme " has whitespace at its start or end`)},
		{"domain with newline", "acme\n", map[string]testNode{"n": ok}, "",
			wrapped("Domain Name Has Surrounding Whitespace", `domain_name: "acme\n"`)},
		{"domain with control character", "ac\x1bme", map[string]testNode{"n": ok}, "",
			wrapped("Control Character in Domain Name", `domain_name: "ac\x1bme" contains a line break or another control character`)},
		{"unknown deletion policy", "d", map[string]testNode{"n": ok}, "  deletion_policy = \"delete\"\n",
			wrapped("Invalid Attribute Value Match", `deletion_policy value must be one of: ["deactivate" "retain"], got: "delete"`)},
		{"bad timeout", "d", map[string]testNode{"n": ok}, "  timeouts = { create = \"soon\" }\n",
			wrapped("Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`)},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
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

func expectNoRequests(env *testEnv) error {
	if reqs := env.emu.Requests(); len(reqs) != 0 {
		return fmt.Errorf("the emulator received %d request(s), want none: %+v", len(reqs), reqs)
	}
	return nil
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
		`{"type":"BUTTON","data":{"items":[{"actionable_text":"Go","uri":"TELEPORT","type":"APP_ACTION"}]}}`)
	cli.write(env.providerBlock() + domainConfig("d", nodes, ""))
	cli.init()
	out := cli.must("apply", "-auto-approve", "-input=false")
	for _, want := range []*regexp.Regexp{
		wrapped("Warning: Unknown HSL Type", `nodes["n"].bot_says[0]: The HSL type "VIDEO" is not one Haptik documents (BUTTON, CAROUSEL, TEXT)`),
		wrapped("Warning: Unknown HSL Value", `nodes["n"].bot_says[1]: The HSL data.items[0].uri is "TELEPORT", which Haptik does not document`),
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

func bot1(answers ...string) map[string]testNode {
	return map[string]testNode{"n": {UserSays: []string{"q"}, BotSays: answers}}
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
