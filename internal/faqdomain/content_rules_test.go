package faqdomain

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every content mistake is an error at its exact attribute path, with a message that says what to
// do. (Path rendering through the real Terraform CLI is checked for each kind of path by
// TestAccFAQDomain_planTimeValidation in internal/provider.)
func TestValidateContentRules(t *testing.T) {
	ok := node{UserSays: []string{"hi"}, BotSays: []string{"hello"}}
	bot := func(answers ...string) map[string]node {
		return map[string]node{"n": {UserSays: []string{"q"}, BotSays: answers}}
	}
	user := func(says ...string) map[string]node {
		return map[string]node{"n": {UserSays: says, BotSays: []string{"a"}}}
	}
	cases := []struct {
		name   string
		domain string
		nodes  map[string]node
		extra  string
		want   *regexp.Regexp
	}{
		// Node names.
		{"blank node name", "d", map[string]node{" ": ok}, "",
			phrases("Blank Node Name", `nodes[" "]: A node name identifies the node in Haptik and cannot be blank; give the node a name.`)},
		{"empty node name", "d", map[string]node{"": ok}, "",
			phrases("Blank Node Name", `nodes[""]: A node name identifies the node`)},
		{"leading space in name", "d", map[string]node{" refunds": ok}, "",
			phrases("Node Name Has Surrounding Whitespace", `nodes[" refunds"]: The node name " refunds" has whitespace at its start or end`)},
		{"trailing space in name", "d", map[string]node{"refunds ": ok}, "",
			phrases("Node Name Has Surrounding Whitespace", `nodes["refunds "]: The node name "refunds " has whitespace`)},
		{"newline in name", "d", map[string]node{"a\nb": ok}, "",
			phrases("Control Character in Node Name", `nodes["a\nb"]: The node name "a\nb" contains a line break`)},
		{"control character in name", "d", map[string]node{"a\x07b": ok}, "",
			phrases("Control Character in Node Name", `use a name on one line.`)},
		{"name too long", "d", map[string]node{strings.Repeat("n", 201): ok}, "",
			phrases("Node Name Too Long", "The node name is 201 characters long; keep node names to at most 200 characters.")},
		{"names differing only in case", "d", map[string]node{"Refunds": ok, "refunds": {UserSays: []string{"other"}, BotSays: ok.BotSays}}, "",
			phrases("Node Names Differ Only in Case", `nodes["refunds"]: The node names "Refunds" and "refunds" differ only in letter case: one node to a person, ambiguous to Haptik.`)},
		// User says.
		{"empty user says", "d", map[string]node{"n": {UserSays: []string{}, BotSays: ok.BotSays}}, "",
			phrases("Empty User Says List", `nodes["n"].user_says: Every node needs at least one user says; add one to the list.`)},
		{"blank user says", "d", user("a", ""), "",
			phrases("Blank User Says", `nodes["n"].user_says[1]: A user says cannot be blank; write the text or remove the entry.`)},
		{"whitespace user says", "d", user(" \t "), "",
			phrases("Blank User Says", `nodes["n"].user_says[0]: A user says cannot be blank`)},
		{"pipe in user says", "d", map[string]node{"refunds": {UserSays: []string{"a", "b", "refund|return"}, BotSays: ok.BotSays}}, "",
			phrases(`nodes["refunds"].user_says[2]: "|" separates user says in Haptik's CSV and cannot appear inside one; split it into two entries.`)},
		{"newline in user says", "d", user("first line\nsecond line"), "",
			phrases("Line Break in User Says", `nodes["n"].user_says[0]: A user says is one message a user would type, on one line`)},
		{"carriage return in user says", "d", user("a\rb"), "",
			phrases("Line Break in User Says", `nodes["n"].user_says[0]:`)},
		{"user says repeated in a node", "d", user("reset password", "forgot", "reset password"), "",
			phrases("Repeated User Says", `nodes["n"].user_says[2]: "reset password" repeats user_says[0] of the same node`)},
		{"user says repeated ignoring case and spacing", "d", user("Reset  Password", "reset password"), "",
			phrases("Repeated User Says", `nodes["n"].user_says[1]: "reset password" repeats user_says[0] of the same node (ignoring case and spacing)`)},
		{"user says shared by two nodes", "d", map[string]node{
			"account": {UserSays: []string{"login help", "reset password"}, BotSays: ok.BotSays},
			"billing": {UserSays: []string{"Reset Password"}, BotSays: ok.BotSays},
		}, "", phrases("User Says in Two Nodes", `nodes["billing"].user_says[0]: "Reset Password" is also user_says[1] of node "account"`,
			`keep it in only one of the nodes "account" and "billing".`)},
		// Bot says.
		{"empty bot says", "d", map[string]node{"n": {UserSays: ok.UserSays, BotSays: []string{}}}, "",
			phrases("Empty Bot Says List", `nodes["n"].bot_says: Every node needs at least one bot says; add one to the list.`)},
		{"blank bot says", "d", bot("fine", "  "), "",
			phrases("Blank Bot Says", `nodes["n"].bot_says[1]: A bot says cannot be blank`)},
		{"tag in bot says", "d", bot("one<m>two"), "",
			phrases(`nodes["n"].bot_says[0]: "<m>" separates bot says in Haptik's CSV and cannot appear inside one (in any letter case); split it into two entries.`)},
		{"tag in other case", "d", bot("ok", "one <M> two"), "",
			phrases("Separator Inside Bot Says", `nodes["n"].bot_says[1]: "<m>" separates bot says`)},
		{"carriage return in bot says", "d", bot("line\r\nline"), "",
			phrases("Control Character in Bot Says", `nodes["n"].bot_says[0]: The answer contains a carriage return`, `replace(text, "\r\n", "\n")`)},
		{"invalid HSL JSON", "d", bot(`{"type": "TEXT",}`), "",
			phrases("Invalid HSL JSON", `nodes["n"].bot_says[0]: The answer starts with "{", so it is read as HSL JSON, but it is not valid JSON`,
				`at byte offset 16: after "{\"type\": \"TEXT\"," comes "}".`)},
		{"HSL with trailing text", "d", bot(`{"type":"TEXT"} and more`), "",
			phrases("Invalid HSL JSON", `unexpected data after the JSON object at byte offset 16: after "{\"type\":\"TEXT\"} " comes "and more".`)},
		{"HSL without type", "d", bot(`{"text":"hi"}`), "",
			phrases("HSL Without Type", `nodes["n"].bot_says[0]: The HSL object needs a string "type" (TEXT, BUTTON or CAROUSEL); add it.`)},
		{"HSL type not a string", "d", bot(`{"type":3}`), "",
			phrases("HSL Without Type", `nodes["n"].bot_says[0]:`)},
		{"HSL data not an object", "d", bot(`{"type":"TEXT","data":"x"}`), "",
			phrases("Invalid HSL Structure", `The HSL "data" must be a JSON object.`)},
		{"quick replies not a list", "d", bot(`{"type":"TEXT","data":{"quick_replies":"Yes"}}`), "",
			phrases("Invalid HSL Structure", `The HSL TEXT "data.quick_replies" must be a list.`)},
		{"quick reply without label", "d", bot(`{"type":"TEXT","data":{"quick_replies":[{"payload":{"message":"Yes"}}]}}`), "",
			phrases("Incomplete HSL Button", `The HSL data.quick_replies[0] needs "actionable_text", the label users see; add it.`)},
		{"quick reply without message", "d", bot(`{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"Yes","payload":{}}]}}`), "",
			phrases("Incomplete HSL Quick Reply", `The quick reply data.quick_replies[0] needs "payload.message"`)},
		{"button without items", "d", bot(`{"type":"BUTTON","text":"Pick one"}`), "",
			phrases("Incomplete HSL Button", `An HSL BUTTON needs a non-empty "data.items" list; add its items.`)},
		{"button item without label", "d", bot(`{"type":"BUTTON","data":{"items":[{"uri":"LINK","type":"APP_ACTION"}]}}`), "",
			phrases("Incomplete HSL Button", `The HSL data.items[0] needs "actionable_text"`)},
		{"carousel item without image", "d", bot(`{"type":"CAROUSEL","data":{"items":[{"title":"Shoes"}]}}`), "",
			phrases("Incomplete HSL Carousel Item", `The carousel item data.items[0] needs "thumbnail.image"`)},
		{"carousel actionable without label", "d", bot(`{"type":"CAROUSEL","data":{"items":[{"thumbnail":{"image":"https://x/y.png"},"actionables":[{"uri":"LINK"}]}]}}`), "",
			phrases("Incomplete HSL Button", `The HSL data.items[0].actionables[0] needs "actionable_text"`)},
		// The domain and other attributes.
		{"blank domain", "", map[string]node{"n": ok}, "",
			phrases("Blank Domain Name", "domain_name: The domain name says which Haptik bot receives the nodes and cannot be blank")},
		{"domain with spaces", " acme ", map[string]node{"n": ok}, "",
			phrases("Domain Name Has Surrounding Whitespace", `domain_name: " acme " has whitespace at its start or end`)},
		{"domain with newline", "acme\n", map[string]node{"n": ok}, "",
			phrases("Domain Name Has Surrounding Whitespace", `domain_name: "acme\n"`)},
		{"domain with control character", "ac\x1bme", map[string]node{"n": ok}, "",
			phrases("Control Character in Domain Name", `domain_name: "ac\x1bme" contains a line break or another control character`)}}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diags := Validate(encode(t, config(tc.nodes, map[string]tftypes.Value{AttrDomainName: str(tc.domain)})))
			if !diags.HasError() || !tc.want.MatchString(detail(diags)) {
				t.Fatalf("diagnostics do not match %s:\n%s", tc.want, detail(diags))
			}
		})
	}
}

// phrases matches the given phrases, in order; each space in a phrase matches any run of
// whitespace, as in the provider's CLI tests.
func phrases(ps ...string) *regexp.Regexp {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
