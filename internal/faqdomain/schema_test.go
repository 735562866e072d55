package faqdomain

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The schema and the functions of this package agree: the schema names exactly the attributes
// this package reads and writes, every computed attribute gets its value from the plan, and
// what the descriptions promise (the default policy, replacement on a new domain, valid values)
// is what Validate and PlanChange do. The protocol schema cannot declare defaults, plan modifiers
// or validators, so nothing in it can go unhonoured; this test keeps the promises in its prose.
func TestSchemaContract(t *testing.T) {
	var names []string
	byName := map[string]bool{}
	for _, a := range Schema().Block.Attributes {
		names = append(names, a.Name)
		byName[a.Name] = a.Computed
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("attributes %v are not in name order", names)
	}
	handled := []string{AttrID, AttrDomainName, AttrNodes, AttrDeletionPolicy, AttrNodeCount, AttrContentSHA256,
		AttrLastTaskID, AttrTimeouts, AttrConfirmed, AttrAllowEmpty, AttrMaxDeactivate, AttrResyncTrigger, AttrCompeting,
		AttrStrictContent}
	sort.Strings(handled)
	if strings.Join(names, ",") != strings.Join(handled, ",") {
		t.Fatalf("schema attributes %v, this package handles %v", names, handled)
	}

	// Every computed attribute is planned: known, or unknown until the apply sets it.
	cfg := config(testNodes, nil)
	planned, _ := PlanChange(nil, encode(t, proposed(cfg)), encode(t, cfg), nil)
	attrs := decode(t, planned.State)
	for name, computed := range byName {
		if computed && attrs[name].IsNull() {
			t.Errorf("computed %s is null in a create's plan", name)
		}
	}
	for _, name := range []string{AttrNodeCount, AttrContentSHA256, AttrID, AttrDeletionPolicy} {
		if !attrs[name].IsFullyKnown() {
			t.Errorf("%s is not known at plan time, which its description promises", name)
		}
	}
	// And the apply sets the rest.
	state, err := NewState(planned.State, "support", Uploaded{TaskID: "t", ContentSHA256: "s", NodeCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range decode(t, state) {
		if byName[name] && !v.IsFullyKnown() {
			t.Errorf("computed %s is still unknown in the new state", name)
		}
	}

	// deletion_policy: the default the description names, and the values it lists.
	policy := describe(t, AttrDeletionPolicy)
	if !strings.Contains(policy, "`"+PolicyDeactivate+"` (the default)") || !strings.Contains(policy, "`"+PolicyRetain+"`") {
		t.Errorf("deletion_policy's description does not name the default %q and %q: %s", PolicyDeactivate, PolicyRetain, policy)
	}
	if !attrs[AttrDeletionPolicy].Equal(tftypes.NewValue(tftypes.String, PolicyDeactivate)) {
		t.Errorf("a null deletion_policy plans %v", attrs[AttrDeletionPolicy])
	}
	for _, ok := range []string{PolicyDeactivate, PolicyRetain} {
		if diags := Validate(encode(t, config(testNodes, map[string]tftypes.Value{AttrDeletionPolicy: str(ok)}))); len(diags) != 0 {
			t.Errorf("deletion_policy %q: %s", ok, detail(diags))
		}
	}

	// domain_name: "Changing it replaces the resource".
	if !strings.Contains(describe(t, AttrDomainName), "Changing it replaces the resource") {
		t.Error("domain_name's description no longer says that changing it replaces the resource")
	}
	state = encode(t, applied(testNodes, nil))
	moved := encode(t, applied(testNodes, map[string]tftypes.Value{AttrDomainName: str("other")}))
	if p, _ := PlanChange(state, moved, moved, nil); !p.RequiresReplace {
		t.Error("a new domain_name does not replace the resource")
	}

	// competing_questions: the defaults its settings' descriptions name.
	var competing []*tfprotov6.SchemaAttribute
	for _, a := range Schema().Block.Attributes {
		if a.Name == AttrCompeting {
			competing = a.NestedType.Attributes
		}
	}
	if len(competing) != 2 || competing[0].Name != CompetingCheck || competing[1].Name != CompetingThreshold ||
		!strings.Contains(competing[0].Description, "`"+CheckWarning+"` (the default)") ||
		!strings.Contains(competing[0].Description, "`"+CheckError+"`") || !strings.Contains(competing[0].Description, "`"+CheckOff+"`") ||
		!strings.Contains(competing[1].Description, fmt.Sprintf("Default: `%g`.", DefaultCompetingThreshold)) {
		t.Errorf("competing_questions' settings do not describe the defaults %q and %g", CheckWarning, DefaultCompetingThreshold)
	}
	// strict_content: "make every content warning an error".
	if !strings.Contains(describe(t, AttrStrictContent), "make every content warning an error") {
		t.Error("strict_content's description no longer says that it makes every content warning an error")
	}
	typo := map[string]node{"n": {UserSays: []string{"hi"}, BotSays: []string{`{"type":"CAROUSAL"}`}}}
	if d := Validate(encode(t, config(typo, map[string]tftypes.Value{AttrStrictContent: tftypes.NewValue(tftypes.Bool, true)}))); len(d) != 1 || d[0].Warning {
		t.Errorf("strict_content = true leaves an HSL typo a warning: %s", detail(d))
	}

	// The timeouts' default is the one their descriptions name.
	for _, a := range Schema().Block.Attributes[len(names)-1].NestedType.Attributes {
		if !strings.Contains(a.Description, "Default: 20 minutes.") || DefaultTimeout.String() != "20m0s" {
			t.Errorf("timeouts.%s: description %q, default %s", a.Name, a.Description, DefaultTimeout)
		}
	}
}

func describe(t *testing.T, name string) string {
	t.Helper()
	for _, a := range Schema().Block.Attributes {
		if a.Name == name {
			return a.Description
		}
	}
	t.Fatalf("no attribute %s", name)
	return ""
}
