package provider

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// notSaved ends the detail of a failure that left Haptik as it was (or of any failed create):
// what it means for state and what to do next.
const notSaved = "Terraform state was not changed, so the next plan shows this change again; " +
	"applying again uploads the whole CSV, which is safe because each upload replaces the domain's content."

// markedUnconfirmed ends the detail of a failed update or destroy after Haptik accepted, or may
// have accepted, the upload.
const markedUnconfirmed = "Haptik may hold part or all of this upload, so the resource's state is now marked " +
	"unconfirmed (confirmed = false): every plan uploads the configured content again, with a warning naming " +
	"this task, until an upload succeeds."

// pendingKey is the private-state key of the last upload Haptik accepted that the provider did
// not see succeed.
const pendingKey = "pending_upload"

// pendingUpload is that upload. It is recorded the moment Haptik accepts an upload, replacing any
// earlier one, and forgotten when the task succeeds. The next apply of the same content waits for
// its task while Haptik still reports it in progress (once: a task that never progresses is given
// up for a fresh upload), and the plan's unconfirmed warning quotes Status.
type pendingUpload struct {
	Domain        string `json:"domain"`
	ContentSHA256 string `json:"content_sha256"`
	TaskID        string `json:"task_id"`
	// Status is the last word on the task, as a phrase for the plan's warning.
	Status string `json:"status,omitempty"`
	// Resumed counts the applies that waited for this task again.
	Resumed int `json:"resumed,omitempty"`
}

// pending reads the remembered unconfirmed upload; nil when there is none.
func (p *privateData) pending() *pendingUpload {
	var u pendingUpload
	if raw := p.get(pendingKey); len(raw) == 0 || json.Unmarshal(raw, &u) != nil {
		return nil
	}
	return &u
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

// uploadKind is what an upload is for.
type uploadKind int

const (
	kindCreate uploadKind = iota
	kindUpdate
	// kindDestroy deactivates every node, unless another resource gave the domain new content in
	// this apply (checked under the domain's lock).
	kindDestroy
)

// uploadRequest is one upload: the content, where it goes, and how long it may take.
type uploadRequest struct {
	kind    uploadKind
	domain  string
	csv     []byte
	sha     string
	timeout time.Duration
	// private remembers an unconfirmed upload across applies (updates and destroys: a failed
	// create has no state to keep it in).
	private *privateData
}

// outcome is what an upload left in Haptik.
type outcome int

const (
	// confirmed: Haptik's task succeeded.
	confirmed outcome = iota
	// untouched: nothing reached Haptik, or Haptik refused it: the domain is as it was.
	untouched
	// unconfirmed: Haptik accepted the upload, or may have, and it was not seen to succeed.
	unconfirmed
	// notNeeded (destroys): another resource of this apply wrote the domain, or Haptik does not
	// know it; nothing was sent.
	notNeeded
)

// upload sends the CSV as the complete content of the domain, or resumes an earlier unconfirmed
// upload of the same content, and waits until Haptik's task succeeds. It returns the task id and
// what the upload left in Haptik; every outcome but confirmed adds a diagnostic.
func (d *providerData) upload(ctx context.Context, req uploadRequest, diags *faqdomain.Diagnostics) (string, outcome) {
	ctx, cancel := context.WithTimeout(ctx, req.timeout)
	defer cancel()
	client := d.client

	release, err := d.gate.acquire(ctx, req.domain)
	if err != nil {
		diags.AddError(nil, errorSummary(err, "Upload Not Started"), fmt.Sprintf("The upload for domain %q was still waiting for its "+
			"turn (uploads to one domain never overlap, and at most max_concurrent_uploads run at once). %s\n\n%s",
			req.domain, explain(err, req.timeout), notSaved))
		return "", untouched
	}
	defer release()
	if req.kind == kindDestroy && d.gate.wasWritten(req.domain) {
		// Another haptik_faq_domain of this apply gave the domain new content (a replacement with
		// create_before_destroy, or a renamed resource): deactivating now would wipe it. Decided
		// under the domain's lock, so an upload still running finishes (and marks) first.
		diags.AddWarning(nil, "Domain Not Deactivated", fmt.Sprintf("Domain %q received new content from another "+
			"haptik_faq_domain in this apply, so destroying this one leaves the domain's nodes as that upload set them.",
			req.domain))
		return "", notNeeded
	}

	taskID := d.resumable(ctx, req)
	if taskID == "" {
		tflog.Info(ctx, "Uploading FAQ CSV to Haptik", map[string]any{"domain": req.domain, "csv_bytes": len(req.csv)})
		if taskID, err = client.UploadFAQ(ctx, req.domain, req.csv); err != nil {
			return "", d.uploadFailed(req, err, diags)
		}
		tflog.Info(ctx, "Haptik accepted the upload; waiting for its task", map[string]any{"domain": req.domain, "task_id": taskID})
		// From now on the domain may hold this upload: remember it, replacing any earlier one.
		req.setPending(&pendingUpload{Domain: req.domain, ContentSHA256: req.sha, TaskID: taskID,
			Status: "Haptik accepted it, and the apply ended before its task finished"})
	}

	st, err := client.WaitForTask(ctx, taskID, d.poll)
	if err == nil {
		req.setPending(nil)
		if req.kind != kindDestroy {
			d.gate.markWritten(req.domain)
		}
		return taskID, confirmed
	}
	next := markedUnconfirmed
	if req.kind == kindCreate {
		next = notSaved
	}
	var failed *haptik.TaskFailedError
	if errors.As(err, &failed) {
		req.updatePending(taskID, fmt.Sprintf("its task ended with the status %q", failed.Status))
		diags.AddError(nil, "Haptik Upload Task Failed", fmt.Sprintf(
			"Haptik accepted the FAQ CSV for domain %q, but its task %s ended with this status:\n\n    %s\n\n"+
				"Haptik stops at the node that failed, so the domain may now hold part of the upload. "+
				"Fix the content Haptik names and apply again. %s", req.domain, taskID, failed.Status, next))
		return taskID, unconfirmed
	}

	// Accepted but not confirmed: the task may still finish.
	last := ""
	said := fmt.Sprintf("the apply ended (%s) before its task finished", errorSummary(err, "an error"))
	if st.Text != "" {
		last = fmt.Sprintf(" Its last status was %q.", st.Text)
		said += fmt.Sprintf("; its last status was %q", st.Text)
	}
	req.updatePending(taskID, said)
	if req.private != nil {
		next += " While Haptik still reports the task in progress, the next apply of the same content waits for it " +
			"instead of uploading again."
	}
	diags.AddError(nil, errorSummary(err, "Could Not Confirm the Haptik Upload"), fmt.Sprintf(
		"Haptik accepted the FAQ CSV for domain %q as task %s, but the task was not confirmed.%s %s\n\n%s",
		req.domain, taskID, last, explain(err, req.timeout), next))
	return taskID, unconfirmed
}

// uploadFailed reports an upload request that failed, and says what it may have left in Haptik:
// a refusal (a 4xx answer, a redirect not followed) changed nothing; anything else (no answer,
// 5xx answers until the retries ran out, an answer of the wrong shape, an interrupt) may have
// come after Haptik took the upload.
func (d *providerData) uploadFailed(req uploadRequest, err error, diags *faqdomain.Diagnostics) outcome {
	var (
		apiErr   *haptik.APIError
		redirect *haptik.RedirectError
		tooSoon  *haptik.RetryAfterError
	)
	refused := errors.As(err, &redirect) || errors.As(err, &tooSoon) ||
		(errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500)
	if req.kind == kindDestroy && apiErr != nil && apiErr.StatusCode == 400 && unknownDomain(apiErr.Message) {
		diags.AddWarning(nil, "Domain Unknown to Haptik", fmt.Sprintf("Haptik answered %q to the deactivation of "+
			"domain %q: it does not know the domain (an import with a mistyped name, or a domain deleted in Haptik), "+
			"so there is nothing to deactivate. The resource is removed from Terraform state.", apiErr.Message, req.domain))
		return notNeeded
	}
	next, result := notSaved, untouched
	if !refused {
		result = unconfirmed
		req.updatePending("", fmt.Sprintf("the upload's answer was lost (%s)", errorSummary(err, "an error")))
		if req.kind != kindCreate {
			next = markedUnconfirmed
		}
	}
	diags.AddError(nil, errorSummary(err, "Haptik Rejected the Upload"), fmt.Sprintf("Uploading the FAQ CSV for domain %q to %s failed. %s\n\n%s",
		req.domain, d.client.BaseURL(), explain(err, req.timeout), next))
	return result
}

// unknownDomain reports whether Haptik's message says the domain does not exist ("invalid doman",
// sic, is the documented text).
func unknownDomain(message string) bool {
	m := strings.ToLower(message)
	return strings.Contains(m, "invalid doman") || strings.Contains(m, "invalid domain")
}

// resumable returns the task of an earlier unconfirmed upload of the same content to the same
// domain when Haptik still reports it in progress and no apply has waited for it yet; "" means
// upload. A task that already finished is not taken as this apply's confirmation: upload again.
func (d *providerData) resumable(ctx context.Context, req uploadRequest) string {
	if req.private == nil {
		return ""
	}
	p := req.private.pending()
	if p == nil {
		return ""
	}
	if p.Domain != req.domain || p.ContentSHA256 != req.sha {
		tflog.Info(ctx, "The content changed since the unconfirmed upload; uploading again", map[string]any{"task_id": p.TaskID})
		return ""
	}
	if p.TaskID == "" || p.Resumed > 0 {
		tflog.Info(ctx, "An apply already waited for the unconfirmed upload's task; uploading again", map[string]any{"task_id": p.TaskID})
		return ""
	}
	st, err := d.client.TaskStatus(ctx, p.TaskID)
	if err != nil || st.State != haptik.StateInProgress {
		tflog.Info(ctx, "The earlier upload's task is not in progress; uploading again",
			map[string]any{"task_id": p.TaskID, "status": st.Text, "error": fmt.Sprint(err)})
		return ""
	}
	tflog.Info(ctx, "Resuming the wait for an earlier upload of the same content", map[string]any{"task_id": p.TaskID})
	p.Resumed++
	req.setPending(p)
	return p.TaskID
}

// setPending remembers p as the unconfirmed upload (nil forgets it).
func (req uploadRequest) setPending(p *pendingUpload) {
	if req.private == nil {
		return
	}
	var raw []byte
	if p != nil {
		raw, _ = json.Marshal(p) // plain strings and numbers: cannot fail
	}
	req.private.set(pendingKey, raw)
}

// updatePending records the last word on the unconfirmed upload (taskID "" keeps the task).
func (req uploadRequest) updatePending(taskID, status string) {
	if req.private == nil {
		return
	}
	p := req.private.pending()
	if p == nil || (taskID != "" && p.TaskID != taskID) {
		p = &pendingUpload{Domain: req.domain, ContentSHA256: req.sha, TaskID: taskID}
	}
	p.Status = status
	req.setPending(p)
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
	case errors.As(err, &netErr) && errors.As(err, new(x509.UnknownAuthorityError)):
		return fmt.Sprintf("The TLS connection to Haptik failed: %v. Or set ca_file in the provider block to "+
			"that PEM file.", netErr.Err)
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
