package faqdomain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

func TestReadChange(t *testing.T) {
	nodes := map[string]node{"empty": {UserSays: []string{}, BotSays: []string{}}}
	for k, n := range testNodes {
		nodes[k] = n
	}
	cfg := config(nodes, map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{OpCreate: "5m"})})
	planned := encode(t, proposed(cfg))
	c, diags := ReadChange(planned, true)
	if diags.HasError() {
		t.Fatal(detail(diags))
	}
	if c.Domain != "support" || c.Timeout != 5*time.Minute || !c.Upload {
		t.Errorf("read %+v", c)
	}
	// terraform-plugin-go writes map keys in Go's map order; Terraform sorts them. Either way the
	// CSV comes out in name order.
	want := make([]faqcsv.Node, 0, len(nodes))
	for name, n := range nodes {
		want = append(want, faqcsv.Node{Name: name, UserSays: n.UserSays, BotSays: n.BotSays})
	}
	faqcsv.SortNodes(want)
	faqcsv.SortNodes(c.Nodes)
	if !reflect.DeepEqual(c.Nodes, want) {
		t.Errorf("nodes = %#v\nwant %#v", c.Nodes, want)
	}
	if got, want := faqcsv.RenderBytes(c.Nodes), faqcsv.RenderBytes(want); string(got) != string(want) {
		t.Errorf("CSV from the encoding:\n%s\nwant\n%s", got, want)
	}

	// An update reads its own timeout (the default here), and uploads only when the plan left
	// last_task_id unknown.
	c, _ = ReadChange(planned, false)
	if c.Timeout != DefaultTimeout || !c.Upload {
		t.Errorf("update with a new task: %+v", c)
	}
	c, _ = ReadChange(encode(t, applied(testNodes, nil)), false)
	if c.Upload || c.Nodes != nil {
		t.Errorf("update with the same content: %+v", c)
	}

	for _, bad := range [][]byte{nil, {0x91, 0xc0}, planned[:40]} {
		if _, diags := ReadChange(bad, true); !diags.HasError() || !strings.HasPrefix(diags[0].Summary, "Unreadable") {
			t.Errorf("ReadChange(% x…) = %s", bad[:min(len(bad), 8)], detail(diags))
		}
	}
	unknownNodes := config(nil, map[string]tftypes.Value{AttrNodes: unknown(AttrNodes)})
	if _, diags := ReadChange(encode(t, proposed(unknownNodes)), true); len(diags) != 1 || diags[0].Summary != "Unknown Nodes at Apply" {
		t.Errorf("unknown nodes at apply: %s", detail(diags))
	}
}

func TestNewStateKeepsEverythingElse(t *testing.T) {
	cfg := config(testNodes, map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{OpUpdate: "1h"})})
	planned := proposed(cfg)
	out, err := NewState(encode(t, planned), "support", Uploaded{TaskID: "task", ContentSHA256: "abc", NodeCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := planned
	want[AttrID] = str("support")
	want[AttrNodeCount] = tftypes.NewValue(tftypes.Number, 2)
	want[AttrContentSHA256] = str("abc")
	want[AttrLastTaskID] = str("task")
	want[AttrConfirmed] = tftypes.NewValue(tftypes.Bool, true)
	if got := decode(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("new state %v\nwant %v", got, want)
	}
}

func TestUnconfirmedNewState(t *testing.T) {
	planned := proposed(config(testNodes, nil))
	out, err := UnconfirmedNewState(encode(t, planned), "support", Uploaded{TaskID: "task", ContentSHA256: "abc", NodeCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := proposed(config(testNodes, nil))
	want[AttrID] = str("support")
	want[AttrNodeCount] = tftypes.NewValue(tftypes.Number, 2)
	want[AttrContentSHA256] = str("abc")
	want[AttrLastTaskID] = str("task")
	want[AttrConfirmed] = tftypes.NewValue(tftypes.Bool, false)
	if got := decode(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("unconfirmed new state %v\nwant %v", got, want)
	}
	// Without a task ID (the upload's answer was lost), last_task_id is null, never unknown.
	out, _ = UnconfirmedNewState(encode(t, planned), "support", Uploaded{ContentSHA256: "abc", NodeCount: 2})
	if got := decode(t, out); !got[AttrLastTaskID].Equal(tftypes.NewValue(tftypes.String, nil)) ||
		!got[AttrConfirmed].Equal(tftypes.NewValue(tftypes.Bool, false)) {
		t.Errorf("unconfirmed new state without a task: %v", got)
	}
}

func TestReadDestroy(t *testing.T) {
	d, diags := ReadDestroy(encode(t, applied(testNodes, map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{OpDelete: "90s"})})))
	if diags.HasError() || d != (Destroy{Domain: "support", Deactivate: true, Timeout: 90 * time.Second}) {
		t.Errorf("destroy %+v %s", d, detail(diags))
	}
	d, _ = ReadDestroy(encode(t, applied(testNodes, map[string]tftypes.Value{AttrDeletionPolicy: str(PolicyRetain)})))
	if d.Deactivate || d.Timeout != DefaultTimeout {
		t.Errorf("retain: %+v", d)
	}
}

func TestImportState(t *testing.T) {
	b, diags := ImportState("acme_support")
	if diags.HasError() {
		t.Fatal(detail(diags))
	}
	attrs := decode(t, b)
	for name, v := range attrs {
		switch name {
		case AttrID, AttrDomainName:
			if !v.Equal(str("acme_support")) {
				t.Errorf("%s = %v", name, v)
			}
		case AttrDeletionPolicy:
			if !v.Equal(str(PolicyDeactivate)) {
				t.Errorf("%s = %v", name, v)
			}
		default:
			if !v.IsNull() {
				t.Errorf("%s = %v, want null", name, v)
			}
		}
	}
	if _, diags := ImportState(""); len(diags) != 1 || diags[0].Summary != "Missing Import ID" {
		t.Errorf("empty ID: %s", detail(diags))
	}
}

func TestUpgradeState(t *testing.T) {
	current := `{"id":"d","domain_name":"d","nodes":{"n":{"user_says":["q"],"bot_says":["a"]}},"node_count":1}`
	got, err := UpgradeState([]byte(current))
	if err != nil || string(got) != current {
		t.Errorf("a current state is returned as it is: %s %v", got, err)
	}
	got, err = UpgradeState([]byte(`{"id":"d","retired_attribute":true,"nodes":null}`))
	var attrs map[string]any
	if err != nil || json.Unmarshal(got, &attrs) != nil || !reflect.DeepEqual(attrs, map[string]any{"id": "d", "nodes": nil}) {
		t.Errorf("attributes the schema no longer has are dropped: %s %v", got, err)
	}
	for _, bad := range []string{"", "null", "[1]", `{"id":`} {
		if _, err := UpgradeState([]byte(bad)); err == nil {
			t.Errorf("UpgradeState(%q) succeeded", bad)
		}
	}
}

func TestGenerateConfig(t *testing.T) {
	state, _ := ImportState("acme")
	out, err := GenerateConfig(state)
	if err != nil {
		t.Fatal(err)
	}
	attrs := decode(t, out)
	if !attrs[AttrDomainName].Equal(str("acme")) || !attrs[AttrDeletionPolicy].Equal(str(PolicyDeactivate)) || !attrs[AttrID].IsNull() {
		t.Errorf("generated configuration %v", attrs)
	}
	// Only what a configuration may set survives: no computed-only attribute is generated.
	for _, a := range Schema().Block.Attributes {
		if a.Computed && !a.Optional && !attrs[a.Name].IsNull() {
			t.Errorf("generated configuration sets computed-only %s", a.Name)
		}
	}
}

func TestUnconfirmedState(t *testing.T) {
	prior := applied(testNodes, map[string]tftypes.Value{AttrConfirmed: tftypes.NewValue(tftypes.Bool, true)})
	out, err := UnconfirmedState(encode(t, prior), "task-2")
	if err != nil {
		t.Fatal(err)
	}
	want := applied(testNodes, map[string]tftypes.Value{AttrConfirmed: tftypes.NewValue(tftypes.Bool, false),
		AttrLastTaskID: str("task-2")})
	if got := decode(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("unconfirmed state %v\nwant %v", got, want)
	}
	// Without a task ID (the upload's answer was lost), the prior task stays.
	out, _ = UnconfirmedState(encode(t, prior), "")
	if got := decode(t, out); !got[AttrLastTaskID].Equal(str("task-1")) || !got[AttrConfirmed].Equal(tftypes.NewValue(tftypes.Bool, false)) {
		t.Errorf("unconfirmed state without a task: %v", got)
	}
}

// A domain that was imported and never uploaded to is never deactivated: its content is not
// this provider's.
func TestReadDestroyNeverDeactivatesAnImportedDomain(t *testing.T) {
	imported, _ := ImportState("acme")
	d, diags := ReadDestroy(imported)
	if d.Deactivate || len(diags) != 1 || !diags[0].Warning || diags[0].Summary != "Domain Not Deactivated" {
		t.Errorf("destroy of an imported domain: %+v %s", d, detail(diags))
	}
}

// The destroy half of a replacement sends nothing when the create that follows names its domain;
// a new domain_name, a retained domain or no create at all deactivate (or not) as ReadDestroy says.
func TestReplacedBy(t *testing.T) {
	d := Destroy{Domain: "d", Deactivate: true}
	w := ReplacedBy(d, &Creation{Domain: "d", NodeCount: 2})
	if w == nil || !w.Warning || w.Summary != "Domain Not Deactivated: Replaced in Place" || !strings.Contains(w.Detail, "(2 nodes)") {
		t.Fatalf("same domain: %+v", w)
	}
	if w := ReplacedBy(d, &Creation{Domain: "other"}); w != nil {
		t.Errorf("a new domain_name: %+v", w)
	}
	if w := ReplacedBy(d, nil); w != nil {
		t.Errorf("a plain destroy: %+v", w)
	}
	if w := ReplacedBy(Destroy{Domain: "d"}, &Creation{Domain: "d"}); w != nil {
		t.Errorf("a destroy that sends nothing anyway: %+v", w)
	}
}
