package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// The functions' nodes values (faq_csv's argument, faq_nodes' result), in the framework's types.
// The map is walked directly rather than through reflection (ElementsAs): it can hold thousands
// of nodes.

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

var nodeAttrTypes = map[string]attr.Type{
	"user_says": types.ListType{ElemType: types.StringType},
	"bot_says":  types.ListType{ElemType: types.StringType},
}
