package provider

import (
	"fmt"
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
