package review

import (
	"fmt"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqmatch"
)

// The section "Questions that now reach a different answer": for a changed domain, the questions
// whose best node, by the provider's offline matcher (faqmatch, the matcher behind faq_match),
// differs between the prior and the planned content, and the competing pairs of user says the
// change introduces. The matcher approximates Haptik's language model; the section says so.

// questionLimit is how many user says of changed nodes the section checks (deactivated nodes'
// first, then edited, then added ones): each is matched against both versions of the domain, and
// a plan of thousands of changed nodes must still be reviewed in seconds. Test-set questions
// (-questions) are always checked.
const questionLimit = 200

// movedQuestion is a question whose best node changes.
type movedQuestion struct {
	text, from, to string
	test           bool // from the test set, not a user says
}

// questionBlocks is the section for dc, or nothing when no question moves and no pair of
// questions starts competing. tests are the test set's questions.
func questionBlocks(f fmtr, dc *domainChange, tests []string) []*block {
	if dc.hidden || dc.after.nodesUnknown || dc.action == "delete" {
		return nil
	}
	after := matcherNodes(dc.after.nodes)
	var moved []movedQuestion
	var checked int
	sameDomainBefore := dc.action != "create" && (dc.action != "replace" || sameDomain(dc.oldDomain, dc.newDomain))
	if sameDomainBefore {
		moved, checked = movedQuestions(dc, matcherNodes(dc.before.nodes), after, tests)
	}
	var pairs []faqmatch.Pair
	threshold, check := competingSetting(dc.after)
	if check {
		pairs = newCompetingPairs(matcherNodes(dc.before.nodes), after, threshold, sameDomainBefore)
	}
	if len(moved) == 0 && len(pairs) == 0 {
		return nil
	}
	title := "Questions that now reach a different answer"
	intro := fmt.Sprintf("By the provider's offline matcher (`faq_match`, an approximation of Haptik's language model, not a "+
		"promise), checking %s.\n", plural(checked, "question", "questions"))
	if !f.md {
		intro = strings.ReplaceAll(intro, "`", "")
	}
	var blocks []*block
	b := &block{prio: 2}
	if f.md {
		b.fixed = "#### " + title + "\n\n" + intro + "\n"
	} else {
		b.fixed = "  " + strings.ToUpper(title[:1]) + title[1:] + "\n  " + intro
	}
	foldBlock(f, b, len(moved), "questions")
	b.more = moreItems(f, "questions")
	items := make([]string, 0, len(moved))
	for _, m := range moved {
		what := "user says"
		if m.test {
			what = "test question"
		}
		items = append(items, f.item(0, fmt.Sprintf("%s (%s): %s → %s", f.quote(val{s: m.text}), what, nodeOrNone(f, m.from), nodeOrNone(f, m.to))))
	}
	b.setItems(items)
	blocks = append(blocks, b)
	if len(pairs) > 0 {
		c := &block{prio: 2, fixed: fmt.Sprintf("%s so alike (similarity %.2f or more) that either node could answer:\n",
			f.bold(fmt.Sprintf("New competing questions: %s", plural(len(pairs), "pair", "pairs"))), threshold)}
		if f.md {
			c.fixed += "\n"
		} else {
			c.fixed = "  " + c.fixed
		}
		foldBlock(f, c, len(pairs), "pairs")
		c.more = moreItems(f, "pairs")
		pairItems := make([]string, 0, len(pairs))
		for _, p := range pairs {
			pairItems = append(pairItems, f.item(0, fmt.Sprintf("%s (%s) and %s (%s), %.2f", f.quote(val{s: p.A.Text}), f.name(p.A.Node),
				f.quote(val{s: p.B.Text}), f.name(p.B.Node), p.Similarity)))
		}
		c.setItems(pairItems)
		blocks = append(blocks, c)
	}
	return blocks
}

func nodeOrNone(f fmtr, name string) string {
	if name == "" {
		return f.em("no node")
	}
	return f.name(name)
}

func foldBlock(f fmtr, b *block, n int, what string) {
	switch {
	case !f.md:
		b.close = "\n"
	case n > foldOver && f.html():
		b.open = fmt.Sprintf("<details><summary>Show the %s %s</summary>\n\n", count(n), what)
		b.close = "\n</details>\n\n"
	default:
		b.close = "\n"
	}
}

func moreItems(f fmtr, what string) func(int) string {
	return func(missing int) string {
		return f.item(0, f.bold(fmt.Sprintf("… and %s more %s not listed here", count(missing), what))+
			": this summary must fit one comment.")
	}
}

// matcherNodes is a side's nodes as the matcher sees them: known, not sensitive user says only.
func matcherNodes(m map[string]*node) []faqmatch.Node {
	var out []faqmatch.Node
	for _, n := range nodeList(m) {
		if n.unknown || n.sensitive || n.userSays.unknown || n.userSays.sensitive {
			continue
		}
		mn := faqmatch.Node{Name: n.name}
		for _, v := range n.userSays.vals {
			if !v.unknown && !v.sensitive {
				mn.UserSays = append(mn.UserSays, v.s)
			}
		}
		out = append(out, mn)
	}
	return out
}

// movedQuestions matches the user says of the changed nodes (at most questionLimit) and the test
// questions against both versions, and returns those whose best node differs, with how many were
// checked. Not listed: a user says that reached no node before and now reaches its own node (what
// adding it means), and a deactivated node's user says that now reaches no node (the section of
// deactivated nodes lists it).
func movedQuestions(dc *domainChange, before, after []faqmatch.Node, tests []string) ([]movedQuestion, int) {
	type candidate struct {
		text, own string
		test      bool
		removed   bool // a user says of a deactivated node
	}
	var cands []candidate
	seen := map[string]bool{}
	addNode := func(n *node, removed bool) {
		if n.unknown || n.sensitive || n.userSays.unknown || n.userSays.sensitive {
			return
		}
		for _, v := range n.userSays.vals {
			if k := questionKey(v.s); !v.unknown && !v.sensitive && !seen[k] && len(cands) < questionLimit {
				seen[k] = true
				cands = append(cands, candidate{text: v.s, own: n.name, removed: removed})
			}
		}
	}
	for _, n := range dc.removed {
		addNode(n, true)
	}
	for _, e := range dc.edited {
		addNode(e[0], false)
		addNode(e[1], false)
	}
	for _, n := range dc.added {
		addNode(n, false)
	}
	for _, q := range tests {
		if k := questionKey(q); k != "" && !seen[k] {
			seen[k] = true
			cands = append(cands, candidate{text: q, test: true})
		}
	}
	if len(cands) == 0 {
		return nil, 0
	}
	bi, ai := faqmatch.New(before), faqmatch.New(after)
	var out []movedQuestion
	for _, c := range cands {
		from, to := bi.Match(c.text).Node, ai.Match(c.text).Node
		switch {
		case from == to:
			continue
		case from == "" && to == c.own && !c.test:
			continue // a new question answered by its own node: what adding it means
		case c.removed && to == "":
			continue // the deactivated section lists it as no longer answered
		}
		out = append(out, movedQuestion{text: c.text, from: from, to: to, test: c.test})
	}
	return out, len(cands)
}

// newCompetingPairs is the competing pairs of the planned content that the prior content did not
// have (all of them when the prior content is another domain's or none).
func newCompetingPairs(before, after []faqmatch.Node, threshold float64, compare bool) []faqmatch.Pair {
	says := func(ns []faqmatch.Node) []faqmatch.Say {
		var out []faqmatch.Say
		for _, n := range ns {
			for i, s := range n.UserSays {
				out = append(out, faqmatch.Say{Node: n.Name, Index: i, Text: s})
			}
		}
		return out
	}
	key := func(p faqmatch.Pair) string {
		a, b := p.A.Node+"\x00"+p.A.Text, p.B.Node+"\x00"+p.B.Text
		if a > b {
			a, b = b, a
		}
		return a + "\x00" + b
	}
	old := map[string]bool{}
	if compare {
		for _, p := range faqmatch.Competing(says(before), threshold) {
			old[key(p)] = true
		}
	}
	var out []faqmatch.Pair
	for _, p := range faqmatch.Competing(says(after), threshold) {
		if !old[key(p)] {
			out = append(out, p)
		}
	}
	return out
}

// competingSetting reads the planned competing_questions: the threshold, and whether the check is
// on (off only with check = "off"). Unreadable or unknown settings read as the defaults.
func competingSetting(s side) (float64, bool) {
	threshold := 0.8 // faqdomain.DefaultCompetingThreshold (a test keeps them equal), without importing faqdomain
	c, _ := s.attrs["competing_questions"].(map[string]any)
	if c == nil {
		return threshold, true
	}
	if check, _ := c["check"].(string); check == "off" {
		return threshold, false
	}
	if t, ok := c["threshold"].(float64); ok && t > 0 && t <= 1 {
		threshold = t
	}
	return threshold, true
}
