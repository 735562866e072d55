package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// domainValue is a haptik_faq_domain value with the given attributes replaced.
func domainValue(t *testing.T, nodes map[string]testNode, set map[string]tftypes.Value) (tftypes.Type, tftypes.Value) {
	t.Helper()
	typ, v := plannedValue(t, nodes, nil)
	var attrs map[string]tftypes.Value
	_ = v.As(&attrs)
	for k, x := range set {
		attrs[k] = x
	}
	return typ, tftypes.NewValue(typ, attrs)
}

func planOf(t *testing.T, prior, proposed []byte) (map[string]tftypes.Value, bool, diag.Diagnostics) {
	t.Helper()
	typ, _ := plannedValue(t, nil, nil)
	var diags diag.Diagnostics
	planned, replace, err := planEncoded(prior, proposed, proposed, &diags)
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&tfprotov6.DynamicValue{MsgPack: planned}).Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	_ = v.As(&attrs)
	return attrs, replace, diags
}

func TestPlanEncoded(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	typ, create := domainValue(t, applyNodes, map[string]tftypes.Value{"deletion_policy": tftypes.NewValue(tftypes.String, nil)})
	attrs, replace, diags := planOf(t, nil, encodeValue(t, typ, create))
	sha := faqcsv.SHA256(faqcsv.RenderBytes(faqNodes(applyNodes)))
	if !attrs["content_sha256"].Equal(str(sha)) || !attrs["id"].Equal(str("support")) ||
		!attrs["node_count"].Equal(tftypes.NewValue(tftypes.Number, 2)) || attrs["last_task_id"].IsKnown() ||
		!attrs["deletion_policy"].Equal(str(policyDeactivate)) || replace || diags.HasError() {
		t.Errorf("create: %v replace=%v %v", attrs, replace, diags)
	}

	// Applied state: the same content keeps its task; a removed node is named; a new domain replaces.
	_, state := domainValue(t, applyNodes, map[string]tftypes.Value{"id": str("support"), "content_sha256": str(sha),
		"node_count": tftypes.NewValue(tftypes.Number, 2), "last_task_id": str("task-1")})
	attrs, replace, diags = planOf(t, encodeValue(t, typ, state), encodeValue(t, typ, state))
	if !attrs["last_task_id"].Equal(str("task-1")) || replace || len(diags) != 0 {
		t.Errorf("no change: %v replace=%v %v", attrs, replace, diags)
	}
	_, fewer := domainValue(t, map[string]testNode{"a_node": applyNodes["a_node"]}, nil)
	attrs, _, diags = planOf(t, encodeValue(t, typ, state), encodeValue(t, typ, fewer))
	if attrs["last_task_id"].IsKnown() || len(diags) != 1 || !strings.Contains(diags[0].Detail(), `without 1 node(s) it had: "b_node"`) {
		t.Errorf("one node removed: %v %v", attrs, diags)
	}
	_, moved := domainValue(t, applyNodes, map[string]tftypes.Value{"domain_name": str("other")})
	_, replace, diags = planOf(t, encodeValue(t, typ, state), encodeValue(t, typ, moved))
	if !replace || len(diags) != 1 || diags[0].Summary() != "Destroy Deactivates Every Node" {
		t.Errorf("new domain: replace=%v %v", replace, diags)
	}

	// Unknown content: the count is known when the map is, the hash is not.
	nodeType := typ.(tftypes.Object).AttributeTypes["nodes"].(tftypes.Map)
	_, partly := domainValue(t, nil, map[string]tftypes.Value{"nodes": tftypes.NewValue(nodeType, map[string]tftypes.Value{
		"x": tftypes.NewValue(nodeType.ElementType, tftypes.UnknownValue)})})
	attrs, _, _ = planOf(t, nil, encodeValue(t, typ, partly))
	if !attrs["node_count"].Equal(tftypes.NewValue(tftypes.Number, 1)) || attrs["content_sha256"].IsKnown() {
		t.Errorf("an unknown node: %v", attrs)
	}
	_, unknown := domainValue(t, nil, map[string]tftypes.Value{"nodes": tftypes.NewValue(nodeType, tftypes.UnknownValue)})
	attrs, _, _ = planOf(t, nil, encodeValue(t, typ, unknown))
	if attrs["node_count"].IsKnown() || attrs["content_sha256"].IsKnown() {
		t.Errorf("unknown nodes: %v", attrs)
	}
}

// Whatever bytes arrive, reading them is an error, never a panic (a panic would end the plugin).
func FuzzEncodedReaders(f *testing.F) {
	typ, v := plannedValue(f, applyNodes, map[string]string{"create": "1m"})
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dv.MsgPack)
	f.Add([]byte{0x81, 0xa5, 'n', 'o', 'd', 'e', 's', 0x81, 0xa1, 'x', 0xc0})
	f.Fuzz(func(_ *testing.T, b []byte) {
		_, _ = readPlanned(b)
		_, _ = checkEncodedContent(b)
		var diags diag.Diagnostics
		_, _, _ = planEncoded(b, b, b, &diags)
		_, _ = withComputed(b, map[string]func([]byte) []byte{"id": appendStr("x")})
	})
}
