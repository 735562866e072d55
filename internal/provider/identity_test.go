package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

// identityDomain is the domain_name an identity names ("" when null).
func identityDomain(t *testing.T, id *tfprotov6.ResourceIdentityData) string {
	t.Helper()
	if id == nil || id.IdentityData == nil {
		t.Fatal("no identity")
	}
	v, err := id.IdentityData.Unmarshal(faqdomain.IdentityType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var domain *string
	if err := attrs[faqdomain.AttrDomainName].As(&domain); err != nil {
		t.Fatal(err)
	}
	if domain == nil {
		return ""
	}
	return *domain
}

// identityOf encodes an identity naming domain.
func identityOf(t *testing.T, domain string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(faqdomain.IdentityType, tftypes.NewValue(faqdomain.IdentityType,
		map[string]tftypes.Value{faqdomain.AttrDomainName: tftypes.NewValue(tftypes.String, domain)}))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
}

// The identity through the mux, RPC by RPC: an import by identity or by ID returns the domain's
// identity, an empty identity is refused, a refresh gives an identity to a state that had none
// (written before the provider declared one), a stored identity is upgraded, and a destroy plans
// none.
func TestFAQDomainIdentity_rpcs(t *testing.T) {
	ctx := context.Background()
	s, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	byIdentity, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: faqdomain.TypeName,
		Identity: identityOf(t, "acme_support")})
	if err != nil || len(byIdentity.Diagnostics) > 0 || len(byIdentity.ImportedResources) != 1 {
		t.Fatalf("import by identity: %v %s", err, diagText(byIdentity.Diagnostics))
	}
	imported := byIdentity.ImportedResources[0]
	if got := identityDomain(t, imported.Identity); got != "acme_support" {
		t.Errorf("import by identity returned the identity of %q", got)
	}
	if domain, _ := domainOf(imported.State.MsgPack); domain != "acme_support" {
		t.Errorf("import by identity imported domain %q", domain)
	}
	byID, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: faqdomain.TypeName, ID: "acme_support"})
	if err != nil || len(byID.Diagnostics) > 0 || identityDomain(t, byID.ImportedResources[0].Identity) != "acme_support" {
		t.Errorf("import by ID: %v %s, want the identity of acme_support", err, diagText(byID.Diagnostics))
	}
	empty, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: faqdomain.TypeName,
		Identity: identityOf(t, "")})
	if err != nil || len(empty.ImportedResources) != 0 || len(empty.Diagnostics) != 1 ||
		empty.Diagnostics[0].Summary != "Invalid Import Identity" {
		t.Errorf("import by an empty identity: %v %s %v, want one Invalid Import Identity error", err,
			diagText(empty.Diagnostics), empty.ImportedResources)
	}

	read, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: faqdomain.TypeName, CurrentState: imported.State})
	if err != nil || len(read.Diagnostics) > 0 {
		t.Fatal(err, diagText(read.Diagnostics))
	}
	if got := identityDomain(t, read.NewIdentity); got != "acme_support" {
		t.Errorf("a refresh of a state without identity gave it the identity of %q", got)
	}

	// The mux routes the identity upgrade to the server that declared the identity.
	up, err := s.UpgradeResourceIdentity(ctx, &tfprotov6.UpgradeResourceIdentityRequest{TypeName: faqdomain.TypeName,
		RawIdentity: &tfprotov6.RawState{JSON: []byte(`{"domain_name":"acme_support"}`)}})
	if err != nil || len(up.Diagnostics) > 0 {
		t.Fatalf("UpgradeResourceIdentity: %v %s", err, diagText(up.Diagnostics))
	}
	if got := identityDomain(t, up.UpgradedIdentity); got != "acme_support" {
		t.Errorf("the upgraded identity names %q", got)
	}

	destroy, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: faqdomain.TypeName,
		PriorState: imported.State, ProposedNewState: dynamicValue(nil), Config: dynamicValue(nil),
		PriorIdentity: imported.Identity})
	if err != nil {
		t.Fatal(err)
	}
	if destroy.PlannedIdentity != nil {
		t.Errorf("a destroy plans the identity %v, want none", destroy.PlannedIdentity)
	}
}

// Terraform 1.12+ and OpenTofu 1.12+: an import block naming the domain by its identity adopts
// the domain (the apply uploads the configured nodes and deactivates the rest), state holds the
// identity, a new domain_name replaces the resource with the new domain's identity, and an
// import block by the identity in state plans an import of the same identity. An empty
// domain_name in the identity is refused before anything is sent.
func TestAccFAQDomain_importByIdentity(t *testing.T) {
	env := newTestEnv(t, "acme_support", "acme_sales")
	seedDomain(t, env, "acme_support", map[string]testNode{
		"legacy_node": {UserSays: []string{"old question"}, BotSays: []string{"old answer"}},
	})
	importBlock := func(domain string) string {
		return "import {\n  to       = haptik_faq_domain.test\n  identity = { domain_name = " + hclString(domain) + " }\n}\n"
	}
	identity := func(domain string) statecheck.StateCheck {
		return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"domain_name": knownvalue.StringExact(domain)})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.providerBlock() + importBlock("") + domainConfig("acme_support", nodesV1, ""),
				ExpectError: regexp.MustCompile(`(?s)Invalid Import Identity.*domain_name is empty.*identity = \{ domain_name = "acme_support" \}`),
			},
			{
				Config: env.providerBlock() + importBlock("acme_support") + domainConfig("acme_support", nodesV1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectPlannedIdentity(addr, "acme_support"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					identity("acme_support"),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("confirmed"), knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error {
					if err := env.expectActive("acme_support", nodesV1); err != nil {
						return err
					}
					return env.expectUploads("acme_support", 2)
				},
			},
			{
				Config: env.providerBlock() + domainConfig("acme_sales", nodesV1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					expectPlannedIdentity(addr, "acme_sales"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{identity("acme_sales")},
				Check:             func(*terraform.State) error { return env.expectActive("acme_sales", nodesV1) },
			},
			{
				// The import plans an update: an imported domain's state holds no nodes.
				ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// expectPlannedIdentity is a plan check on the identity a resource's change plans.
func expectPlannedIdentity(address, domain string) plancheck.PlanCheck {
	return plannedIdentityCheck{address, domain}
}

type plannedIdentityCheck struct{ address, domain string }

func (c plannedIdentityCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		after, _ := rc.Change.AfterIdentity.(map[string]any)
		if got := after["domain_name"]; got != c.domain {
			resp.Error = fmt.Errorf("%s: planned identity %v, want domain_name %q", c.address, rc.Change.AfterIdentity, c.domain)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.address)
}

// terraform plan -generate-config-out with an import block by identity writes the domain's
// configuration, with nodes = null (Haptik cannot list them) and the error that says to fill them
// in, and nothing is uploaded.
func TestAccFAQDomain_generateConfigByIdentity(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	cli := newTerraformCLI(t, env)
	cli.skipUnless(featureResourceIdentity)
	cli.write(env.providerBlock() +
		"import {\n  to       = haptik_faq_domain.support\n  identity = { domain_name = \"acme_support\" }\n}\n")
	cli.init()
	out, _ := cli.run("plan", "-input=false", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatalf("no generated configuration: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`domain_name\s+=\s+"acme_support"`).Match(generated) ||
		!regexp.MustCompile(`nodes\s+=\s+null`).Match(generated) {
		t.Errorf("generated configuration:\n%s", generated)
	}
	if !wrapped("Missing Nodes", "-generate-config-out writes nodes = null").MatchString(out) {
		t.Errorf("the plan does not say to fill in the nodes:\n%s", out)
	}

	// Filled in, the import by identity applies and state holds the identity.
	filled := regexp.MustCompile(`nodes\s+=\s+null`).ReplaceAllLiteralString(string(generated),
		`nodes = { n = { user_says = ["hi"], bot_says = ["hello"] } }`)
	if err := os.WriteFile(filepath.Join(cli.dir, "generated.tf"), []byte(filled), 0o600); err != nil {
		t.Fatal(err)
	}
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("acme_support", oneNode); err != nil {
		t.Fatal(err)
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address  string          `json:"address"`
					Identity json.RawMessage `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(cli.must("show", "-json")), &state); err != nil {
		t.Fatal(err)
	}
	rs := state.Values.RootModule.Resources
	if len(rs) != 1 || rs[0].Address != "haptik_faq_domain.support" || string(rs[0].Identity) != `{"domain_name":"acme_support"}` {
		t.Errorf("state: %+v", rs)
	}
}

// A state written before the provider declared an identity (no "identity" in the state file)
// gains it at the next refresh, and the plan stays empty.
func TestAccFAQDomain_identityAddedToOlderState(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.skipUnless(featureResourceIdentity)
	cli.write(env.providerBlock() + domainConfig("acme_support", oneNode, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")
	path := filepath.Join(cli.dir, "terraform.tfstate")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources []struct {
			Instances []map[string]any `json:"instances"`
		} `json:"resources"`
	}
	var whole map[string]any
	if json.Unmarshal(raw, &doc) != nil || json.Unmarshal(raw, &whole) != nil || len(doc.Resources) != 1 {
		t.Fatalf("unreadable state:\n%s", raw)
	}
	for _, in := range doc.Resources[0].Instances {
		delete(in, "identity")
		delete(in, "identity_schema_version")
	}
	resources := whole["resources"].([]any)
	resources[0].(map[string]any)["instances"] = doc.Resources[0].Instances
	older, err := json.Marshal(whole)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"identity"`) || strings.Contains(string(older), `"identity"`) {
		t.Fatalf("could not remove the identity from the state:\n%s", raw)
	}
	if err := os.WriteFile(path, older, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := stateIdentity(t, cli); got != "" {
		t.Fatalf("the older state still has identity %s", got)
	}
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan of the older state is not empty: %v\n%s", err, out)
	}
	cli.must("apply", "-refresh-only", "-auto-approve", "-input=false")
	if got := stateIdentity(t, cli); got != `{"domain_name":"acme_support"}` {
		t.Errorf("after a refresh the identity is %q", got)
	}
}

// stateIdentity is the identity `show -json` reports for the one resource in state.
func stateIdentity(t *testing.T, cli *terraformCLI) string {
	t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Identity json.RawMessage `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(cli.must("show", "-json")), &state); err != nil {
		t.Fatal(err)
	}
	if rs := state.Values.RootModule.Resources; len(rs) == 1 {
		return string(rs[0].Identity)
	}
	t.Fatalf("state holds %d resources, want 1", len(state.Values.RootModule.Resources))
	return ""
}
