package provider

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// providerSchema is the provider's full schema, as Terraform receives it.
func providerSchema(t *testing.T) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	server, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Every attribute, block, function and parameter the registry shows has a description written
// for its reader, so no registry page has a bare name.
func TestSchemaDescriptions(t *testing.T) {
	resp := providerSchema(t)
	if len(resp.ResourceSchemas) == 0 || len(resp.Functions) == 0 || len(resp.EphemeralResourceSchemas) == 0 || len(resp.ActionSchemas) == 0 {
		t.Fatal("no resources, ephemeral resources, actions or functions: the walk would prove nothing")
	}
	if missing := undescribed(resp); len(missing) > 0 {
		t.Fatalf("no MarkdownDescription: %s", strings.Join(missing, ", "))
	}
}

func TestUndescribedFindsGaps(t *testing.T) {
	described := func(name string) *tfprotov6.SchemaAttribute {
		return &tfprotov6.SchemaAttribute{Name: name, Description: "d"}
	}
	resp := &tfprotov6.GetProviderSchemaResponse{
		Provider: &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{Description: "p", Attributes: []*tfprotov6.SchemaAttribute{
			described("base_url"), {Name: "token"},
		}}},
		ResourceSchemas: map[string]*tfprotov6.Schema{"haptik_x": {Block: &tfprotov6.SchemaBlock{Description: "r",
			Attributes: []*tfprotov6.SchemaAttribute{{Name: "nodes", Description: "n", NestedType: &tfprotov6.SchemaObject{
				Attributes: []*tfprotov6.SchemaAttribute{described("user_says"), {Name: "bot_says"}},
			}}},
			BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "timeouts", Block: &tfprotov6.SchemaBlock{}}},
		}}},
		EphemeralResourceSchemas: map[string]*tfprotov6.Schema{"haptik_e": {Block: &tfprotov6.SchemaBlock{
			Attributes: []*tfprotov6.SchemaAttribute{described("limit")}}}},
		ActionSchemas: map[string]*tfprotov6.ActionSchema{"haptik_a": {Schema: &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{
			Description: "a", Attributes: []*tfprotov6.SchemaAttribute{{Name: "countdown"}}}}}},
		Functions: map[string]*tfprotov6.Function{"f": {Summary: "s", Description: "d",
			Parameters: []*tfprotov6.FunctionParameter{{Name: "x"}}}},
	}
	want := []string{"provider.token", "haptik_x.nodes.bot_says", "haptik_x.timeouts", "haptik_e", "haptik_a.countdown", "f(x)"}
	if got := undescribed(resp); !reflect.DeepEqual(got, want) {
		t.Fatalf("undescribed = %q, want %q", got, want)
	}
}

// undescribed lists everything in the schema that a registry page would show without a
// description. (The framework sends MarkdownDescription as the description.)
func undescribed(resp *tfprotov6.GetProviderSchemaResponse) []string {
	var missing []string
	check := func(where, description string) {
		if strings.TrimSpace(description) == "" {
			missing = append(missing, where)
		}
	}
	var walkAttr func(where string, a *tfprotov6.SchemaAttribute)
	walkAttr = func(where string, a *tfprotov6.SchemaAttribute) {
		check(where, a.Description)
		if a.NestedType != nil {
			for _, na := range a.NestedType.Attributes {
				walkAttr(where+"."+na.Name, na)
			}
		}
	}
	var walkBlock func(where string, b *tfprotov6.SchemaBlock)
	walkBlock = func(where string, b *tfprotov6.SchemaBlock) {
		for _, a := range b.Attributes {
			walkAttr(where+"."+a.Name, a)
		}
		for _, nb := range b.BlockTypes {
			check(where+"."+nb.TypeName, nb.Block.Description)
			walkBlock(where+"."+nb.TypeName, nb.Block)
		}
	}
	check("provider", resp.Provider.Block.Description)
	walkBlock("provider", resp.Provider.Block)
	for _, name := range sortedKeys(resp.ResourceSchemas) {
		check(name, resp.ResourceSchemas[name].Block.Description)
		walkBlock(name, resp.ResourceSchemas[name].Block)
	}
	for _, name := range sortedKeys(resp.EphemeralResourceSchemas) {
		check(name, resp.EphemeralResourceSchemas[name].Block.Description)
		walkBlock(name, resp.EphemeralResourceSchemas[name].Block)
	}
	for _, name := range sortedKeys(resp.ActionSchemas) {
		check(name, resp.ActionSchemas[name].Schema.Block.Description)
		walkBlock(name, resp.ActionSchemas[name].Schema.Block)
	}
	for _, name := range sortedKeys(resp.Functions) {
		f := resp.Functions[name]
		check(name, f.Description)
		check(name+" summary", f.Summary)
		for _, p := range f.Parameters {
			check(name+"("+p.Name+")", p.Description)
		}
		if f.VariadicParameter != nil {
			check(name+"(..."+f.VariadicParameter.Name+")", f.VariadicParameter.Description)
		}
	}
	return missing
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The action's page lists its schema by hand, because Terraform before 1.14 does not export action
// schemas to tfplugindocs. It must say exactly what the schema says, in tfplugindocs' layout.
func TestActionDocsMatchSchema(t *testing.T) {
	resp := providerSchema(t)
	if len(resp.ActionSchemas) == 0 {
		t.Fatal("no actions")
	}
	for name, as := range resp.ActionSchemas {
		short := strings.TrimPrefix(name, "haptik_")
		for _, file := range []string{"../../templates/actions/" + short + ".md.tmpl", "../../docs/actions/" + short + ".md"} {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%s has no page: %v", name, err)
			}
			_, section, ok := strings.Cut(string(raw), "## Schema\n")
			if want := schemaMarkdown(as.Schema.Block); !ok || strings.TrimSpace(section) != want {
				t.Errorf("%s: the schema section is\n%s\nwant\n%s", file, section, want)
			}
			if !strings.Contains(string(raw), as.Schema.Block.Description) {
				t.Errorf("%s does not carry the action's description", file)
			}
		}
	}
}

// schemaMarkdown renders a block of primitive attributes the way tfplugindocs does.
func schemaMarkdown(b *tfprotov6.SchemaBlock) string {
	groups := map[string][]string{}
	for _, a := range b.Attributes {
		kind := "Optional"
		if a.Required {
			kind = "Required"
		}
		typ := map[string]string{"tftypes.String": "String", "tftypes.Number": "Number", "tftypes.Bool": "Bool"}[a.Type.String()]
		groups[kind] = append(groups[kind], fmt.Sprintf("- `%s` (%s) %s", a.Name, typ, a.Description))
	}
	var out []string
	for _, kind := range []string{"Required", "Optional"} {
		if len(groups[kind]) == 0 {
			continue
		}
		sort.Strings(groups[kind])
		out = append(out, "### "+kind+"\n\n"+strings.Join(groups[kind], "\n"))
	}
	return strings.Join(out, "\n\n")
}
