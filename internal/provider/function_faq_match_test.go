package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// faq_match in an output, through the CLI: the best node and the runner-up, and a null node for
// a question below the floor, with no provider configuration at all.
func TestAccFunctionFAQMatch_output(t *testing.T) {
	env := newTestEnv(t)
	nodes := map[string]testNode{
		"reset_password": {UserSays: []string{"How do I reset my password?", "forgot my password"}, BotSays: []string{"Use the link."}},
		"reset_pin":      {UserSays: []string{"reset my card pin"}, BotSays: []string{"Call us."}},
		"hours":          {UserSays: []string{"opening hours"}, BotSays: []string{"9 to 5"}},
	}
	cfg := "locals {\n  nodes = " + nodesHCL(nodes) + "\n}\n" + `
output "forgot" {
  value = provider::haptik::faq_match(local.nodes, "I forgot my pasword")
}

output "nothing" {
  value = provider::haptik::faq_match(local.nodes, "what is the capital of peru")
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("forgot", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"node":            knownvalue.StringExact("reset_password"),
					"score":           knownvalue.Float64Func(func(f float64) error { return between(f, 0.35, 1) }),
					"runner_up":       knownvalue.Null(),
					"runner_up_score": knownvalue.Float64Func(func(f float64) error { return between(f, 0, 0.35) }),
				})),
				statecheck.ExpectKnownOutputValue("nothing", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"node": knownvalue.Null(), "runner_up": knownvalue.Null(),
				})),
			},
		}},
	})
}

func between(f, lo, hi float64) error {
	if f < lo || f > hi {
		return fmt.Errorf("%v is not between %v and %v", f, lo, hi)
	}
	return nil
}

// matchArgs encodes faq_match's arguments as Terraform sends them.
func matchArgs(t testing.TB, nodes []faqcsv.Node, question string) []*tfprotov6.DynamicValue {
	listType := tftypes.List{ElementType: tftypes.String}
	nodeType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_says": listType, "bot_says": listType}}
	strs := func(ss []string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for j, s := range ss {
			vs[j] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(listType, vs)
	}
	m := map[string]tftypes.Value{}
	for _, n := range nodes {
		m[n.Name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{"user_says": strs(n.UserSays), "bot_says": strs(n.BotSays)})
	}
	mapType := tftypes.Map{ElementType: nodeType}
	a, err := tfprotov6.NewDynamicValue(mapType, tftypes.NewValue(mapType, m))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, question))
	return []*tfprotov6.DynamicValue{&a, &b}
}

func callMatch(t testing.TB, s tfprotov6.ProviderServer, args []*tfprotov6.DynamicValue) tftypes.Value {
	resp, err := s.CallFunction(context.Background(), &tfprotov6.CallFunctionRequest{Name: "faq_match", Arguments: args})
	if err != nil || resp.Error != nil {
		t.Fatal(err, resp.Error)
	}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"node": tftypes.String, "score": tftypes.Number,
		"runner_up": tftypes.String, "runner_up_score": tftypes.Number}}
	v, err := resp.Result.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The index is built once per node set and reused; changing a user says builds a new one, and
// changing only bot says does not.
func TestFAQMatchReusesIndex(t *testing.T) {
	s, _ := NewServer("test")()
	nodes := faqcsv.QuestionNodes(50)
	before := matchIndexes.builds
	var first tftypes.Value
	for i := range 3 {
		v := callMatch(t, s, matchArgs(t, nodes, "how do i cancel my ka account"))
		if i == 0 {
			first = v
		} else if !v.Equal(first) {
			t.Fatalf("call %d gave %v, first %v", i, v, first)
		}
	}
	var got map[string]tftypes.Value
	if err := first.As(&got); err != nil {
		t.Fatal(err)
	}
	var node string
	_ = got["node"].As(&node)
	if node != "node_000000" {
		t.Errorf("best node %q, want node_000000", node)
	}
	if b := matchIndexes.builds - before; b != 1 {
		t.Errorf("3 calls built %d indexes, want 1", b)
	}
	nodes[1].BotSays = []string{"another answer"}
	callMatch(t, s, matchArgs(t, nodes, "anything"))
	if b := matchIndexes.builds - before; b != 1 {
		t.Errorf("a bot says change rebuilt the index (%d builds)", b)
	}
	nodes[1].UserSays = []string{"a new question"}
	callMatch(t, s, matchArgs(t, nodes, "anything"))
	if b := matchIndexes.builds - before; b != 2 {
		t.Errorf("a user says change did not rebuild the index (%d builds)", b)
	}
}

// BenchmarkFAQMatch: faq_match through the provider's CallFunction on a 10,000-node domain, as a
// plan calls it once per question of a test set. "first" is a call that builds the index (the
// first question of a plan); "reused" is every later call with the same nodes, which reuses it
// (builds/op 0) and pays for the framework's decoding of the nodes value, hashing it and one match.
func BenchmarkFAQMatch(b *testing.B) {
	s, _ := NewServer("bench")()
	nodes := faqcsv.QuestionNodes(10_000)
	qs := []string{"how can i cancel my kazo subscription", "I forgot the pasword of my nebemex account", "where is my refund"}
	args := make([][]*tfprotov6.DynamicValue, len(qs))
	for i, q := range qs {
		args[i] = matchArgs(b, nodes, q)
	}
	b.Run("first/nodes=10000", func(b *testing.B) {
		for b.Loop() {
			matchIndexes = newIndexCache()
			callMatch(b, s, args[0])
		}
	})
	b.Run("reused/nodes=10000", func(b *testing.B) {
		b.ReportAllocs()
		callMatch(b, s, args[0])
		builds := matchIndexes.builds
		i := 0
		for b.Loop() {
			callMatch(b, s, args[i%len(args)])
			i++
		}
		b.ReportMetric(float64(matchIndexes.builds-builds)/float64(b.N), "builds/op")
	})
}

// A null user says, or a null list, is refused with the argument named, not matched around.
func TestFAQMatchRefusesNulls(t *testing.T) {
	s, _ := NewServer("test")()
	listType := tftypes.List{ElementType: tftypes.String}
	nodeType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_says": listType, "bot_says": listType}}
	mapType := tftypes.Map{ElementType: nodeType}
	answer := tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(tftypes.String, "an answer")})
	for name, userSays := range map[string]tftypes.Value{
		"null element": tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(tftypes.String, nil)}),
		"null list":    tftypes.NewValue(listType, nil),
	} {
		nodes, err := tfprotov6.NewDynamicValue(mapType, tftypes.NewValue(mapType, map[string]tftypes.Value{
			"a": tftypes.NewValue(nodeType, map[string]tftypes.Value{"user_says": userSays, "bot_says": answer}),
		}))
		if err != nil {
			t.Fatal(err)
		}
		q, _ := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "hello"))
		resp, err := s.CallFunction(context.Background(), &tfprotov6.CallFunctionRequest{Name: "faq_match", Arguments: []*tfprotov6.DynamicValue{&nodes, &q}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Error == nil || resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 0 ||
			!strings.Contains(resp.Error.Text, "without null values") {
			t.Errorf("%s: got %+v, want an error on argument 0", name, resp.Error)
		}
	}
}
