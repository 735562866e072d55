package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// benchConfig is a haptik_faq_domain configuration holding faqcsv.SampleNodes(n), as the
// provider receives it from Terraform.
func benchConfig(t testing.TB, s tfprotov6.ProviderServer, n int) (tftypes.Type, tftypes.Value) {
	return benchConfigOf(t, s, faqcsv.SampleNodes(n))
}

// benchConfigOf is a haptik_faq_domain configuration holding nodes.
func benchConfigOf(t testing.TB, s tfprotov6.ProviderServer, ns []faqcsv.Node) (tftypes.Type, tftypes.Value) {
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := resp.ResourceSchemas["haptik_faq_domain"].ValueType()
	objType := typ.(tftypes.Object)
	nodeType := objType.AttributeTypes["nodes"].(tftypes.Map).ElementType
	listType := tftypes.List{ElementType: tftypes.String}
	strs := func(ss []string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for j, s := range ss {
			vs[j] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(listType, vs)
	}
	nodes := make(map[string]tftypes.Value, len(ns))
	for _, node := range ns {
		nodes[node.Name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{
			"user_says": strs(node.UserSays), "bot_says": strs(node.BotSays)})
	}
	vals := map[string]tftypes.Value{}
	for name, at := range objType.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["domain_name"] = tftypes.NewValue(tftypes.String, "bench")
	vals["nodes"] = tftypes.NewValue(objType.AttributeTypes["nodes"], nodes)
	return typ, tftypes.NewValue(typ, vals)
}

// BenchmarkPlanRPCs measures validate and plan at 1,000 and 10,000 nodes of faqcsv.SampleNodes,
// and validate (which runs the content rules, the competing-questions check among them) at 1,000,
// 10,000 and 50,000 nodes of faqcsv.QuestionNodes, whose user says are worded like customers'
// questions.
func BenchmarkPlanRPCs(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		s, _ := NewServer("bench")()
		typ, cfg := benchConfigOf(b, s, faqcsv.QuestionNodes(n))
		raw, err := tfprotov6.NewDynamicValue(typ, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("ValidateResourceConfig/questions/nodes=%d", n), func(b *testing.B) {
			warnings := 0
			for b.Loop() {
				resp, err := s.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{TypeName: "haptik_faq_domain", Config: &raw})
				if err != nil {
					b.Fatal(err)
				}
				warnings = 0
				for _, d := range resp.Diagnostics {
					if d.Severity != tfprotov6.DiagnosticSeverityWarning {
						b.Fatal(d.Summary, d.Detail)
					}
					warnings++
				}
			}
			b.ReportMetric(float64(warnings), "warnings")
		})
	}
	for _, n := range []int{1_000, 10_000} {
		s, _ := NewServer("bench")()
		typ, cfg := benchConfig(b, s, n)
		raw, err := tfprotov6.NewDynamicValue(typ, cfg)
		if err != nil {
			b.Fatal(err)
		}
		null, _ := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		b.Run(fmt.Sprintf("ValidateResourceConfig/nodes=%d", n), func(b *testing.B) {
			for b.Loop() {
				resp, err := s.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{TypeName: "haptik_faq_domain", Config: &raw})
				if err != nil || len(resp.Diagnostics) > 0 {
					b.Fatal(err, resp.Diagnostics)
				}
			}
		})
		b.Run(fmt.Sprintf("PlanResourceChange/nodes=%d", n), func(b *testing.B) {
			for b.Loop() {
				resp, err := s.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
					TypeName: "haptik_faq_domain", Config: &raw, ProposedNewState: &raw, PriorState: &null,
				})
				// A create warns that the domain's unlisted nodes will be deactivated; nothing else.
				if err != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning {
					b.Fatal(err, resp.Diagnostics)
				}
			}
		})
	}
}
