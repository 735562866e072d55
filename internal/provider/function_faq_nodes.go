package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

var _ function.Function = faqNodesFunction{}

type faqNodesFunction struct{}

func newFAQNodesFunction() function.Function { return faqNodesFunction{} }

func (faqNodesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "faq_nodes"
}

func (faqNodesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parse a Haptik FAQ CSV into the nodes map of haptik_faq_domain",
		MarkdownDescription: "Parses a Haptik FAQ CSV (header `node_name,question,answer`, user says separated by " +
			"`|`, bot says by `<m>`) into a map in the shape of `haptik_faq_domain.nodes`, so a team that keeps " +
			"its FAQ in a CSV can manage it with Terraform: `nodes = provider::haptik::faq_nodes(file(\"faq.csv\"))`. " +
			"Cells are kept byte for byte. A malformed CSV, a repeated node name, or content that breaks the " +
			"content rules is an error naming the line. `faq_nodes(faq_csv(x))` equals `x` for every valid `x` " +
			"whose HSL answers are compact JSON (as `jsonencode` writes them).",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "csv_text",
				MarkdownDescription: "The CSV text, e.g. `file(\"faq.csv\")`. A UTF-8 byte order mark is ignored.",
			},
		},
		Return: function.MapReturn{ElementType: types.ObjectType{AttrTypes: nodeAttrTypes}},
	}
}

func (faqNodesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &text))
	if resp.Error != nil {
		return
	}
	rows, err := faqcsv.ParseRows(text)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	nodes := make([]faqcsv.Node, len(rows))
	lines := make(map[string]int, len(rows))
	for i, r := range rows {
		nodes[i] = r.Node
		lines[r.Name] = r.Line
	}
	// Rows are checked in file order, so errors come in line order.
	var msgs []string
	for _, p := range faqcsv.ValidateInOrder(nodes) {
		if !p.Warning {
			msgs = append(msgs, fmt.Sprintf("line %d: %s", lines[p.Node], faqdomain.ProblemText(p)))
		}
	}
	if len(msgs) > 0 {
		resp.Error = argumentError(0, msgs)
		return
	}
	elems := make(map[string]attr.Value, len(nodes))
	for _, n := range nodes {
		elems[n.Name] = types.ObjectValueMust(nodeAttrTypes, map[string]attr.Value{
			"user_says": stringList(n.UserSays),
			"bot_says":  stringList(n.BotSays),
		})
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx,
		types.MapValueMust(types.ObjectType{AttrTypes: nodeAttrTypes}, elems)))
}

func stringList(ss []string) types.List {
	vs := make([]attr.Value, len(ss))
	for i, s := range ss {
		vs[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vs)
}
