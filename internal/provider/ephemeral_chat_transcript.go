package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

var (
	_ ephemeral.EphemeralResource              = (*chatTranscriptEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*chatTranscriptEphemeral)(nil)
)

// The ranges of the transcript's numbers.
var (
	transcriptBusinessID     = atLeast(1)
	transcriptConversationNo = atLeast(0)
	transcriptLimit          = atLeast(1)
)

func newChatTranscriptEphemeral() ephemeral.EphemeralResource { return &chatTranscriptEphemeral{} }

// chatTranscriptEphemeral reads one conversation through get_chat_history. It is ephemeral
// because a chat is personal data: Terraform never writes it to a plan or to state.
type chatTranscriptEphemeral struct {
	data *providerData
}

type chatTranscriptModel struct {
	UserName       types.String       `tfsdk:"user_name"`
	BusinessID     types.Number       `tfsdk:"business_id"`
	ConversationNo types.Number       `tfsdk:"conversation_no"`
	Limit          types.Number       `tfsdk:"limit"`
	Messages       []chatMessageModel `tfsdk:"messages"`
	Transcript     types.String       `tfsdk:"transcript"`
}

type chatMessageModel struct {
	Text      types.String `tfsdk:"text"`
	Sender    types.String `tfsdk:"sender"`
	MessageID types.String `tfsdk:"message_id"`
	Timestamp types.String `tfsdk:"timestamp"`
}

func (e *chatTranscriptEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chat_transcript"
}

func (e *chatTranscriptEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one conversation of a user with a Haptik bot through Haptik's chat history API " +
			"(`get_chat_history`, v1.0). A chat is personal data, so this is an ephemeral resource: Terraform " +
			"(1.10 or later) reads it when it is needed and never writes it to a plan or to state. Pass its " +
			"results to other ephemeral contexts, such as a provider block or a write-only attribute.",
		Attributes: map[string]schema.Attribute{
			"user_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The user's name (id) in Haptik, as Haptik's chat tools show it.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"business_id": schema.NumberAttribute{
				Required:            true,
				MarkdownDescription: "The numeric id of the business (bot) the user talked to: a whole number, 1 or more.",
				Validators:          []validator.Number{transcriptBusinessID},
			},
			"conversation_no": schema.NumberAttribute{
				Required:            true,
				MarkdownDescription: "Which of the user's conversations to read, as Haptik numbers them: a whole number, 0 or more.",
				Validators:          []validator.Number{transcriptConversationNo},
			},
			"limit": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: "Read at most this many messages, the latest ones: a whole number, 1 or more. " +
					"Without it, Haptik returns the whole conversation.",
				Validators: []validator.Number{transcriptLimit},
			},
			"messages": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The conversation's messages, oldest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"text":       schema.StringAttribute{Computed: true, MarkdownDescription: "The message text."},
					"sender":     schema.StringAttribute{Computed: true, MarkdownDescription: "Who sent it: `user`, `bot`, or `agent(<AGENT NAME>)`."},
					"message_id": schema.StringAttribute{Computed: true, MarkdownDescription: "Haptik's id of the message."},
					"timestamp": schema.StringAttribute{Computed: true, MarkdownDescription: "When it was sent, in RFC 3339 " +
						"(`2020-06-22T07:24:25Z`), converted from Haptik's `06/22/20 07:24:25 AM UTC`."},
				}},
			},
			"transcript": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The conversation as Haptik's plain text (`response_type = text`): one " +
					"`sender: text` line per message.",
			},
		},
	}
}

func (e *chatTranscriptEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = chatData(req.ProviderData, &resp.Diagnostics)
}

func (e *chatTranscriptEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m chatTranscriptModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !chatReady(e.data, &resp.Diagnostics, "read the chat history") {
		return
	}
	q := haptik.HistoryQuery{UserName: m.UserName.ValueString(),
		BusinessID:     transcriptBusinessID.get(ctx, path.Root("business_id"), m.BusinessID, &resp.Diagnostics),
		ConversationNo: transcriptConversationNo.get(ctx, path.Root("conversation_no"), m.ConversationNo, &resp.Diagnostics),
		Limit:          transcriptLimit.get(ctx, path.Root("limit"), m.Limit, &resp.Diagnostics)}
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = e.data.logContext(ctx)
	msgs, err := e.data.client.ChatHistory(ctx, q)
	if err != nil {
		addChatError(ctx, &resp.Diagnostics, err, "read the chat history")
		return
	}
	text, err := e.data.client.ChatTranscript(ctx, q)
	if err != nil {
		addChatError(ctx, &resp.Diagnostics, err, "read the chat transcript")
		return
	}
	m.Messages = make([]chatMessageModel, len(msgs))
	for i, msg := range msgs {
		m.Messages[i] = chatMessageModel{
			Text: types.StringValue(msg.Text), Sender: types.StringValue(msg.Sender),
			MessageID: types.StringValue(msg.MessageID), Timestamp: types.StringValue(msg.Timestamp.Format(time.RFC3339)),
		}
	}
	m.Transcript = types.StringValue(text)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
