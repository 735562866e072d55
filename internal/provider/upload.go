package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// notSaved ends every failure's detail: what the failure means for state and what to do next.
const notSaved = "Terraform state was not changed, so the next plan shows this change again; " +
	"applying again uploads the whole CSV, which is safe because each upload replaces the domain's content."

// upload sends csv as the complete content of domain and waits until Haptik's task succeeds. It
// returns the task id, or adds an error diagnostic and returns false.
func (r *faqDomainResource) upload(ctx context.Context, domain string, csv []byte, timeout time.Duration,
	diags *diag.Diagnostics,
) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := r.data.client

	tflog.Info(ctx, "Uploading FAQ CSV to Haptik", map[string]any{"domain": domain, "csv_bytes": len(csv)})
	taskID, err := client.UploadFAQ(ctx, domain, csv)
	if err != nil {
		diags.AddError(uploadErrorSummary(err), fmt.Sprintf("Uploading the FAQ CSV for domain %q to %s failed. %s\n\n%s",
			domain, client.BaseURL(), explain(err, timeout), notSaved))
		return "", false
	}

	tflog.Info(ctx, "Haptik accepted the upload; waiting for its task", map[string]any{"domain": domain, "task_id": taskID})
	st, err := client.WaitForTask(ctx, taskID, r.data.poll)
	if err == nil {
		return taskID, true
	}
	var failed *haptik.TaskFailedError
	switch {
	case errors.As(err, &failed):
		diags.AddError("Haptik Upload Task Failed", fmt.Sprintf(
			"Haptik accepted the FAQ CSV for domain %q, but its task %s ended with this status:\n\n    %s\n\n"+
				"Haptik stops at the node that failed, so the domain may now hold part of the upload. "+
				"Fix the content Haptik names and apply again. %s", domain, taskID, failed.Status, notSaved))
	default:
		last := ""
		if st.Text != "" {
			last = fmt.Sprintf(" Its last status was %q.", st.Text)
		}
		diags.AddError(waitErrorSummary(err), fmt.Sprintf(
			"Haptik accepted the FAQ CSV for domain %q as task %s, but the task was not confirmed.%s %s\n\n%s",
			domain, taskID, last, explain(err, timeout), notSaved))
	}
	return "", false
}

func uploadErrorSummary(err error) string {
	var apiErr *haptik.APIError
	if errors.As(err, &apiErr) && apiErr.IsAuth() {
		return "Haptik Refused the Credentials"
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return waitErrorSummary(err)
	}
	return "Haptik Rejected the Upload"
}

func waitErrorSummary(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Timed Out Waiting for Haptik"
	case errors.Is(err, context.Canceled):
		return "Interrupted While Waiting for Haptik"
	default:
		return "Could Not Confirm the Haptik Upload"
	}
}

// explain turns a client error into sentences for a diagnostic: what happened, Haptik's own words
// verbatim, and what to do.
func explain(err error, timeout time.Duration) string {
	var (
		apiErr   *haptik.APIError
		netErr   *haptik.TransportError
		shapeErr *haptik.ResponseError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("The operation did not finish within its timeout of %s. Raise it with the resource's "+
			"timeouts attribute if Haptik needs longer for this domain.", timeout)
	case errors.Is(err, context.Canceled):
		return "Terraform was interrupted before Haptik confirmed the upload."
	case errors.As(err, &apiErr) && apiErr.IsAuth():
		return fmt.Sprintf("Haptik answered HTTP %d: %q. Check the provider's client_id (or %s) and token (or %s).",
			apiErr.StatusCode, apiErr.Message, EnvClientID, EnvToken)
	case errors.As(err, &apiErr):
		s := fmt.Sprintf("Haptik answered HTTP %d: %q.", apiErr.StatusCode, apiErr.Message)
		if apiErr.Attempts > 1 {
			s += fmt.Sprintf(" The request was tried %d times.", apiErr.Attempts)
		}
		return s
	case errors.As(err, &netErr):
		return fmt.Sprintf("No response came back after %d attempt(s): %v. Check that base_url (or %s) is "+
			"reachable from where Terraform runs.", netErr.Attempts, netErr.Err, EnvBaseURL)
	case errors.As(err, &shapeErr):
		return fmt.Sprintf("Haptik's answer (HTTP %d) was not what its API documents: %s.", shapeErr.StatusCode, shapeErr.Problem)
	default:
		return err.Error() + "."
	}
}
