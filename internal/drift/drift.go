// Package drift compares the FAQ content exported from Haptik's dashboard with the nodes a
// configuration (or a plan) of haptik_faq_domain would upload, so that a change made in the
// dashboard is seen before an apply overwrites it. Haptik has no API to read nodes back, but its
// dashboard exports the CSV the provider uploads.
//
// Two nodes are the same when the content rules would treat them as one: user says compared as a
// set by faqcsv.UserSaysKey (letter case, runs of whitespace and invisible characters aside; their
// order does not matter to Haptik), bot says in order by faqcsv.SameBotSays (HSL JSON by its
// content, however it is formatted). The package is pure: no I/O, no Terraform.
package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/review"
)

// Change is what the dashboard changed relative to the configured nodes, each list in name order.
type Change struct {
	// Edited pairs a node as exported with the configured node of the same name: the apply
	// changes it back.
	Edited [][2]faqcsv.Node
	// Added are nodes in the export that the configuration lacks: added (or reactivated) in the
	// dashboard, deactivated by the apply.
	Added []faqcsv.Node
	// Deactivated are configured nodes missing from the export: deactivated or deleted in the
	// dashboard, active again after the apply.
	Deactivated []faqcsv.Node
	// Same counts the nodes that match.
	Same int
}

// Drifted reports whether the export differs from the configured nodes at all.
func (c Change) Drifted() bool { return len(c.Edited)+len(c.Added)+len(c.Deactivated) > 0 }

// Compare compares an export with the configured nodes.
func Compare(export, configured []faqcsv.Node) Change {
	byName := make(map[string]faqcsv.Node, len(configured))
	for _, n := range configured {
		byName[n.Name] = n
	}
	exported := make(map[string]bool, len(export))
	var c Change
	for _, n := range sorted(export) {
		exported[n.Name] = true
		switch m, ok := byName[n.Name]; {
		case !ok:
			c.Added = append(c.Added, n)
		case SameNode(n, m):
			c.Same++
		default:
			c.Edited = append(c.Edited, [2]faqcsv.Node{n, m})
		}
	}
	for _, n := range sorted(configured) {
		if !exported[n.Name] {
			c.Deactivated = append(c.Deactivated, n)
		}
	}
	return c
}

func sorted(nodes []faqcsv.Node) []faqcsv.Node {
	out := append([]faqcsv.Node(nil), nodes...)
	faqcsv.SortNodes(out)
	return out
}

// SameNode reports whether two nodes of one name hold the same content: the same set of user
// says (as the content rules compare them) and the same bot says in the same order.
func SameNode(a, b faqcsv.Node) bool {
	if len(a.BotSays) != len(b.BotSays) {
		return false
	}
	for i := range a.BotSays {
		if !faqcsv.SameBotSays(a.BotSays[i], b.BotSays[i]) {
			return false
		}
	}
	return sameKeys(a.UserSays, b.UserSays)
}

func sameKeys(a, b []string) bool {
	keys := func(ss []string) map[string]bool {
		m := make(map[string]bool, len(ss))
		for _, s := range ss {
			m[faqcsv.UserSaysKey(s)] = true
		}
		return m
	}
	ka, kb := keys(a), keys(b)
	if len(ka) != len(kb) {
		return false
	}
	for k := range ka {
		if !kb[k] {
			return false
		}
	}
	return true
}

// ReadExport reads a CSV exported from Haptik's dashboard (the upload's format, see
// faqcsv.ParseRows). A file saved on Windows has CRLF line ends, also inside multi-line answers;
// those read as the line feeds Haptik stores (configured content cannot hold a carriage return).
func ReadExport(csv string) ([]faqcsv.Node, error) {
	rows, err := faqcsv.ParseRows(csv)
	if err != nil {
		return nil, err
	}
	nodes := make([]faqcsv.Node, len(rows))
	for i, r := range rows {
		n := r.Node
		for _, l := range [][]string{n.UserSays, n.BotSays} {
			for j, s := range l {
				l[j] = strings.ReplaceAll(s, "\r\n", "\n")
			}
		}
		nodes[i] = n
	}
	return nodes, nil
}

// ReadNodes reads a JSON object shaped like haptik_faq_domain's nodes attribute:
// {"<node name>": {"user_says": ["..."], "bot_says": ["..."]}}, as `terraform output -json` prints
// an output holding the nodes map.
func ReadNodes(data []byte) ([]faqcsv.Node, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, errors.New(`the nodes file is not a JSON object of nodes ({"name": {"user_says": [...], "bot_says": [...]}})`)
	}
	nodes := make([]faqcsv.Node, 0, len(m))
	for name, raw := range m {
		var v struct {
			UserSays []*string `json:"user_says"`
			BotSays  []*string `json:"bot_says"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("node %q is not an object with user_says and bot_says lists of strings: %w", name, err)
		}
		n := faqcsv.Node{Name: name}
		for _, l := range []struct {
			field string
			in    []*string
			out   *[]string
		}{{"user_says", v.UserSays, &n.UserSays}, {"bot_says", v.BotSays, &n.BotSays}} {
			if l.in == nil {
				return nil, fmt.Errorf("node %q has no %s list", name, l.field)
			}
			for i, s := range l.in {
				if s == nil {
					return nil, fmt.Errorf("node %q: %s[%d] is null", name, l.field, i)
				}
				*l.out = append(*l.out, *s)
			}
		}
		nodes = append(nodes, n)
	}
	faqcsv.SortNodes(nodes)
	return nodes, nil
}

// Planned picks the resource of a plan whose nodes the export is compared with: the one whose
// domain_name is domain, or, with domain empty, the plan's only haptik_faq_domain resource.
func Planned(domains []review.PlannedDomain, domain string) (review.PlannedDomain, error) {
	var names []string
	for _, d := range domains {
		if domain != "" && d.DomainKnown && d.Domain == domain {
			return d, nil
		}
		names = append(names, fmt.Sprintf("%s (domain %q)", d.Address, d.Domain))
	}
	switch {
	case len(domains) == 0:
		return review.PlannedDomain{}, errors.New("the plan has no haptik_faq_domain resource")
	case domain == "" && len(domains) == 1:
		return domains[0], nil
	case domain == "":
		return review.PlannedDomain{}, fmt.Errorf("the plan has %d haptik_faq_domain resources; name the exported one with -domain: %s",
			len(domains), strings.Join(names, ", "))
	}
	sort.Strings(names)
	return review.PlannedDomain{}, fmt.Errorf("no haptik_faq_domain resource of the plan has domain_name %q; the plan has %s",
		domain, strings.Join(names, ", "))
}
