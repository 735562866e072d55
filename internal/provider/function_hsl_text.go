package provider

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

var _ function.Function = hslTextFunction{}

type hslTextFunction struct{}

func newHSLTextFunction() function.Function { return hslTextFunction{} }

func (hslTextFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "hsl_text"
}

func (hslTextFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Build the HSL JSON of a text answer with quick-reply buttons",
		MarkdownDescription: "Returns the compact HSL JSON of a `TEXT` message with one quick-reply button per " +
			"entry of `quick_replies`, the most common rich answer in FAQ bots. Each button shows its text and " +
			"sends it back as the user's message when tapped. Use the result as a `bot_says` entry.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "text",
				MarkdownDescription: "The message text shown above the buttons.",
			},
			function.ListParameter{
				Name:                "quick_replies",
				ElementType:         types.StringType,
				MarkdownDescription: "The button labels, in order; each is also the message sent when it is tapped.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (hslTextFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	var replies []string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &text, &replies))
	if resp.Error != nil {
		return
	}
	for i, r := range replies {
		if strings.TrimSpace(r) == "" {
			resp.Error = function.NewArgumentFuncError(1, "quick_replies["+strconv.Itoa(i)+"]: a quick reply needs "+
				"a label, the text users tap; it cannot be blank")
			return
		}
	}
	hsl := faqcsv.TextHSL(text, replies)
	// The answer must pass the same rules as any bot says (no "<m>", no carriage returns).
	var msgs []string
	for _, p := range faqcsv.Validate(faqcsv.Node{Name: "hsl_text", UserSays: []string{"-"}, BotSays: []string{hsl}}) {
		if !p.Warning {
			msgs = append(msgs, p.Detail)
		}
	}
	if len(msgs) > 0 {
		resp.Error = function.NewFuncError(strings.TrimSuffix(strings.Join(msgs, "\n"), "."))
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, hsl))
}
