package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestToProtoDiagnosticsKeepsPaths(t *testing.T) {
	var diags diag.Diagnostics
	at := path.Root("nodes").AtMapKey("refunds").AtName("user_says").AtListIndex(2)
	diags.AddAttributeError(at, "Separator Inside User Says", "detail")
	diags.AddWarning("Destroy Deactivates Every Node", "detail")
	got := toProtoDiagnostics(diags)
	want := tftypes.NewAttributePath().WithAttributeName("nodes").WithElementKeyString("refunds").
		WithAttributeName("user_says").WithElementKeyInt(2)
	if len(got) != 2 || got[0].Severity != tfprotov6.DiagnosticSeverityError || !got[0].Attribute.Equal(want) {
		t.Fatalf("first diagnostic %+v, want an error at %s", got[0], want)
	}
	if got[1].Severity != tfprotov6.DiagnosticSeverityWarning || got[1].Attribute != nil {
		t.Fatalf("second diagnostic %+v, want a warning without a path", got[1])
	}
}

func TestPrivateDataRoundTrip(t *testing.T) {
	ctx := context.Background()
	p := newPrivateData(nil)
	if p.bytes() != nil {
		t.Fatal("empty private state should encode as nothing")
	}
	p.SetKey(ctx, pendingKey, []byte(`{"task_id":"t1"}`))
	again := newPrivateData(p.bytes())
	if v, _ := again.GetKey(ctx, pendingKey); string(v) != `{"task_id":"t1"}` {
		t.Fatalf("GetKey after a round trip = %s", v)
	}
	again.SetKey(ctx, pendingKey, nil)
	if again.bytes() != nil {
		t.Fatal("removing the last key should leave no private state")
	}
	if v, _ := newPrivateData([]byte("not json")).GetKey(ctx, pendingKey); v != nil {
		t.Fatal("unreadable private state should read as empty")
	}
}
