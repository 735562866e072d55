package faqdomain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func identityOf(t *testing.T, domain tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(IdentityType, tftypes.NewValue(IdentityType, map[string]tftypes.Value{AttrDomainName: domain}))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func TestIdentity(t *testing.T) {
	state := encode(t, config(testNodes, nil))
	got := Identity(state)
	v, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(IdentityType)
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(IdentityType, map[string]tftypes.Value{AttrDomainName: str("support")})
	if !v.Equal(want) {
		t.Errorf("identity of the state is %v, want %v", v, want)
	}
	if got := Identity(encode(t, config(testNodes, map[string]tftypes.Value{AttrDomainName: unknown(AttrDomainName)}))); got != nil {
		t.Errorf("a domain known only at apply has identity %x, want none until the apply", got)
	}
	if got := Identity(nil); got != nil {
		t.Errorf("a null state has identity %x", got)
	}
	// The schema names exactly what Identity writes, and it is what an import needs.
	s := IdentitySchema()
	if !s.ValueType().Equal(IdentityType) || len(s.IdentityAttributes) != 1 || !s.IdentityAttributes[0].RequiredForImport {
		t.Errorf("identity schema %+v does not match IdentityType %v", s, IdentityType)
	}
}

func TestImportIdentity(t *testing.T) {
	domain, diags := ImportIdentity(identityOf(t, str("acme_support")))
	if len(diags) != 0 || domain != "acme_support" {
		t.Fatalf("ImportIdentity = %q, %v", domain, diags)
	}
	state, diags := ImportState(domain)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if got := Identity(state); string(got) != string(identityOf(t, str("acme_support")).MsgPack) {
		t.Errorf("the imported state's identity is not the identity it was imported by")
	}
	for name, id := range map[string]*tfprotov6.DynamicValue{
		"null":    identityOf(t, tftypes.NewValue(tftypes.String, nil)),
		"empty":   identityOf(t, str("")),
		"unknown": identityOf(t, tftypes.NewValue(tftypes.String, tftypes.UnknownValue)),
		"garbage": {MsgPack: []byte{0x92, 0x01}},
	} {
		_, diags := ImportIdentity(id)
		if len(diags) != 1 || diags[0].Summary != "Invalid Import Identity" || !strings.Contains(diags[0].Detail, `identity = { domain_name = "acme_support" }`) {
			t.Errorf("%s identity: %+v, want one Invalid Import Identity error saying what to write", name, diags)
		}
	}
}

func TestUpgradeIdentity(t *testing.T) {
	got, diags := UpgradeIdentity(0, &tfprotov6.RawState{JSON: []byte(`{"domain_name":"acme_support"}`)})
	if len(diags) != 0 || string(got) != string(identityOf(t, str("acme_support")).MsgPack) {
		t.Errorf("UpgradeIdentity(0) = %x, %v", got, diags)
	}
	if _, diags := UpgradeIdentity(1, &tfprotov6.RawState{JSON: []byte(`{"domain_name":"x"}`)}); len(diags) != 1 || diags[0].Summary != "Unknown Identity Version" {
		t.Errorf("a newer identity version: %v", diags)
	}
	if _, diags := UpgradeIdentity(0, &tfprotov6.RawState{JSON: []byte(`{"domain_name":`)}); len(diags) != 1 {
		t.Errorf("an unreadable stored identity: %v", diags)
	}
	if _, diags := UpgradeIdentity(0, nil); len(diags) != 1 || diags[0].Summary != "Unreadable Identity" {
		t.Errorf("no stored identity: %v", diags)
	}
}

func TestImportDomain(t *testing.T) {
	if domain, diags := ImportDomain("acme_support", nil); domain != "acme_support" || len(diags) != 0 {
		t.Errorf("by ID: %q, %v", domain, diags)
	}
	// An import block's identity wins; Terraform sends no ID with it.
	if domain, diags := ImportDomain("", identityOf(t, str("acme_sales"))); domain != "acme_sales" || len(diags) != 0 {
		t.Errorf("by identity: %q, %v", domain, diags)
	}
	if _, diags := ImportDomain("", identityOf(t, str(""))); len(diags) != 1 || diags[0].Summary != "Invalid Import Identity" {
		t.Errorf("by an empty identity: %v", diags)
	}
}

// The identity is read from every state an apply or refresh returns, so it must cost a scan of
// the encoding, not a decode: at 100,000 nodes.
func BenchmarkIdentity(b *testing.B) {
	nodes := map[string]node{}
	for i := range 100_000 {
		nodes[fmt.Sprintf("node_%06d", i)] = node{UserSays: []string{"how do I reset my password", "forgot password"},
			BotSays: []string{"Open Settings > Security and choose Reset password."}}
	}
	state := encode(b, config(nodes, nil))
	b.SetBytes(int64(len(state)))
	b.ResetTimer()
	for b.Loop() {
		if Identity(state) == nil {
			b.Fatal("no identity")
		}
	}
}
