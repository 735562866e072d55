package provider

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// The nodes map is walked directly rather than through reflection (ElementsAs): it can hold
// thousands of nodes and is read on every plan.

// nodesFromMap converts the nodes attribute to faqcsv nodes. known is false when the map is null
// or anything in it is still unknown.
func nodesFromMap(m types.Map) (nodes []faqcsv.Node, known bool) {
	if m.IsNull() || m.IsUnknown() {
		return nil, false
	}
	elems := m.Elements()
	nodes = make([]faqcsv.Node, 0, len(elems))
	for name, v := range elems {
		obj, ok := v.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			return nil, false
		}
		attrs := obj.Attributes()
		userSays, ok1 := knownStrings(attrs["user_says"])
		botSays, ok2 := knownStrings(attrs["bot_says"])
		if !ok1 || !ok2 {
			return nil, false
		}
		nodes = append(nodes, faqcsv.Node{Name: name, UserSays: userSays, BotSays: botSays})
	}
	faqcsv.SortNodes(nodes)
	return nodes, true
}

// knownStrings returns a list's strings, or false when the list or any element is unknown or null.
func knownStrings(v attr.Value) ([]string, bool) {
	l, ok := v.(types.List)
	if !ok || l.IsNull() || l.IsUnknown() {
		return nil, false
	}
	elems := l.Elements()
	out := make([]string, len(elems))
	for i, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return nil, false
		}
		out[i] = s.ValueString()
	}
	return out, true
}

// checkContent applies the content rules to every value of the configuration that is known,
// skipping what is still unknown, and returns the problems in node-name order.
func checkContent(domain types.String, m types.Map) []faqcsv.Problem {
	c := faqcsv.NewChecker()
	if !domain.IsNull() && !domain.IsUnknown() {
		c.Domain(domain.ValueString())
	}
	if m.IsNull() || m.IsUnknown() {
		return c.Problems()
	}
	elems := m.Elements()
	names := make([]string, 0, len(elems))
	for name := range elems {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		c.Node(name)
		obj, ok := elems[name].(types.Object)
		if !ok || obj.IsUnknown() {
			continue
		}
		for _, f := range []faqcsv.Field{faqcsv.FieldUserSays, faqcsv.FieldBotSays} {
			if obj.IsNull() {
				c.List(name, f, 0) // a null node has neither list
				continue
			}
			l, ok := obj.Attributes()[string(f)].(types.List)
			if !ok || l.IsUnknown() {
				continue
			}
			c.List(name, f, len(l.Elements()))
			for i, e := range l.Elements() {
				if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
					c.Value(name, f, i, s.ValueString())
				}
			}
		}
	}
	return c.Problems()
}

// problemPath is the attribute path of a content problem, e.g. nodes["refunds"].user_says[2].
func problemPath(p faqcsv.Problem) path.Path {
	if p.Field == faqcsv.FieldDomain {
		return path.Root("domain_name")
	}
	at := path.Root("nodes").AtMapKey(p.Node)
	if p.Field == faqcsv.FieldName {
		return at
	}
	at = at.AtName(string(p.Field))
	if p.Index >= 0 {
		at = at.AtListIndex(p.Index)
	}
	return at
}

// problemText is how every content problem reads, in diagnostics and function errors alike: the
// path, then the detail, e.g. `nodes["refunds"].user_says[2]: "|" separates user says ...`.
func problemText(p faqcsv.Problem) string {
	return problemPath(p).String() + ": " + p.Detail
}

// addProblems reports content problems as attribute diagnostics.
func addProblems(diags *diag.Diagnostics, ps []faqcsv.Problem) {
	for _, p := range ps {
		if p.Warning {
			diags.AddAttributeWarning(problemPath(p), p.Summary, problemText(p))
		} else {
			diags.AddAttributeError(problemPath(p), p.Summary, problemText(p))
		}
	}
}

var nodeAttrTypes = map[string]attr.Type{
	"user_says": types.ListType{ElemType: types.StringType},
	"bot_says":  types.ListType{ElemType: types.StringType},
}

// keepEquivalentHSL returns the prior nodes when the planned ones differ from them only in how
// HSL JSON answers are formatted (whitespace, key order), and the planned nodes otherwise.
// Terraform accepts a planned value equal to the prior one as functionally equivalent, so
// reformatting answers plans nothing. nodes is a single attribute, so this holds for the map as a
// whole: alongside a real change, a reformatted answer shows (and is uploaded compact) too.
func keepEquivalentHSL(planned, prior types.Map) types.Map {
	if planned.IsNull() || planned.IsUnknown() || prior.IsNull() || prior.IsUnknown() || planned.Equal(prior) {
		return planned
	}
	priorElems, plannedElems := prior.Elements(), planned.Elements()
	if len(priorElems) != len(plannedElems) {
		return planned
	}
	for name, v := range plannedElems {
		obj, ok1 := v.(types.Object)
		priorObj, ok2 := priorElems[name].(types.Object)
		if !ok1 || !ok2 || obj.IsNull() || obj.IsUnknown() || priorObj.IsNull() || priorObj.IsUnknown() {
			return planned
		}
		attrs, priorAttrs := obj.Attributes(), priorObj.Attributes()
		if !attrs["user_says"].Equal(priorAttrs["user_says"]) || !equivalentAnswers(attrs["bot_says"], priorAttrs["bot_says"]) {
			return planned
		}
	}
	return prior
}

// equivalentAnswers reports whether two bot_says lists hold the same answers, HSL compared as JSON.
func equivalentAnswers(a, b attr.Value) bool {
	as, okA := knownStrings(a)
	bs, okB := knownStrings(b)
	if !okA || !okB || len(as) != len(bs) {
		return false
	}
	for i := range as {
		if as[i] != bs[i] && !faqcsv.EquivalentHSL(as[i], bs[i]) {
			return false
		}
	}
	return true
}

// removedNodes lists the node names of prior that planned no longer has, sorted.
func removedNodes(planned, prior types.Map) []string {
	if planned.IsUnknown() || prior.IsNull() || prior.IsUnknown() {
		return nil
	}
	keep := planned.Elements()
	var out []string
	for name := range prior.Elements() {
		if _, ok := keep[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// nameList quotes names for a message, cut to a readable length with "and N more".
func nameList(names []string) string {
	const shown = 10
	q := make([]string, 0, shown)
	for i, n := range names {
		if i == shown {
			break
		}
		q = append(q, strconv.Quote(n))
	}
	s := strings.Join(q, ", ")
	if len(names) > shown {
		s += fmt.Sprintf(" and %d more", len(names)-shown)
	}
	return s
}
