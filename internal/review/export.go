package review

import (
	"fmt"
	"slices"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// This file is what other reports (haptik-faq drift) use of the review: the plan's planned
// content, read by the review's own reader, and the review's way of writing nodes and sections.

// PlannedDomain is the content a plan gives one haptik_faq_domain resource.
type PlannedDomain struct {
	Address string
	// Action is "create", "update", "delete", "replace" or "no-op".
	Action string
	// Domain is the planned domain_name; DomainKnown is false when it is unknown until apply or
	// sensitive.
	Domain      string
	DomainKnown bool
	// Nodes is the planned nodes in name order: for a delete, none.
	Nodes []faqcsv.Node
	// Unknown is set when any of the planned nodes is known only after apply, Sensitive when any is
	// marked sensitive (the plan's JSON holds it, but a report must not show it).
	Unknown, Sensitive bool
	// Uploads is set when applying the plan uploads the domain's content: a create, a replacement,
	// or an update that uploads (its last_task_id is known only after apply).
	Uploads bool
}

// PlannedDomains reads the haptik_faq_domain resources of a plan's JSON (terraform show -json
// <planfile>), in the plan's order. Only input that is not a Terraform plan's JSON is an error.
func PlannedDomains(planJSON []byte) ([]PlannedDomain, error) {
	p, err := parsePlan(planJSON)
	if err != nil {
		return nil, err
	}
	var out []PlannedDomain
	for _, rc := range p.ResourceChanges {
		if (rc.Mode != "" && rc.Mode != "managed") || rc.Type != ResourceType {
			continue
		}
		c := rc.Change
		pd := PlannedDomain{Address: rc.Address, Action: strings.Join(c.Actions, ",")}
		switch pd.Action {
		case "delete,create", "create,delete":
			pd.Action, pd.Uploads = "replace", true
		case "create":
			pd.Uploads = true
		case "update":
			pd.Uploads = marked(c.AfterUnknown, "last_task_id")
		}
		after := readSide(c.After, c.AfterUnknown, c.AfterSensitive)
		if pd.Action == "delete" {
			after = readSide(c.Before, nil, c.BeforeSensitive)
		}
		pd.Domain = after.domain.s
		pd.DomainKnown = after.present && !after.domain.unknown && !after.domain.sensitive
		if pd.Action == "delete" {
			out = append(out, pd)
			continue
		}
		pd.Unknown, pd.Sensitive = after.nodesUnknown, after.nodesSensitive
		for _, n := range nodeList(after.nodes) {
			pd.Unknown = pd.Unknown || n.unknown || n.userSays.unknown || n.botSays.unknown
			pd.Sensitive = pd.Sensitive || n.sensitive || n.userSays.sensitive || n.botSays.sensitive
			fn := faqcsv.Node{Name: n.name}
			for _, v := range n.userSays.vals {
				pd.Unknown, pd.Sensitive = pd.Unknown || v.unknown, pd.Sensitive || v.sensitive
				fn.UserSays = append(fn.UserSays, v.s)
			}
			for _, v := range n.botSays.vals {
				pd.Unknown, pd.Sensitive = pd.Unknown || v.unknown, pd.Sensitive || v.sensitive
				fn.BotSays = append(fn.BotSays, v.s)
			}
			pd.Nodes = append(pd.Nodes, fn)
		}
		out = append(out, pd)
	}
	return out, nil
}

// Formatter writes nodes, callouts and sections as the review does.
type Formatter struct{ f fmtr }

// NewFormatter returns a Formatter for format, and for Markdown, flavor.
func NewFormatter(format Format, flavor Flavor) Formatter {
	return Formatter{newFmtr(format, flavor)}
}

// Name shows a node name, an address or a domain.
func (x Formatter) Name(s string) string { return x.f.name(s) }

// Bold is s in bold (Markdown only).
func (x Formatter) Bold(s string) string { return x.f.bold(s) }

// Alert is a callout of kind NOTE, WARNING or CAUTION: a GitHub alert in Markdown, a quote with
// a bold label in Plain Markdown.
func (x Formatter) Alert(kind, s string) string { return x.f.alert(kind, s) }

// Count writes n with thousands separators.
func (x Formatter) Count(n int) string { return count(n) }

// Nodes is "1 node" or "N nodes".
func (x Formatter) Nodes(n int) string { return nodes(n) }

// Node is a list item for a whole node: its name, its questions and its answers as a person sees
// them, as the review lists an added node.
func (x Formatter) Node(n faqcsv.Node) string { return x.f.addedItem(toNode(n)) }

// Questions is a list item with a node's name and its questions, as the review lists a
// deactivated node.
func (x Formatter) Questions(n faqcsv.Node) string { return x.f.deactivatedItem(toNode(n), nil) }

// Edit is a list item with a node's name and what changes from before to after, as the review
// lists an edited node.
func (x Formatter) Edit(before, after faqcsv.Node) string {
	return x.f.item(0, x.f.name(before.Name)) + x.f.nodeDiff(toNode(before), toNode(after))
}

// Hidden is a list item with a node's name only, for content that must not be shown.
func (x Formatter) Hidden(name string) string {
	return x.f.item(0, x.f.name(name)+": "+x.f.placeholder(val{sensitive: true}))
}

func toNode(n faqcsv.Node) *node {
	vals := func(ss []string) list {
		l := list{vals: make([]val, len(ss))}
		for i, s := range ss {
			l.vals[i] = val{s: s}
		}
		return l
	}
	return &node{name: n.Name, userSays: vals(n.UserSays), botSays: vals(n.BotSays)}
}

// Report is a document laid out as the review is: fixed text always shown, then the items of its
// sections as far as a size limit allows, in priority order.
type Report struct {
	f    fmtr
	doc  document
	more string
}

// NewReport starts a report; more ends the note that counts the items a limit left out (e.g.
// "run the command with -format text to list them all").
func (x Formatter) NewReport(more string) *Report { return &Report{f: x.f, more: more} }

// Text adds text that is always shown.
func (r *Report) Text(s string) { r.doc = append(r.doc, &block{fixed: s}) }

// Section adds a heading and one item per node, folded into <details> when long, as the review's
// sections are. prio orders what a limit keeps (0 first, up to 3); what names the items ("edited").
func (r *Report) Section(prio int, title, what string, items []string) {
	b := r.f.section(prio, title, what, make([]*node, len(items)), func(*node) string { return "" })
	b.setItems(slices.Clone(items))
	b.more = func(missing int) string {
		w := what + " nodes"
		if missing == 1 {
			w = what + " node"
		}
		return r.f.item(0, r.f.bold(fmt.Sprintf("… and %s more %s not listed here", count(missing), w))+": "+r.more)
	}
	r.doc = append(r.doc, b)
}

// Layout writes the report within limit bytes (0: no limit) and reports whether items were left out.
func (r *Report) Layout(limit int) (string, bool) { return r.doc.layout(limit) }
