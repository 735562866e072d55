package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// notSaved ends every failure's detail: what the failure means for state and what to do next.
const notSaved = "Terraform state was not changed, so the next plan shows this change again; " +
	"applying again uploads the whole CSV, which is safe because each upload replaces the domain's content."

// pendingKey is the private-state key of an upload that Haptik accepted but did not confirm.
const pendingKey = "pending_upload"

// pendingUpload is an accepted upload whose task was still running when the apply ended (timeout,
// interrupt, or a status endpoint that kept failing). The next apply of the same content waits for
// this task instead of uploading again.
type pendingUpload struct {
	Domain        string `json:"domain"`
	ContentSHA256 string `json:"content_sha256"`
	TaskID        string `json:"task_id"`
}

// privateData is the resource's private state: a JSON object of keys to JSON values, which
// Terraform keeps beside the state and hands back on the next plan and apply.
type privateData struct{ keys map[string]json.RawMessage }

func newPrivateData(raw []byte) *privateData {
	p := &privateData{keys: map[string]json.RawMessage{}}
	_ = json.Unmarshal(raw, &p.keys) // unreadable private state is treated as empty
	return p
}

func (p *privateData) get(key string) []byte { return p.keys[key] }

func (p *privateData) set(key string, value []byte) {
	if len(value) == 0 {
		delete(p.keys, key)
	} else {
		p.keys[key] = value
	}
}

func (p *privateData) bytes() []byte {
	if len(p.keys) == 0 {
		return nil
	}
	b, _ := json.Marshal(p.keys) // raw JSON values: cannot fail
	return b
}

// uploadRequest is one upload: the content, where it goes, and how long it may take.
type uploadRequest struct {
	domain  string
	csv     []byte
	sha     string
	timeout time.Duration
	// private, when set, remembers an unconfirmed upload across applies (updates only: a failed
	// create has no state to keep it in).
	private *privateData
}

// upload sends the CSV as the complete content of the domain, or resumes an earlier unconfirmed
// upload of the same content, and waits until Haptik's task succeeds. It returns the task id, or
// adds an error diagnostic and returns false.
func (d *providerData) upload(ctx context.Context, req uploadRequest, diags *faqdomain.Diagnostics) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, req.timeout)
	defer cancel()
	client := d.client

	release, err := d.gate.acquire(ctx, req.domain)
	if err != nil {
		diags.AddError(nil, errorSummary(err, "Upload Not Started"), fmt.Sprintf("The upload for domain %q was still waiting for its "+
			"turn (uploads to one domain never overlap, and at most max_concurrent_uploads run at once). %s\n\n%s",
			req.domain, explain(err, req.timeout), notSaved))
		return "", false
	}
	defer release()

	taskID := d.resumable(ctx, req)
	if taskID == "" {
		tflog.Info(ctx, "Uploading FAQ CSV to Haptik", map[string]any{"domain": req.domain, "csv_bytes": len(req.csv)})
		if taskID, err = client.UploadFAQ(ctx, req.domain, req.csv); err != nil {
			diags.AddError(nil, errorSummary(err, "Haptik Rejected the Upload"), fmt.Sprintf("Uploading the FAQ CSV for domain %q to %s failed. %s\n\n%s",
				req.domain, client.BaseURL(), explain(err, req.timeout), notSaved))
			return "", false
		}
		tflog.Info(ctx, "Haptik accepted the upload; waiting for its task", map[string]any{"domain": req.domain, "task_id": taskID})
	}

	st, err := client.WaitForTask(ctx, taskID, d.poll)
	if err == nil {
		req.setPending(nil)
		return taskID, true
	}
	var failed *haptik.TaskFailedError
	if errors.As(err, &failed) {
		req.setPending(nil)
		diags.AddError(nil, "Haptik Upload Task Failed", fmt.Sprintf(
			"Haptik accepted the FAQ CSV for domain %q, but its task %s ended with this status:\n\n    %s\n\n"+
				"Haptik stops at the node that failed, so the domain may now hold part of the upload. "+
				"Fix the content Haptik names and apply again. %s", req.domain, taskID, failed.Status, notSaved))
		return "", false
	}

	// Accepted but not confirmed: the task may still finish.
	last, next := "", notSaved
	if st.Text != "" {
		last = fmt.Sprintf(" Its last status was %q.", st.Text)
	}
	if req.private != nil && (haptik.IsTransient(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		req.setPending(&pendingUpload{Domain: req.domain, ContentSHA256: req.sha, TaskID: taskID})
		next = "Terraform state was not changed. The provider remembers the task: the next apply of the same " +
			"content waits for it instead of uploading again (and uploads again if the content changed or the task failed)."
	}
	diags.AddError(nil, errorSummary(err, "Could Not Confirm the Haptik Upload"), fmt.Sprintf(
		"Haptik accepted the FAQ CSV for domain %q as task %s, but the task was not confirmed.%s %s\n\n%s",
		req.domain, taskID, last, explain(err, req.timeout), next))
	return "", false
}

// resumable returns the task of an earlier unconfirmed upload of the same content to the same
// domain when that task is still running or has succeeded; "" means upload.
func (d *providerData) resumable(ctx context.Context, req uploadRequest) string {
	if req.private == nil {
		return ""
	}
	raw := req.private.get(pendingKey)
	var p pendingUpload
	if len(raw) == 0 || json.Unmarshal(raw, &p) != nil {
		return ""
	}
	if p.Domain != req.domain || p.ContentSHA256 != req.sha {
		tflog.Info(ctx, "The content changed since the unconfirmed upload; uploading again", map[string]any{"task_id": p.TaskID})
		return ""
	}
	st, err := d.client.TaskStatus(ctx, p.TaskID)
	if err != nil || st.State == haptik.StateFailed {
		tflog.Info(ctx, "The earlier upload's task cannot be resumed; uploading again",
			map[string]any{"task_id": p.TaskID, "status": st.Text, "error": fmt.Sprint(err)})
		return ""
	}
	tflog.Info(ctx, "Resuming the wait for an earlier upload of the same content", map[string]any{"task_id": p.TaskID})
	return p.TaskID
}

// setPending remembers p as the unconfirmed upload (nil forgets it), for updates.
func (req uploadRequest) setPending(p *pendingUpload) {
	if req.private == nil {
		return
	}
	var raw []byte
	if p != nil {
		raw, _ = json.Marshal(p) // plain strings: cannot fail
	}
	req.private.set(pendingKey, raw)
}

// errorSummary is the diagnostic summary for a client error; fallback names the phase's failure.
func errorSummary(err error, fallback string) string {
	var (
		apiErr   *haptik.APIError
		redirect *haptik.RedirectError
		shapeErr *haptik.ResponseError
	)
	switch {
	case errors.As(err, &apiErr) && apiErr.IsAuth():
		return "Haptik Refused the Credentials"
	case errors.As(err, &redirect) && redirect.OtherHost:
		return "Haptik Redirected to Another Host"
	case errors.As(err, &redirect):
		return "Haptik Redirected the Request"
	case errors.Is(err, context.DeadlineExceeded):
		return "Timed Out Waiting for Haptik"
	case errors.Is(err, context.Canceled):
		return "Interrupted While Waiting for Haptik"
	case haptik.IsTransient(err):
		return "Haptik Unavailable"
	case errors.As(err, &shapeErr):
		return "Unexpected Answer from Haptik"
	default:
		return fallback
	}
}

// explain turns a client error into sentences for a diagnostic: what happened, Haptik's own words
// verbatim, and what to do.
func explain(err error, timeout time.Duration) string {
	var (
		apiErr     *haptik.APIError
		netErr     *haptik.TransportError
		shapeErr   *haptik.ResponseError
		waitErr    *haptik.WaitError
		redirect   *haptik.RedirectError
		retryAfter *haptik.RetryAfterError
	)
	lastPoll := ""
	if errors.As(err, &waitErr) && waitErr.LastErr != nil {
		lastPoll = fmt.Sprintf(" The last %d status request(s) failed; the last one: %v.", waitErr.FailedPolls, waitErr.LastErr)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("The operation did not finish within its timeout of %s.%s Raise it with the resource's "+
			"timeouts attribute if Haptik needs longer for this domain.", timeout, lastPoll)
	case errors.Is(err, context.Canceled):
		return "Terraform was interrupted before Haptik confirmed the upload." + lastPoll
	case errors.As(err, &apiErr) && apiErr.IsAuth():
		return fmt.Sprintf("Haptik answered HTTP %d: %q. Haptik refuses the credentials, so nothing was retried. "+
			"Check the provider's client_id (or %s) and token (or %s).", apiErr.StatusCode, apiErr.Message,
			EnvClientID, EnvToken)
	case errors.As(err, &apiErr):
		s := fmt.Sprintf("Haptik answered HTTP %d: %q.", apiErr.StatusCode, apiErr.Message)
		if apiErr.Attempts > 1 {
			s += fmt.Sprintf(" The request was sent %d times, with backoff between attempts (honoring Retry-After); "+
				"that was the last answer.", apiErr.Attempts)
		}
		if haptik.IsTransient(err) {
			s += " Haptik may be overloaded or down for maintenance; apply again later."
		}
		return s
	case errors.As(err, &netErr):
		return fmt.Sprintf("No response came back after %d attempt(s): %v. Check that base_url (or %s) is "+
			"reachable from where Terraform runs.", netErr.Attempts, netErr.Err, EnvBaseURL)
	case errors.As(err, &shapeErr):
		return fmt.Sprintf("Haptik's answer (HTTP %d) was not what its API documents: %s. A proxy between "+
			"Terraform and Haptik may have answered instead; check base_url (or %s).", shapeErr.StatusCode,
			shapeErr.Problem, EnvBaseURL)
	case errors.As(err, &redirect):
		return redirect.Error() + ". Set base_url (or " + EnvBaseURL + ") to the URL Haptik redirects to, if you trust it."
	case errors.As(err, &retryAfter):
		return retryAfter.Error() + "."
	default:
		return err.Error() + "."
	}
}
