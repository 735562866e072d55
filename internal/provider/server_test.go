package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

func TestToProtoKeepsPaths(t *testing.T) {
	at := faqdomain.Root("nodes").AtMapKey("refunds").AtName("user_says").AtListIndex(2)
	got := toProto(faqdomain.Diagnostics{
		{Summary: "Separator Inside User Says", Detail: "detail", Path: at},
		{Warning: true, Summary: "Destroy Deactivates Every Node", Detail: "detail"},
	})
	want := tftypes.NewAttributePath().WithAttributeName("nodes").WithElementKeyString("refunds").
		WithAttributeName("user_says").WithElementKeyInt(2)
	if len(got) != 2 || got[0].Severity != tfprotov6.DiagnosticSeverityError || !got[0].Attribute.Equal(want) {
		t.Fatalf("first diagnostic %+v, want an error at %s", got[0], want)
	}
	if got[1].Severity != tfprotov6.DiagnosticSeverityWarning || got[1].Attribute != nil {
		t.Fatalf("second diagnostic %+v, want a warning without a path", got[1])
	}
}

// Terraform 1.14 asks the provider for the configuration of an imported resource
// (terraform plan -generate-config-out): the domain and its policy, nothing computed.
func TestGenerateResourceConfig(t *testing.T) {
	s, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	imported, err := s.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
		TypeName: faqdomain.TypeName, ID: "acme_support"})
	if err != nil || len(imported.Diagnostics) > 0 {
		t.Fatal(err, diagText(imported.Diagnostics))
	}
	resp, err := s.GenerateResourceConfig(context.Background(), &tfprotov6.GenerateResourceConfigRequest{
		TypeName: faqdomain.TypeName, State: imported.ImportedResources[0].State})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, diagText(resp.Diagnostics))
	}
	v, err := resp.Config.Unmarshal(faqdomain.Type)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	_ = v.As(&attrs)
	if !attrs["domain_name"].Equal(tftypes.NewValue(tftypes.String, "acme_support")) || !attrs["id"].IsNull() ||
		!attrs["nodes"].IsNull() {
		t.Errorf("generated configuration %v", attrs)
	}
}

// A moved block from another resource type is refused with the way to adopt a domain instead.
func TestAccFAQDomain_movedFromAnotherType(t *testing.T) {
	env := newTestEnv(t, "d")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: `resource "terraform_data" "faq" {}`},
			{
				Config: env.providerBlock() + domainConfig("d", oneNode, "") +
					"moved {\n  from = terraform_data.faq\n  to   = haptik_faq_domain.test\n}\n",
				ExpectError: regexp.MustCompile(`(?s)Cannot Move to haptik_faq_domain.*terraform_data.*import`),
			},
			// Without the moved block again, so that the test's destroy can run.
			{Config: `resource "terraform_data" "faq" {}`},
		},
	})
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// Terraform discovers the provider through GetMetadata, GetProviderSchema, GetFunctions and (from
// 1.12) GetResourceIdentitySchemas, each answered by both servers and joined by the mux: every
// type the provider offers is listed once, by the server that serves it.
func TestDiscoveryListsEveryType(t *testing.T) {
	ctx := context.Background()
	s, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	meta, err := s.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	if err != nil || len(meta.Diagnostics) > 0 {
		t.Fatal(err, diagText(meta.Diagnostics))
	}
	var resources, ephemeral, functions []string
	for _, r := range meta.Resources {
		resources = append(resources, r.TypeName)
	}
	for _, r := range meta.EphemeralResources {
		ephemeral = append(ephemeral, r.TypeName)
	}
	for _, f := range meta.Functions {
		functions = append(functions, f.Name)
	}
	sort.Strings(functions)
	if fmt.Sprint(resources, ephemeral, functions, len(meta.Actions)) != "[haptik_faq_domain] [haptik_chat_transcript] [faq_csv faq_match faq_nodes hsl_text] 1" ||
		!meta.ServerCapabilities.PlanDestroy {
		t.Errorf("metadata: resources %v, ephemeral %v, functions %v, %d actions, capabilities %+v",
			resources, ephemeral, functions, len(meta.Actions), meta.ServerCapabilities)
	}
	fns, err := s.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
	if err != nil || len(fns.Diagnostics) > 0 || len(fns.Functions) != 4 {
		t.Errorf("GetFunctions: %v %s %d functions", err, diagText(fns.Diagnostics), len(fns.Functions))
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || len(ids.Diagnostics) > 0 || len(ids.IdentitySchemas) != 1 ||
		!ids.IdentitySchemas[faqdomain.TypeName].ValueType().Equal(faqdomain.IdentityType) {
		t.Errorf("GetResourceIdentitySchemas: %v %s %v, want haptik_faq_domain's identity only", err, diagText(ids.Diagnostics), ids.IdentitySchemas)
	}

}
