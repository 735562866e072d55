package faqdomain

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func competingValue(check any, threshold any) tftypes.Value {
	t := attrTypes[AttrCompeting].(tftypes.Object)
	return tftypes.NewValue(t, map[string]tftypes.Value{
		CompetingCheck:     tftypes.NewValue(tftypes.String, check),
		CompetingThreshold: tftypes.NewValue(tftypes.Number, threshold),
	})
}

// competingNodes has one competing pair: reset and reset_again ask the same question, written
// differently only in case and punctuation (which the exact-duplicate rule does not equate), and
// "reset my pin" is close to both in words but not in the word that matters.
var competingNodes = map[string]node{
	"track":       {UserSays: []string{"how do I track my order", "how can I track my parcel"}, BotSays: []string{"t"}},
	"pay":         {UserSays: []string{"how do I pay my bill", "how can I pay by card"}, BotSays: []string{"p"}},
	"address":     {UserSays: []string{"how do I change my address", "how can I update my address"}, BotSays: []string{"a"}},
	"close":       {UserSays: []string{"how do I close my account", "how can I delete my account"}, BotSays: []string{"c"}},
	"reset":       {UserSays: []string{"how do I reset my password", "forgot password"}, BotSays: []string{"a"}},
	"reset_again": {UserSays: []string{"password assistance", "How do I reset my password?"}, BotSays: []string{"b"}},
	"pin":         {UserSays: []string{"reset my pin", "change my pin"}, BotSays: []string{"c"}},
	"order":       {UserSays: []string{"where is my order"}, BotSays: []string{"d"}},
	"parcel":      {UserSays: []string{"where is my parcel"}, BotSays: []string{"e"}},
}

func TestValidateCompetingQuestions(t *testing.T) {
	const pair = `nodes["reset"].user_says[0] "how do I reset my password" and nodes["reset_again"].user_says[1] "How do I reset my password?" (1.00)`
	for _, tc := range []struct {
		name string
		set  tftypes.Value
		// want is the one diagnostic as "warning|error path: summary: detail fragment", or "".
		want string
	}{
		{"default: a warning with both paths", tftypes.NewValue(attrTypes[AttrCompeting], nil),
			`warning nodes["reset_again"].user_says[1]: Competing Questions: ` + "These user says of two different nodes are so alike (similarity 0.80 or more)"},
		{"both paths", competingValue(nil, nil), pair},
		{"error", competingValue(CheckError, nil), `error nodes["reset_again"].user_says[1]: Competing Questions: `},
		{"off", competingValue(CheckOff, nil), ""},
		{"threshold as Terraform writes 0.85", competingValue(nil, func() *big.Float {
			f, _, _ := big.ParseFloat("0.85", 10, 512, big.ToNearestEven)
			return f
		}()), "(similarity 0.85 or more)"},
		{"unknown check waits", tftypes.NewValue(attrTypes[AttrCompeting].(tftypes.Object), map[string]tftypes.Value{
			CompetingCheck: tftypes.NewValue(tftypes.String, tftypes.UnknownValue), CompetingThreshold: tftypes.NewValue(tftypes.Number, nil)}), ""},
		{"unknown setting waits", tftypes.NewValue(attrTypes[AttrCompeting], tftypes.UnknownValue), ""},
		{"invalid check", competingValue("loud", nil), `error competing_questions.check: Invalid Competing Questions Check: competing_questions.check is "loud"`},
		{"zero threshold", competingValue(nil, 0), `error competing_questions.threshold: Invalid Competing Questions Threshold`},
		{"threshold above 1", competingValue(CheckError, 2), `error competing_questions.threshold: Invalid Competing Questions Threshold`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := Validate(encode(t, config(competingNodes, map[string]tftypes.Value{AttrCompeting: tc.set})))
			if tc.want == "" {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostics, got %s", detail(diags))
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want 1 diagnostic, got %d: %s", len(diags), detail(diags))
			}
			kind := "error"
			if diags[0].Warning {
				kind = "warning"
			}
			if got := kind + " " + diags[0].Path.String() + ": " + diags[0].Summary + ": " + diags[0].Detail; !strings.Contains(got, tc.want) {
				t.Errorf("got  %s\nwant it to contain %s", got, tc.want)
			}
		})
	}
}

// Many pairs: one diagnostic at nodes, the first pairs listed and the rest counted.
func TestValidateCompetingQuestionsCapped(t *testing.T) {
	nodes := map[string]node{}
	for i := range 30 {
		nodes[fmt.Sprintf("n%02d", i)] = node{UserSays: []string{fmt.Sprintf("how do I reset my zorvex%d password", i/2),
			fmt.Sprintf("something %d else entirely %d", i, i)}, BotSays: []string{"x"}}
	}
	// Nodes 2k and 2k+1 ask the same in other common words.
	for i := 1; i < 30; i += 2 {
		n := nodes[fmt.Sprintf("n%02d", i)]
		n.UserSays[0] = fmt.Sprintf("how can I reset my zorvex%d password", i/2)
		nodes[fmt.Sprintf("n%02d", i)] = n
	}
	if diags := Validate(encode(t, config(nodes, nil))); len(diags) != 0 {
		t.Fatalf("at the default threshold these pairs (about 0.73) do not compete: %s", detail(diags))
	}
	diags := Validate(encode(t, config(nodes, map[string]tftypes.Value{AttrCompeting: competingValue(nil, 0.7)})))
	if len(diags) != 1 || diags[0].Path.String() != "nodes" || !diags[0].Warning {
		t.Fatalf("want one warning at nodes, got %s", detail(diags))
	}
	d := diags[0].Detail
	if !strings.HasPrefix(d, "15 pairs of user says of different nodes") || strings.Count(d, "\n  - ") != competingShown ||
		!strings.Contains(d, "\n  … and 5 more.") || !strings.Contains(d, `nodes["n00"].user_says[0] "how do I reset my zorvex0 password" and nodes["n01"].user_says[0]`) {
		t.Errorf("detail:\n%s", d)
	}
}

// Generated configuration leaves competing_questions to its defaults, as it does timeouts.
func TestGenerateConfigLeavesCompetingToDefaults(t *testing.T) {
	state := encode(t, applied(testNodes, map[string]tftypes.Value{AttrCompeting: competingValue(CheckError, 0.9)}))
	out, err := GenerateConfig(state)
	if err != nil {
		t.Fatal(err)
	}
	if v := decode(t, out)[AttrCompeting]; !v.IsNull() {
		t.Errorf("generated competing_questions = %v", v)
	}
}
