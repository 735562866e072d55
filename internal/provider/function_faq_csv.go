package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

var _ function.Function = faqCSVFunction{}

type faqCSVFunction struct{}

func newFAQCSVFunction() function.Function { return faqCSVFunction{} }

func (faqCSVFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "faq_csv"
}

func (faqCSVFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Render FAQ nodes as the CSV that haptik_faq_domain uploads",
		MarkdownDescription: "Returns exactly the CSV that a `haptik_faq_domain` with these `nodes` uploads to " +
			"Haptik: the header `node_name,question,answer`, one row per node in name order, user says joined " +
			"with `|`, bot says joined with `<m>` (HSL JSON compacted), RFC 4180 quoting and CRLF line ends. " +
			"Use it to publish the upload as a review artifact, or to keep a CSV copy for Haptik's dashboard. " +
			"Nodes that break the content rules are an error, as they are for the resource.",
		Parameters: []function.Parameter{
			function.MapParameter{
				Name:                "nodes",
				ElementType:         types.ObjectType{AttrTypes: nodeAttrTypes},
				MarkdownDescription: "FAQ nodes keyed by node name, in the shape of `haptik_faq_domain.nodes`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (faqCSVFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var nodes types.Map
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &nodes))
	if resp.Error != nil {
		return
	}
	ns, known := nodesFromMap(nodes)
	if !known {
		resp.Error = function.NewArgumentFuncError(0, "every node needs user_says and bot_says lists without null values")
		return
	}
	if msgs := problemMessages(faqcsv.ValidateAll(ns)); len(msgs) > 0 {
		resp.Error = argumentError(0, msgs)
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, string(faqcsv.RenderBytes(ns))))
}

// problemMessages lists the errors among ps as "path: detail" lines.
func problemMessages(ps []faqcsv.Problem) []string {
	var msgs []string
	for _, p := range ps {
		if !p.Warning {
			msgs = append(msgs, faqdomain.ProblemText(p))
		}
	}
	return msgs
}

// argumentError joins messages into one argument error. Terraform prefixes it with the parameter
// name and ends it with a period, so the last message's own period is dropped.
func argumentError(arg int64, msgs []string) *function.FuncError {
	return function.NewArgumentFuncError(arg, strings.TrimSuffix(strings.Join(msgs, "\n"), "."))
}
