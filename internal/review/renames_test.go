package review

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// renamesBefore and renamesAfter: a domain change with each kind of rename. talk_to_agent becomes
// human_handoff with the same questions (the second differs only in case and spacing) and the same
// answer; refund_policy becomes refunds, asking one question more, with its answer edited; both
// are renames. order_faq becomes orders but two of its four questions are dropped, so it is only a
// likely rename, and legacy_promo is removed.
var renamesBefore = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    talk_to_agent = {
      user_says = ["talk to an agent", "I want a human"]
      bot_says  = ["Connecting you to an agent."]
    }
    refund_policy = {
      user_says = ["what is your refund policy", "refund rules"]
      bot_says  = ["Refunds within 30 days."]
    }
    order_faq = {
      user_says = ["where is my order", "track my order", "change my order", "cancel my order"]
      bot_says  = ["See My Orders."]
    }
    legacy_promo = {
      user_says = ["is the spring sale on"]
      bot_says  = ["The spring sale has ended."]
    }
    opening_hours = {
      user_says = ["when are you open"]
      bot_says  = ["Weekdays, 9:00 to 18:00."]
    }
  }
}
`

var renamesAfter = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    human_handoff = {
      user_says = ["talk to an agent", "i want a  HUMAN"]
      bot_says  = ["Connecting you to an agent."]
    }
    refunds = {
      user_says = ["what is your refund policy", "refund rules", "can I get my money back"]
      bot_says  = ["Refunds within 60 days."]
    }
    orders = {
      user_says = ["where is my order", "track my order"]
      bot_says  = ["See My Orders."]
    }
    opening_hours = {
      user_says = ["when are you open"]
      bot_says  = ["Weekdays, 9:00 to 18:00."]
    }
  }
}
`

// A rename is counted as renamed in the headline and the domain's counts, and is still a
// deactivation: the caution counts it, the gate trips, and the JSON keeps it in deactivated and
// added.
func TestRenames(t *testing.T) {
	plan := readPlan(t, "renames")
	md, sum, err := Render(plan, Options{Format: Markdown})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Renamed != 2 || sum.Deactivated != 4 || sum.Added != 3 || !sum.MayDeactivate {
		t.Errorf("summary %+v, want 2 renamed of 4 deactivated and 3 added, may deactivate", sum)
	}
	for _, want := range []string{
		"**1 domain changes: 1 added, 0 edited, 2 renamed, 2 deactivated.**",
		"**4 nodes will be deactivated**, 2 of them renamed: the questions the other 2 answer stop being answered",
		"#### Renamed: Haptik keys nodes by name",
		"- `talk_to_agent` → `human_handoff` (2 of 2 questions shared)\n  - Question reworded, still answered: “I want a human” → “i want a  HUMAN”\n",
		"- `order_faq`, likely renamed to `orders`; no longer answered: “change my order”, “cancel my order”",
		"**1 added, 0 edited, 2 renamed, 2 deactivated (1 likely rename)**",
		"#### ⛔ Deactivated: 2 nodes.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the review lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "- `talk_to_agent`,") || strings.Contains(md, "- `refund_policy`,") {
		t.Errorf("a rename is listed among the nodes whose questions stop being answered:\n%s", md)
	}
	out, _, err := Render(plan, Options{Format: JSON})
	if err != nil {
		t.Fatal(err)
	}
	var got jsonSummary
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	d := got.Domains[0]
	wantRenamed := []jsonRename{{"refund_policy", "refunds"}, {"talk_to_agent", "human_handoff"}}
	if got.Totals.Renamed != 2 || got.Totals.Deactivated != 4 || d.Counts.Renamed != 2 || fmt.Sprint(d.Renamed) != fmt.Sprint(wantRenamed) ||
		len(d.Deactivated) != 4 || len(d.LikelyRenames) != 3 {
		t.Errorf("JSON totals %+v, domain %+v", got.Totals, d)
	}
}

// Only a node whose every question is asked again is renamed.
func TestKeepsQuestions(t *testing.T) {
	n := func(qs ...val) *node { return &node{name: "n", userSays: list{vals: qs}} }
	s := func(s string) val { return val{s: s} }
	for _, tc := range []struct {
		from, to *node
		want     bool
	}{
		{n(s("a b"), s("c")), n(s("A  b"), s("c")), true},
		{n(s("a"), s("c")), n(s("a"), s("c"), s("d")), true},
		{n(s("a"), s("c")), n(s("a")), false},
		{n(), n(s("a")), false},
		{n(s("a"), val{unknown: true}), n(s("a")), false},
		{n(s("a"), val{sensitive: true}), n(s("a"), val{sensitive: true}), false},
		{n(s("a")), &node{name: "n", unknown: true}, false},
	} {
		if got := keepsQuestions(tc.from, tc.to); got != tc.want {
			t.Errorf("keepsQuestions(%v, %v) = %v", tc.from.userSays.vals, tc.to.userSays.vals, got)
		}
	}
}

// A plan whose only change is a rename still deactivates a node: the headline says renamed, and
// the caution and the gate (MayDeactivate, which -fail-on-deactivation reads) still count it.
func TestRenameOnlyStillDeactivates(t *testing.T) {
	plan := domainPlan(
		map[string][2][]string{"talk_to_agent": {{"talk to an agent"}, {"Connecting you."}}},
		map[string][2][]string{"human_handoff": {{"talk to an agent"}, {"Connecting you."}}})
	for _, format := range []Format{Markdown, Text} {
		out, sum, err := Render(plan, Options{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if !sum.MayDeactivate || sum.Deactivated != 1 || sum.Renamed != 1 || sum.Added != 1 {
			t.Errorf("summary %+v: a rename must count as a deactivation and an addition", sum)
		}
		for _, want := range []string{"1 domain changes: 0 added, 0 edited, 1 renamed, 0 deactivated.",
			"1 node will be deactivated", ", a rename: Haptik keys nodes by name, so a rename deactivates the old name",
			"Questions and answers unchanged"} {
			if !strings.Contains(out, want) {
				t.Errorf("format %d: the review lacks %q:\n%s", format, want, out)
			}
		}
		if strings.Contains(out, "Deactivated: ") || strings.Contains(strings.ToUpper(out), "DEACTIVATED: ") {
			t.Errorf("format %d: a rename is listed as deactivated with its questions lost:\n%s", format, out)
		}
	}
}
