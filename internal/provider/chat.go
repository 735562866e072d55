package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/faqops/terraform-provider-haptik/internal/faqupload"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// chatData is the provider data of the chat ephemeral resource and action: the configured
// provider, or nil while its settings are unknown.
func chatData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
	}
	return data
}

// chatReady reports whether data has a client for a chat call, else adds why not: a setting
// still unknown, or missing (which only calls that send something report).
func chatReady(data *providerData, diags *diag.Diagnostics, what string) bool {
	switch {
	case data == nil:
		diags.AddError("Provider Not Configured", fmt.Sprintf("The Haptik provider has no client yet, so it cannot %s: "+
			"its base_url, client_id or token is still unknown. Make sure they are known when this runs.", what))
		return false
	case data.client == nil:
		summary, detail := settingsError(data.missing, nil)
		diags.AddError(summary, fmt.Sprintf("%s\n\nThe provider cannot %s without them. Nothing was sent.", detail, what))
		return false
	}
	return true
}

// addChatError turns an error of the chat APIs into a diagnostic: on the attribute Haptik's
// message is about when there is one, with Haptik's words verbatim and what to do next.
func addChatError(ctx context.Context, diags *diag.Diagnostics, err error, what string) {
	var (
		apiErr   *haptik.APIError
		paramErr *haptik.ParamError
	)
	switch {
	case errors.As(err, &paramErr):
		diags.AddAttributeError(path.Root(paramErr.Param), "Invalid "+paramErr.Param,
			fmt.Sprintf("Nothing was sent to Haptik: %s %s.", paramErr.Param, paramErr.Problem))
	case errors.As(err, &apiErr) && !apiErr.IsAuth() && haptik.ChatErrorParam(apiErr.Message) != "":
		param := haptik.ChatErrorParam(apiErr.Message)
		diags.AddAttributeError(path.Root(param), "Haptik Refused the "+param,
			fmt.Sprintf("Haptik could not %s and answered HTTP %d: %q. %s", what, apiErr.StatusCode, apiErr.Message, chatAdvice(apiErr.Message, param)))
	case ctx.Err() != nil:
		diags.AddError("Interrupted While Waiting for Haptik", fmt.Sprintf("Terraform was interrupted before Haptik answered, "+
			"so it is not known whether Haptik could %s.", what))
	default:
		diags.AddError(faqupload.Summary(err, "Haptik Refused the Request"), fmt.Sprintf("Haptik could not %s. %s", what,
			explainChat(err)))
	}
}

// chatAdvice says what to do about one of the chat APIs' documented refusals.
func chatAdvice(message, param string) string {
	switch message {
	case "user has not sent a message":
		return "Haptik only knows a user once they have written to the bot; check user_name, or wait until the user has sent a message."
	case "invalid team_name provided":
		return "Use the name of an agent team exactly as it appears in Haptik's agent settings."
	}
	switch param {
	case "business_id":
		return "Use the numeric id of an active business (bot) of this Haptik account."
	case "team_name":
		return "Activate the team in Haptik, or choose an active one."
	default:
		return fmt.Sprintf("Check %s.", param)
	}
}

// explainChat is faqupload.Explain for the chat APIs, whose calls have no timeout attribute.
func explainChat(err error) string {
	var apiErr *haptik.APIError
	if errors.As(err, &apiErr) && !apiErr.IsAuth() && !haptik.IsTransient(err) {
		return fmt.Sprintf("Haptik answered HTTP %d: %q.", apiErr.StatusCode, apiErr.Message)
	}
	return faqupload.Explain(err, 0)
}
