package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Content mistakes fail the plan at the exact attribute, and nothing reaches Haptik.
func TestAccFAQDomain_planTimeValidation(t *testing.T) {
	ok := testNode{UserSays: []string{"hi"}, BotSays: []string{"hello"}}
	cases := []struct {
		name  string
		nodes map[string]testNode
		want  *regexp.Regexp
	}{
		{"empty user says", map[string]testNode{"n": {UserSays: []string{}, BotSays: ok.BotSays}},
			wrapped("Empty User Says List", `nodes["n"].user_says: Every node needs at least one user says`)},
		{"empty bot says", map[string]testNode{"n": {UserSays: ok.UserSays, BotSays: []string{}}},
			wrapped("Empty Bot Says List", `nodes["n"].bot_says: Every node needs at least one bot says`)},
		{"blank user says", map[string]testNode{"n": {UserSays: []string{"a", "  "}, BotSays: ok.BotSays}},
			wrapped("Blank User Says", `nodes["n"].user_says[1]: A user says cannot be blank`)},
		{"blank bot says", map[string]testNode{"n": {UserSays: ok.UserSays, BotSays: []string{""}}},
			wrapped("Blank Bot Says", `nodes["n"].bot_says[0]: A bot says cannot be blank`)},
		{"pipe in user says", map[string]testNode{"refunds": {UserSays: []string{"a", "b", "refund|return"}, BotSays: ok.BotSays}},
			wrapped(`nodes["refunds"].user_says[2]: "|" separates user says in Haptik's CSV and cannot appear inside one; split it into two entries.`)},
		{"tag in bot says", map[string]testNode{"n": {UserSays: ok.UserSays, BotSays: []string{"one<m>two"}}},
			wrapped(`nodes["n"].bot_says[0]: "<m>" separates bot says in Haptik's CSV`)},
		{"tag in other case", map[string]testNode{"n": {UserSays: ok.UserSays, BotSays: []string{"one <M> two"}}},
			wrapped(`nodes["n"].bot_says[0]: "<m>" separates bot says`)},
		{"blank node name", map[string]testNode{" ": ok},
			wrapped("Blank Node Name", `nodes[" "]: A node name identifies the node`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock() + domainConfig("d", tc.nodes, ""),
					ExpectError: tc.want,
				}},
				CheckDestroy: func(*terraform.State) error { return expectNoRequests(env) },
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
