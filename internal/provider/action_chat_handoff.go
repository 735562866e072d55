package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

var (
	_ action.Action              = (*chatHandoffAction)(nil)
	_ action.ActionWithConfigure = (*chatHandoffAction)(nil)
)

// The ranges of the handoff's numbers.
var (
	handoffBusinessID = atLeast(1)
	handoffCountdown  = wholeNumber{min: haptik.MinCountdown, max: haptik.MaxCountdown}
)

func newChatHandoffAction() action.Action { return &chatHandoffAction{} }

// chatHandoffAction moves a user's chat to an agent team through send_chat_to_agent. An action
// (Terraform 1.14 and later) fits: it does something once when invoked and leaves nothing in state.
type chatHandoffAction struct {
	data *providerData
}

type chatHandoffModel struct {
	TeamName   types.String `tfsdk:"team_name"`
	UserName   types.String `tfsdk:"user_name"`
	BusinessID types.Number `tfsdk:"business_id"`
	Countdown  types.Number `tfsdk:"countdown"`
}

func (a *chatHandoffAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chat_handoff"
}

func (a *chatHandoffAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Moves a user's chat with a Haptik bot to the queue of an agent team, through Haptik's " +
			"`send_chat_to_agent` API (v1.0). Invoke it from an `action` block (Terraform 1.14 or later), for " +
			"example with `terraform apply -invoke=action.haptik_chat_handoff.<name>`. It keeps nothing in state.",
		Attributes: map[string]schema.Attribute{
			"team_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The agent team to move the chat to, by its name in Haptik. The team must be active.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"user_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The user whose chat moves. The user must have sent the bot a message.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"business_id": schema.NumberAttribute{
				Required: true,
				MarkdownDescription: "The numeric id of the business (bot) the user is talking to: a whole number, 1 " +
					"or more. It must be active.",
				Validators: []validator.Number{handoffBusinessID},
			},
			"countdown": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Seconds Haptik waits before moving the chat, a whole number from %d "+
					"to %d. Without it, Haptik waits %d.", haptik.MinCountdown, haptik.MaxCountdown, haptik.DefaultCountdown),
				Validators: []validator.Number{handoffCountdown},
			},
		},
	}
}

func (a *chatHandoffAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = chatData(req.ProviderData, &resp.Diagnostics)
}

func (a *chatHandoffAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m chatHandoffModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !chatReady(a.data, &resp.Diagnostics, "move the chat") {
		return
	}
	h := haptik.Handoff{TeamName: m.TeamName.ValueString(), UserName: m.UserName.ValueString(),
		BusinessID: handoffBusinessID.get(ctx, path.Root("business_id"), m.BusinessID, &resp.Diagnostics),
		Countdown:  int(handoffCountdown.get(ctx, path.Root("countdown"), m.Countdown, &resp.Diagnostics))}
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = a.data.logContext(ctx)
	what := fmt.Sprintf("move the chat of user %q to team %q", h.UserName, h.TeamName)
	if ctx.Err() != nil {
		resp.Diagnostics.AddError("Handoff Interrupted", fmt.Sprintf("Terraform was interrupted before the request to %s "+
			"was sent, so Haptik was not asked and the chat did not move. Invoke the action again to move it.", what))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Moving the chat of user %q (business %d) to team %q",
		h.UserName, h.BusinessID, h.TeamName)})
	if err := a.data.client.SendChatToAgent(ctx, h); err != nil {
		if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			// The request may have reached Haptik, which acts on it even if the answer is never read.
			resp.Diagnostics.AddError("Handoff Interrupted: The Chat May Have Moved", fmt.Sprintf("Terraform was "+
				"interrupted while the request to %s was with Haptik, before Haptik answered, so the chat may or may "+
				"not have moved. Check the chat in Haptik before invoking the action again.", what))
			return
		}
		addChatError(ctx, &resp.Diagnostics, err, what)
		if haptik.MayHaveActed(err) {
			resp.Diagnostics.AddWarning("The Chat May Have Moved", "Haptik may have acted on the request before it failed, "+
				"so the provider did not send it again. Check the chat in Haptik before invoking the action again.")
		}
		return
	}
	wait := h.Countdown
	if wait == 0 {
		wait = haptik.DefaultCountdown
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Haptik accepted: the chat moves to team %q in %d seconds",
		h.TeamName, wait)})
}
