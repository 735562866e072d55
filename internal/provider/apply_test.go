package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// plannedValue is a planned haptik_faq_domain as Terraform sends it for a create: computed
// attributes unknown, except content_sha256, which the plan computes.
func plannedValue(t testing.TB, nodes map[string]testNode, timeouts map[string]string) (tftypes.Type, tftypes.Value) {
	t.Helper()
	var sr resource.SchemaResponse
	(&faqDomainResource{}).Schema(context.Background(), resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(context.Background())
	attrs := typ.(tftypes.Object).AttributeTypes
	nodeType := attrs["nodes"].(tftypes.Map).ElementType
	list := func(ss []string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for i, s := range ss {
			vs[i] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	nv := map[string]tftypes.Value{}
	for name, n := range nodes {
		nv[name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{"user_says": list(n.UserSays), "bot_says": list(n.BotSays)})
	}
	to := tftypes.NewValue(attrs["timeouts"], nil)
	if timeouts != nil {
		tv := map[string]tftypes.Value{}
		for name, at := range attrs["timeouts"].(tftypes.Object).AttributeTypes {
			tv[name] = tftypes.NewValue(at, nil)
			if v, ok := timeouts[name]; ok {
				tv[name] = tftypes.NewValue(at, v)
			}
		}
		to = tftypes.NewValue(attrs["timeouts"], tv)
	}
	unknown := func(name string) tftypes.Value { return tftypes.NewValue(attrs[name], tftypes.UnknownValue) }
	return typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"id": unknown("id"), "domain_name": tftypes.NewValue(tftypes.String, "support"),
		"nodes": tftypes.NewValue(attrs["nodes"], nv), "deletion_policy": tftypes.NewValue(tftypes.String, "deactivate"),
		"node_count": unknown("node_count"), "content_sha256": tftypes.NewValue(tftypes.String, "abc"),
		"last_task_id": unknown("last_task_id"), "timeouts": to,
	})
}

func encodeValue(t *testing.T, typ tftypes.Type, v tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

var applyNodes = map[string]testNode{
	"b_node": {UserSays: []string{"q1", "", "q3 — ünïcode"}, BotSays: []string{`{"type":"TEXT","text":"x"}`}},
	"a_node": {UserSays: []string{"hello"}, BotSays: []string{"a", "b"}},
}

func TestReadPlanned(t *testing.T) {
	nodes := map[string]testNode{"empty": {UserSays: []string{}, BotSays: []string{}}}
	for k, n := range applyNodes {
		nodes[k] = n
	}
	typ, v := plannedValue(t, nodes, map[string]string{"create": "5m"})
	p, err := readPlanned(encodeValue(t, typ, v))
	if err != nil {
		t.Fatal(err)
	}
	if p.domain != "support" || p.createTimeout != "5m" || p.updateTimeout != "" || p.lastTaskKnown {
		t.Errorf("read %+v", p)
	}
	// terraform-plugin-go writes map keys in Go's map order; Terraform sorts them. Either way the
	// CSV comes out in name order.
	faqcsv.SortNodes(p.nodes)
	want := faqNodes(nodes)
	faqcsv.SortNodes(want)
	for i := range want { // the encoding reads empty lists as empty, not nil
		if len(want[i].UserSays) == 0 {
			want[i].UserSays = []string{}
		}
		if len(want[i].BotSays) == 0 {
			want[i].BotSays = []string{}
		}
	}
	if !reflect.DeepEqual(p.nodes, want) {
		t.Errorf("nodes = %#v\nwant %#v", p.nodes, want)
	}
	if got, want := faqcsv.RenderBytes(p.nodes), faqcsv.RenderBytes(faqNodes(nodes)); string(got) != string(want) {
		t.Errorf("CSV from the encoding:\n%s\nwant\n%s", got, want)
	}
	for _, bad := range [][]byte{nil, {0x91, 0xc0}, encodeValue(t, typ, v)[:40]} {
		if _, err := readPlanned(bad); err == nil {
			t.Errorf("readPlanned(% x…) succeeded", bad[:min(len(bad), 8)])
		}
	}
}

func TestWithComputedKeepsEverythingElse(t *testing.T) {
	typ, v := plannedValue(t, applyNodes, map[string]string{"update": "1h"})
	out, err := withComputed(encodeValue(t, typ, v), map[string]func([]byte) []byte{
		"id":           func(b []byte) []byte { return append(b, 0xa7, 's', 'u', 'p', 'p', 'o', 'r', 't') },
		"node_count":   func(b []byte) []byte { return append(b, 0x02) },
		"last_task_id": func(b []byte) []byte { return append(b, 0xa4, 't', 'a', 's', 'k') },
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&tfprotov6.DynamicValue{MsgPack: out}).Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]tftypes.Value
	_ = v.As(&want)
	want["id"] = tftypes.NewValue(tftypes.String, "support")
	want["node_count"] = tftypes.NewValue(tftypes.Number, 2)
	want["last_task_id"] = tftypes.NewValue(tftypes.String, "task")
	if w := tftypes.NewValue(typ, want); !got.Equal(w) {
		t.Fatalf("new state %s\nwant %s", got, w)
	}
}

// TestFrameworkCreateUploads covers the framework's Create, which Terraform's RPCs no longer
// reach (fastServer serves them) but which must still work: it goes through the same applyEncoded.
func TestFrameworkCreateUploads(t *testing.T) {
	e := newTestEnv(t, "support")
	srv, err := e.factories()["haptik"]()
	if err != nil {
		t.Fatal(err)
	}
	fs := srv.(*fastServer)
	p := newProtocolServer(t, e, false)
	cfg := p.value(p.schema.Provider.ValueType(), map[string]any{"base_url": e.url, "client_id": testClientID, "token": testToken})
	if resp, _ := fs.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: cfg}); len(resp.Diagnostics) > 0 {
		t.Fatal(diagText(resp.Diagnostics))
	}
	typ, v := plannedValue(t, applyNodes, nil)
	resp := resource.CreateResponse{State: tfsdk.State{Schema: fs.schema, Raw: tftypes.NewValue(typ, nil)}}
	fs.res().Create(context.Background(), resource.CreateRequest{Plan: tfsdk.Plan{Schema: fs.schema, Raw: v}}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var m faqDomainModel
	resp.Diagnostics.Append(resp.State.Get(context.Background(), &m)...)
	if m.ID.ValueString() != "support" || m.NodeCount.ValueInt64() != 2 || m.LastTaskID.ValueString() == "" ||
		m.LastTaskID.IsUnknown() || m.ContentSHA256.ValueString() != faqcsv.SHA256(faqcsv.RenderBytes(faqNodes(applyNodes))) {
		t.Fatalf("state %+v", m)
	}
	if err := e.expectActive("support", applyNodes); err != nil {
		t.Fatal(err)
	}
}
