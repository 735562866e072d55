package faqdomain

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// node is a node as a test writes it.
type node struct{ UserSays, BotSays []string }

var testNodes = map[string]node{
	"b_node": {UserSays: []string{"q1", "q2", "q3 — ünïcode"}, BotSays: []string{`{"type":"TEXT","text":"x"}`}},
	"a_node": {UserSays: []string{"hello"}, BotSays: []string{"a", "b"}},
}

var attrTypes = Type.(tftypes.Object).AttributeTypes

// nodeType is the type of one node.
var nodeType = NodesType.ElementType

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func unknown(name string) tftypes.Value {
	return tftypes.NewValue(attrTypes[name], tftypes.UnknownValue)
}

func list(ss []string) tftypes.Value {
	if ss == nil {
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	}
	vs := make([]tftypes.Value, len(ss))
	for i, s := range ss {
		vs[i] = str(s)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
}

// nodesValue is the nodes attribute holding nodes.
func nodesValue(nodes map[string]node) tftypes.Value {
	nv := map[string]tftypes.Value{}
	for name, n := range nodes {
		nv[name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{"user_says": list(n.UserSays), "bot_says": list(n.BotSays)})
	}
	return tftypes.NewValue(attrTypes[AttrNodes], nv)
}

// timeoutsValue is the timeouts attribute with the given timeouts set.
func timeoutsValue(set map[string]string) tftypes.Value {
	t := attrTypes[AttrTimeouts].(tftypes.Object)
	tv := map[string]tftypes.Value{}
	for name, at := range t.AttributeTypes {
		tv[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			tv[name] = tftypes.NewValue(at, v)
		}
	}
	return tftypes.NewValue(t, tv)
}

// config is a configuration of domain "support" holding nodes, with attributes replaced by set;
// every attribute not given is null.
func config(nodes map[string]node, set map[string]tftypes.Value) map[string]tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, t := range attrTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	attrs[AttrDomainName] = str("support")
	attrs[AttrNodes] = nodesValue(nodes)
	for k, v := range set {
		attrs[k] = v
	}
	return attrs
}

// proposed is what Terraform proposes for a create of config: computed attributes unknown.
func proposed(attrs map[string]tftypes.Value) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for k, v := range attrs {
		out[k] = v
	}
	for _, name := range []string{AttrID, AttrNodeCount, AttrContentSHA256, AttrLastTaskID} {
		if !out[name].IsKnown() || out[name].IsNull() {
			out[name] = unknown(name)
		}
	}
	if out[AttrDeletionPolicy].IsNull() {
		out[AttrDeletionPolicy] = unknown(AttrDeletionPolicy)
	}
	return out
}

func encode(t testing.TB, attrs map[string]tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(Type, tftypes.NewValue(Type, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

func decode(t testing.TB, b []byte) map[string]tftypes.Value {
	t.Helper()
	v, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(Type)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs
}

// shaOf is the content_sha256 of nodes.
func shaOf(nodes map[string]node) string {
	ns := make([]faqcsv.Node, 0, len(nodes))
	for name, n := range nodes {
		ns = append(ns, faqcsv.Node{Name: name, UserSays: n.UserSays, BotSays: n.BotSays})
	}
	return faqcsv.SHA256(faqcsv.RenderBytes(ns))
}

// detail joins the diagnostics' summaries and details, for messages and searches.
func detail(ds Diagnostics) string {
	s := ""
	for _, d := range ds {
		s += d.Summary + ": " + d.Detail + "\n"
	}
	return s
}
