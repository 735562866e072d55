package faqdomain

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func planOf(t *testing.T, prior, proposedState, cfg []byte) (map[string]tftypes.Value, Plan, Diagnostics) {
	t.Helper()
	p, diags := PlanChange(prior, proposedState, cfg, nil)
	if diags.HasError() {
		t.Fatal(detail(diags))
	}
	if p.State == nil {
		return nil, p, diags
	}
	return decode(t, p.State), p, diags
}

// applied is the state after a create of nodes as task "task-1".
func applied(nodes map[string]node, set map[string]tftypes.Value) map[string]tftypes.Value {
	attrs := config(nodes, map[string]tftypes.Value{AttrID: str("support"), AttrContentSHA256: str(shaOf(nodes)),
		AttrNodeCount: tftypes.NewValue(tftypes.Number, len(nodes)), AttrLastTaskID: str("task-1"),
		AttrDeletionPolicy: str(PolicyDeactivate)})
	for k, v := range set {
		attrs[k] = v
	}
	return attrs
}

func TestPlanCreate(t *testing.T) {
	cfg := config(testNodes, nil)
	attrs, p, diags := planOf(t, nil, encode(t, proposed(cfg)), encode(t, cfg))
	if !attrs[AttrContentSHA256].Equal(str(shaOf(testNodes))) || !attrs[AttrID].Equal(str("support")) ||
		!attrs[AttrNodeCount].Equal(tftypes.NewValue(tftypes.Number, 2)) || attrs[AttrLastTaskID].IsKnown() ||
		!attrs[AttrDeletionPolicy].Equal(str(PolicyDeactivate)) || p.RequiresReplace || attrs[AttrConfirmed].IsKnown() ||
		len(diags) != 1 || diags[0].Summary != "New Domain: Unlisted Nodes Will Be Deactivated" || !diags[0].Warning ||
		!strings.Contains(diags[0].Detail, `import it first (an import block with id = "support", or identity = { domain_name = "support" }`) {
		t.Errorf("create: %v replace=%v %s", attrs, p.RequiresReplace, detail(diags))
	}
	// The create records what it uploads, for the destroy half of a replacement.
	if p.Creates == nil || *p.Creates != (Creation{Domain: "support", ContentSHA256: shaOf(testNodes), NodeCount: 2}) {
		t.Errorf("create records %+v", p.Creates)
	}
	// A configured deletion_policy is kept.
	cfg = config(testNodes, map[string]tftypes.Value{AttrDeletionPolicy: str(PolicyRetain)})
	attrs, _, _ = planOf(t, nil, encode(t, proposed(cfg)), encode(t, cfg))
	if !attrs[AttrDeletionPolicy].Equal(str(PolicyRetain)) {
		t.Errorf("deletion_policy = %v, want retain", attrs[AttrDeletionPolicy])
	}
}

func TestPlanUpdate(t *testing.T) {
	state := encode(t, applied(testNodes, nil))
	cfg := encode(t, config(testNodes, nil))

	// The same content keeps its task: nothing to upload.
	attrs, p, diags := planOf(t, state, state, cfg)
	if !attrs[AttrLastTaskID].Equal(str("task-1")) || p.RequiresReplace || len(diags) != 0 {
		t.Errorf("no change: %v replace=%v %s", attrs, p.RequiresReplace, detail(diags))
	}

	// A removed node is named, and a new task is coming.
	fewer := encode(t, applied(map[string]node{"a_node": testNodes["a_node"]}, nil))
	attrs, _, diags = planOf(t, state, fewer, cfg)
	if attrs[AttrLastTaskID].IsKnown() || len(diags) != 1 || !diags[0].Warning ||
		!strings.Contains(diags[0].Detail, `without 1 node it had: "b_node"`) || diags[0].Path.String() != "nodes" {
		t.Errorf("one node removed: %v %s", attrs, detail(diags))
	}

	// A new domain replaces the resource: the old domain's nodes are deactivated, and so are the
	// new domain's unlisted ones (said here: Terraform drops the create half's own warnings).
	moved := encode(t, applied(testNodes, map[string]tftypes.Value{AttrDomainName: str("other")}))
	_, p, diags = planOf(t, state, moved, cfg)
	if !p.RequiresReplace || len(diags) != 2 || diags[0].Summary != "Destroy Deactivates Every Node" ||
		!strings.Contains(diags[0].Detail, `all 2 of its nodes ("a_node", "b_node")`) ||
		diags[1].Summary != "New Domain: Unlisted Nodes Will Be Deactivated" ||
		!strings.Contains(diags[1].Detail, `whole content of domain "other"`) {
		t.Errorf("new domain: replace=%v %s", p.RequiresReplace, detail(diags))
	}
	if p.Deactivates != "support" {
		t.Errorf("new domain: the destroy half deactivates %q, want the old domain", p.Deactivates)
	}
	// An unknown new domain replaces, and says so.
	_, p, diags = planOf(t, state, encode(t, applied(testNodes, map[string]tftypes.Value{AttrDomainName: unknown(AttrDomainName)})), cfg)
	if !p.RequiresReplace || len(diags) != 1 || diags[0].Summary != "Unknown Domain Name Replaces the Resource" {
		t.Errorf("unknown domain: replace=%v %s", p.RequiresReplace, detail(diags))
	}
	// Found by TestSequences_invariant: claimed as a destroy of the old domain, the replacement
	// fails its plan beside another resource being destroyed there, instead of two destroys of
	// one domain leaving the one that could not send confirmed over the emptied domain.
	if p.Deactivates != "support" {
		t.Errorf("unknown domain: the destroy half deactivates %q, want the old domain", p.Deactivates)
	}

	// After an import (no nodes in state) the upload's unlisted nodes are deactivated.
	imported := encode(t, applied(nil, map[string]tftypes.Value{AttrNodes: tftypes.NewValue(attrTypes[AttrNodes], nil)}))
	_, _, diags = planOf(t, imported, state, cfg)
	if len(diags) != 1 || diags[0].Summary != "Imported Domain: Unlisted Nodes Will Be Deactivated" {
		t.Errorf("after import: %s", detail(diags))
	}
}

// An unconfirmed state plans an upload of the configured content even when it equals what the
// state records, with a warning naming the task and what Haptik last said.
func TestPlanUploadsWhileUnconfirmed(t *testing.T) {
	unconfirmed := encode(t, applied(testNodes, map[string]tftypes.Value{AttrConfirmed: tftypes.NewValue(tftypes.Bool, false),
		AttrLastTaskID: str("task-2")}))
	cfg := encode(t, config(testNodes, nil))
	attrs, _, diags := planOf(t, unconfirmed, unconfirmed, cfg)
	if attrs[AttrLastTaskID].IsKnown() || attrs[AttrConfirmed].IsKnown() || !attrs[AttrContentSHA256].Equal(str(shaOf(testNodes))) {
		t.Errorf("unconfirmed: no upload planned: %v", attrs)
	}
	if len(diags) != 0 {
		// Without the remembered upload the warning still comes, without a task.
		// Nor does it claim that Haptik accepted an upload whose answer was never read.
		if len(diags) != 1 || diags[0].Summary != "Haptik's Content Is Unconfirmed" || diags[0].Path.String() != "confirmed" ||
			!strings.Contains(diags[0].Detail, `upload for domain "support" may have reached Haptik`) ||
			strings.Contains(diags[0].Detail, "accepted") {
			t.Errorf("unconfirmed: %s", detail(diags))
		}
	} else {
		t.Error("unconfirmed: no warning")
	}
	_, diags = planOf2(t, unconfirmed, unconfirmed, cfg, &Pending{TaskID: "task-2", Status: `Haptik's task ended with "Error at node b_node"`})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, `Task task-2 for domain "support" was accepted by Haptik but not seen to succeed`) ||
		!strings.Contains(diags[0].Detail, `"Error at node b_node"`) || !strings.Contains(diags[0].Detail, "restores exactly them") {
		t.Errorf("unconfirmed with the pending upload: %s", detail(diags))
	}
	// A confirmed state of the same content plans nothing; an older state without confirmed
	// counts as confirmed.
	for _, c := range []tftypes.Value{tftypes.NewValue(tftypes.Bool, true), tftypes.NewValue(tftypes.Bool, nil)} {
		state := encode(t, applied(testNodes, map[string]tftypes.Value{AttrConfirmed: c}))
		attrs, _, diags = planOf(t, state, state, cfg)
		if !attrs[AttrLastTaskID].Equal(str("task-1")) || !attrs[AttrConfirmed].Equal(c) || len(diags) != 0 {
			t.Errorf("confirmed %v: %v %s", c, attrs[AttrLastTaskID], detail(diags))
		}
	}
}

// A state from before confirmed (null) whose private state remembers an upload Haptik accepted
// (the older provider's only mark of a timed-out update) is unconfirmed: the plan uploads and
// warns. Without the record, null still reads as confirmed, and true with a record too.
func TestPlanOlderStateWithPendingUploadIsUnconfirmed(t *testing.T) {
	cfg := encode(t, config(testNodes, nil))
	pending := &Pending{Domain: "support", ContentSHA256: "other", TaskID: "task-9", Status: StatusAccepted}
	older := encode(t, applied(testNodes, map[string]tftypes.Value{AttrConfirmed: tftypes.NewValue(tftypes.Bool, nil)}))
	attrs, diags := planOf2(t, older, older, cfg, pending)
	if attrs[AttrLastTaskID].IsKnown() || attrs[AttrConfirmed].IsKnown() {
		t.Errorf("confirmed null with a pending upload: no upload planned: %v", attrs)
	}
	if len(diags) != 1 || diags[0].Summary != "Haptik's Content Is Unconfirmed" || !strings.Contains(diags[0].Detail, "Task task-9") {
		t.Errorf("confirmed null with a pending upload: %s", detail(diags))
	}
	confirmed := encode(t, applied(testNodes, map[string]tftypes.Value{AttrConfirmed: tftypes.NewValue(tftypes.Bool, true)}))
	if attrs, diags := planOf2(t, confirmed, confirmed, cfg, pending); !attrs[AttrLastTaskID].IsKnown() || len(diags) != 0 {
		t.Errorf("confirmed true with a pending upload: %v %s", attrs[AttrLastTaskID], detail(diags))
	}
}

// Changing resync_trigger uploads unchanged content in place.
func TestPlanResyncTrigger(t *testing.T) {
	state := encode(t, applied(testNodes, map[string]tftypes.Value{AttrResyncTrigger: str("1")}))
	for _, trigger := range []tftypes.Value{str("2"), tftypes.NewValue(tftypes.String, nil), unknown(AttrResyncTrigger)} {
		next := applied(testNodes, map[string]tftypes.Value{AttrResyncTrigger: trigger})
		attrs, p, _ := planOf(t, state, encode(t, next), encode(t, config(testNodes, map[string]tftypes.Value{AttrResyncTrigger: trigger})))
		if attrs[AttrLastTaskID].IsKnown() || p.RequiresReplace {
			t.Errorf("resync_trigger 1 -> %v: no upload planned (last_task_id %v, replace %v)", trigger, attrs[AttrLastTaskID], p.RequiresReplace)
		}
	}
	attrs, _, _ := planOf(t, state, state, encode(t, config(testNodes, map[string]tftypes.Value{AttrResyncTrigger: str("1")})))
	if !attrs[AttrLastTaskID].Equal(str("task-1")) {
		t.Errorf("unchanged resync_trigger plans an upload")
	}
}

// max_deactivations fails the plan, naming every node, when the upload would deactivate more.
func TestPlanMaxDeactivations(t *testing.T) {
	state := encode(t, applied(testNodes, nil))
	fewer := map[string]node{"a_node": testNodes["a_node"]}
	for _, tc := range []struct {
		max     int
		wantErr bool
	}{{0, true}, {1, false}, {5, false}} {
		cfg := encode(t, config(fewer, map[string]tftypes.Value{AttrMaxDeactivate: tftypes.NewValue(tftypes.Number, tc.max)}))
		_, diags := PlanChange(state, encode(t, applied(fewer, nil)), cfg, nil)
		if tc.wantErr != diags.HasError() {
			t.Errorf("max_deactivations = %d: %s", tc.max, detail(diags))
		}
		if tc.wantErr && !strings.Contains(detail(diags), `without 1 of the nodes it has, more than max_deactivations = 0 allows: "b_node"`) {
			t.Errorf("max_deactivations = 0: %s", detail(diags))
		}
	}
}

func planOf2(t *testing.T, prior, proposedState, cfg []byte, pending *Pending) (map[string]tftypes.Value, Diagnostics) {
	t.Helper()
	p, diags := PlanChange(prior, proposedState, cfg, pending)
	if diags.HasError() {
		t.Fatal(detail(diags))
	}
	return decode(t, p.State), diags
}

// Reformatting an HSL answer (whitespace, key order) plans nothing: the prior nodes are kept.
func TestPlanKeepsEquivalentHSL(t *testing.T) {
	state := encode(t, applied(testNodes, nil))
	reformatted := map[string]node{"a_node": testNodes["a_node"], "b_node": {UserSays: testNodes["b_node"].UserSays,
		BotSays: []string{"{ \"text\": \"x\",\n  \"type\": \"TEXT\" }"}}}
	attrs, _, _ := planOf(t, state, encode(t, applied(reformatted, nil)), encode(t, config(reformatted, nil)))
	if !attrs[AttrNodes].Equal(nodesValue(testNodes)) || !attrs[AttrLastTaskID].Equal(str("task-1")) {
		t.Errorf("reformatted HSL: nodes %v, last_task_id %v", attrs[AttrNodes], attrs[AttrLastTaskID])
	}
	// A real change beside it shows both, and uploads.
	changed := map[string]node{"a_node": {UserSays: []string{"hello"}, BotSays: []string{"c"}}, "b_node": reformatted["b_node"]}
	attrs, _, _ = planOf(t, state, encode(t, applied(changed, nil)), encode(t, config(changed, nil)))
	if !attrs[AttrNodes].Equal(nodesValue(changed)) || attrs[AttrLastTaskID].IsKnown() {
		t.Errorf("real change: nodes %v, last_task_id %v", attrs[AttrNodes], attrs[AttrLastTaskID])
	}
}

func TestPlanUnknownContent(t *testing.T) {
	// The count is known when the map is, the hash is not.
	partly := config(nil, map[string]tftypes.Value{AttrNodes: tftypes.NewValue(attrTypes[AttrNodes],
		map[string]tftypes.Value{"x": tftypes.NewValue(nodeType, tftypes.UnknownValue)})})
	attrs, _, _ := planOf(t, nil, encode(t, proposed(partly)), encode(t, partly))
	if !attrs[AttrNodeCount].Equal(tftypes.NewValue(tftypes.Number, 1)) || attrs[AttrContentSHA256].IsKnown() {
		t.Errorf("an unknown node: %v", attrs)
	}
	all := config(nil, map[string]tftypes.Value{AttrNodes: unknown(AttrNodes)})
	attrs, _, _ = planOf(t, nil, encode(t, proposed(all)), encode(t, all))
	if attrs[AttrNodeCount].IsKnown() || attrs[AttrContentSHA256].IsKnown() {
		t.Errorf("unknown nodes: %v", attrs)
	}
}

func TestPlanDestroy(t *testing.T) {
	_, p, diags := planOf(t, encode(t, applied(testNodes, nil)), nil, nil)
	if p.State != nil || p.Deactivates != "support" || len(diags) != 1 || diags[0].Summary != "Destroy Deactivates Every Node" || diags[0].Path != nil {
		t.Errorf("destroy: %v %s", p, detail(diags))
	}
	// The plan says what the apply will do: an imported domain no apply uploaded to is left alone.
	imported, _ := ImportState("support")
	_, p, diags = planOf(t, imported, nil, nil)
	if p.Deactivates != "" || len(diags) != 1 || diags[0].Summary != "Domain Not Deactivated" {
		t.Errorf("destroy of an imported domain: %v %s", p, detail(diags))
	}
	_, p, diags = planOf(t, encode(t, applied(testNodes, map[string]tftypes.Value{AttrDeletionPolicy: str(PolicyRetain)})), nil, nil)
	if len(diags) != 0 || p.Deactivates != "" {
		t.Errorf("destroy with retain warns: %s", detail(diags))
	}
}

// Whatever bytes arrive, reading them is a diagnostic, never a panic (a panic would end the plugin).
func FuzzReaders(f *testing.F) {
	f.Add(encode(f, applied(testNodes, map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{OpCreate: "1m"})})))
	f.Add([]byte{0x81, 0xa5, 'n', 'o', 'd', 'e', 's', 0x81, 0xa1, 'x', 0xc0})
	f.Fuzz(func(_ *testing.T, b []byte) {
		_, _ = ReadChange(b, true)
		_, _ = ReadChange(b, false)
		_, _ = ReadDestroy(b)
		_ = Validate(b)
		_, _ = PlanChange(b, b, b, nil)
		_, _ = PlanChange(b, nil, nil, nil)
		_, _ = NewState(b, "x", Uploaded{})
		_, _ = GenerateConfig(b)
		_, _ = UpgradeState(b)
	})
}
