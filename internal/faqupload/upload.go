// Package faqupload does the I/O of one haptik_faq_domain upload: the per-domain gate, resuming
// a remembered task or uploading, waiting for Haptik's task, classifying what the upload left in
// Haptik (faqdomain.Outcome), and the error wording for Terraform. It knows no protocol or
// framework types, and changes no state: Upload returns what the resource's private state must
// remember, and faqdomain.StateAfter decides the state.
package faqupload

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// Client is what an upload needs of Haptik's API (a *haptik.Client).
type Client interface {
	BaseURL() string
	UploadFAQ(ctx context.Context, domain string, csv []byte) (string, error)
	TaskStatus(ctx context.Context, taskID string) (haptik.Status, error)
	WaitForTask(ctx context.Context, taskID string, p haptik.PollPolicy) (haptik.Status, error)
}

// Uploader uploads through one provider configuration's client.
type Uploader struct {
	Client Client
	Poll   haptik.PollPolicy
	Gate   *Gate
	// Registry is this operation's: a destroy sends nothing to a domain written in it, and a
	// successful create or update marks its domain written.
	Registry *faqdomain.Registry
	// Log, when set, receives the upload's progress.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// Request is one upload: the content, where it goes, and how long it may take.
type Request struct {
	// Op is faqdomain.OpCreate, OpUpdate or OpDelete (the header-only CSV of a deactivation).
	Op      string
	Domain  string
	CSV     []byte
	SHA     string
	Timeout time.Duration
	// Pending is the unconfirmed upload the resource's private state remembers (nil for none,
	// and always for a create).
	Pending *faqdomain.Pending
	// Config is the resource's configuration (creates and updates), for the registry's check
	// that no other resource holds the domain (faqdomain.Registry.CheckApply).
	Config []byte
}

// Result is what an upload did.
type Result struct {
	Outcome faqdomain.Outcome
	// TaskID is the task that carried the upload, when Haptik gave one.
	TaskID string
	// Pending is what the private state must remember afterwards (nil: nothing). A create
	// keeps nothing.
	Pending *faqdomain.Pending
	// Diagnostics says why for every outcome but Confirmed (a NotNeeded destroy warns).
	Diagnostics faqdomain.Diagnostics
}

// upload is one Upload in progress.
type upload struct {
	*Uploader
	Request
	res Result
}

// Upload sends the CSV as the complete content of the domain, or resumes an earlier unconfirmed
// upload of the same content, and waits until Haptik's task succeeds.
func (u *Uploader) Upload(ctx context.Context, req Request) Result {
	ctx, cancel := context.WithTimeout(ctx, req.Timeout)
	defer cancel()
	if !faqdomain.KeepsPending(req.Op) {
		req.Pending = nil
	}
	up := &upload{Uploader: u, Request: req, res: Result{Pending: req.Pending}}
	up.run(ctx)
	if !faqdomain.KeepsPending(req.Op) {
		up.res.Pending = nil
	}
	return up.res
}

func (up *upload) run(ctx context.Context) {
	if up.Op == faqdomain.OpDelete {
		// Run before the domain's lock is released (defers run last in, first out).
		defer func() {
			if o := up.res.Outcome; o == faqdomain.Untouched || o == faqdomain.Unconfirmed {
				up.Registry.MarkKept(up.Domain) // the resource stays in state
			}
		}()
	}
	release, err := up.Gate.acquire(ctx, up.Domain)
	if err != nil {
		up.res.Outcome = faqdomain.Untouched
		end := up.ending()
		if up.Op != faqdomain.OpCreate && up.Registry.Sending(up.Domain) {
			// Nothing was sent, but the resource whose turn it was may have replaced the content
			// this resource's state records.
			up.res.Outcome = faqdomain.Unconfirmed
			end = fmt.Sprintf("While it waited, another haptik_faq_domain of this apply began to upload domain %q, so "+
				"Haptik may no longer hold what this resource's state records: the state is now marked unconfirmed "+
				"(confirmed = false), and every plan uploads the configured content again, with a warning, until an "+
				"upload succeeds.", up.Domain)
		}
		up.res.Diagnostics.AddError(nil, Summary(err, "Upload Not Started"), fmt.Sprintf("The upload for domain %q was "+
			"still waiting for its turn (uploads to one domain never overlap, and at most max_concurrent_uploads run "+
			"at once). %s\n\n%s", up.Domain, Explain(err, up.Timeout), end))
		return
	}
	defer release()
	if up.Op != faqdomain.OpDelete {
		// Under the domain's lock, so that a destroy of the domain running now has ended.
		if d, overwritten := up.Registry.CheckApply(up.Domain, up.Config); d != nil {
			// Nothing is sent; if another resource wrote the domain, this one's state is stale.
			up.res.Outcome = faqdomain.Untouched
			if overwritten && up.Op != faqdomain.OpCreate { // a create has no state to contradict
				up.res.Outcome = faqdomain.Unconfirmed
			}
			up.res.Diagnostics = append(up.res.Diagnostics, *d)
			return
		}
	}
	if up.Op == faqdomain.OpDelete && up.Registry.Written(up.Domain) {
		// Another haptik_faq_domain of this apply gave the domain new content (a replacement with
		// create_before_destroy, or a renamed resource): deactivating now would wipe it. Decided
		// under the domain's lock, so an upload still running finishes (and marks) first.
		up.res.Outcome = faqdomain.NotNeeded
		up.res.Diagnostics.AddWarning(nil, "Domain Not Deactivated", fmt.Sprintf("Domain %q received new content "+
			"from another haptik_faq_domain in this apply, so destroying this one leaves the domain's nodes as that "+
			"upload set them.", up.Domain))
		return
	}

	taskID := up.resumable(ctx)
	if taskID == "" {
		up.log(ctx, "Uploading FAQ CSV to Haptik", map[string]any{"domain": up.Domain, "csv_bytes": len(up.CSV)})
		if taskID, err = up.Client.UploadFAQ(ctx, up.Domain, up.CSV); err != nil {
			up.uploadFailed(err)
			return
		}
		up.log(ctx, "Haptik accepted the upload; waiting for its task", map[string]any{"domain": up.Domain, "task_id": taskID})
		// From now on the domain may hold this upload: remember it, replacing any earlier one.
		up.res.Pending = &faqdomain.Pending{Domain: up.Domain, ContentSHA256: up.SHA, TaskID: taskID,
			Status: faqdomain.StatusAccepted}
	}
	up.res.TaskID = taskID
	up.wait(ctx, taskID)
}

// wait waits for the task of an accepted upload and classifies how it ended.
func (up *upload) wait(ctx context.Context, taskID string) {
	st, err := up.Client.WaitForTask(ctx, taskID, up.Poll)
	if err == nil {
		up.res.Outcome, up.res.Pending = faqdomain.Confirmed, nil
		if up.Op != faqdomain.OpDelete {
			up.Registry.MarkWritten(up.Domain)
		}
		return
	}
	up.res.Outcome = faqdomain.Unconfirmed
	next := up.ending()
	var failed *haptik.TaskFailedError
	if errors.As(err, &failed) {
		up.remember(taskID, faqdomain.StatusTaskFailed(failed.Status))
		up.res.Diagnostics.AddError(nil, "Haptik Upload Task Failed", fmt.Sprintf(
			"Haptik accepted the FAQ CSV for domain %q, but its task %s ended with this status:\n\n    %s\n\n"+
				"Haptik stops at the node that failed, so the domain may now hold part of the upload. "+
				"Fix the content Haptik names and apply again. %s", up.Domain, taskID, failed.Status, next))
		return
	}
	// Accepted but not confirmed: the task may still finish.
	last := ""
	if st.Text != "" {
		last = fmt.Sprintf(" Its last status was %q.", st.Text)
	}
	up.remember(taskID, faqdomain.StatusNotConfirmed(Summary(err, "an error"), st.Text))
	if faqdomain.KeepsPending(up.Op) {
		next += " While Haptik still reports the task in progress, the next apply of the same content waits for it " +
			"instead of uploading again."
	}
	up.res.Diagnostics.AddError(nil, Summary(err, "Could Not Confirm the Haptik Upload"), fmt.Sprintf(
		"Haptik accepted the FAQ CSV for domain %q as task %s, but the task was not confirmed.%s %s\n\n%s",
		up.Domain, taskID, last, Explain(err, up.Timeout), next))
}

// ending is what the diagnostic of a failed upload ends with: what its outcome does to the
// resource's state (faqdomain.StateAfter) and what happens next.
func (up *upload) ending() string {
	switch faqdomain.StateAfter(up.Op, up.res.Outcome) {
	case faqdomain.MarkUnconfirmed:
		return MarkedUnconfirmed
	case faqdomain.WriteUnconfirmed:
		return SavedTainted
	default: // the state is left as it was
		if up.Op == faqdomain.OpDelete {
			return NotSavedDestroy
		}
		return NotSaved
	}
}

// uploadFailed classifies an upload request that failed, and says what it may have left in
// Haptik: a refusal (a 4xx answer, a redirect not followed) or a connection never opened (refused,
// a host that does not resolve, a TLS handshake that failed) changed nothing; anything else (no
// answer after the request could be written, 5xx answers until the retries ran out, an answer of
// the wrong shape or with an unusable task id, an interrupt) may have come after Haptik took the
// upload.
func (up *upload) uploadFailed(err error) {
	var (
		apiErr   *haptik.APIError
		netErr   *haptik.TransportError
		redirect *haptik.RedirectError
		tooSoon  *haptik.RetryAfterError
	)
	refused := errors.As(err, &redirect) || errors.As(err, &tooSoon) || (errors.As(err, &netErr) && netErr.NotSent) ||
		(errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500)
	if up.Op == faqdomain.OpDelete && apiErr != nil && apiErr.StatusCode == 400 && unknownDomain(apiErr.Message) {
		up.res.Outcome = faqdomain.NotNeeded
		up.res.Diagnostics.AddWarning(nil, "Domain Unknown to Haptik", fmt.Sprintf("Haptik answered %q to the "+
			"deactivation of domain %q: it does not know the domain (an import with a mistyped name, or a domain "+
			"deleted in Haptik), so there is nothing to deactivate. The resource is removed from Terraform state.",
			apiErr.Message, up.Domain))
		return
	}
	up.res.Outcome = faqdomain.Untouched
	if !refused {
		up.res.Outcome = faqdomain.Unconfirmed
		up.remember("", faqdomain.StatusAnswerLost(Summary(err, "an error")))
	}
	up.res.Diagnostics.AddError(nil, Summary(err, "Haptik Rejected the Upload"), fmt.Sprintf(
		"Uploading the FAQ CSV for domain %q to %s failed. %s\n\n%s", up.Domain, up.Client.BaseURL(),
		Explain(err, up.Timeout), up.ending()))
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
func (up *upload) resumable(ctx context.Context) string {
	p := up.res.Pending
	if ok, why := p.Resumable(up.Domain, up.SHA); !ok {
		if p != nil {
			up.log(ctx, "Uploading again: "+why, map[string]any{"task_id": p.TaskID})
		}
		return ""
	}
	st, err := up.Client.TaskStatus(ctx, p.TaskID)
	if err != nil || st.State != haptik.StateInProgress {
		up.log(ctx, "The earlier upload's task is not in progress; uploading again",
			map[string]any{"task_id": p.TaskID, "status": st.Text, "error": fmt.Sprint(err)})
		return ""
	}
	up.log(ctx, "Resuming the wait for an earlier upload of the same content", map[string]any{"task_id": p.TaskID})
	resumed := *p
	resumed.Resumed++
	up.res.Pending = &resumed
	return p.TaskID
}

// remember records the last word on the unconfirmed upload (taskID "" keeps the task), quoted
// as a whole (haptik.Quote): it may hold two server texts, and private state keeps it for every
// later plan.
func (up *upload) remember(taskID, status string) {
	p := up.res.Pending
	if p == nil || (taskID != "" && p.TaskID != taskID) {
		p = &faqdomain.Pending{Domain: up.Domain, ContentSHA256: up.SHA, TaskID: taskID}
	}
	updated := *p
	updated.Status = haptik.Quote(status)
	up.res.Pending = &updated
}

func (up *upload) log(ctx context.Context, msg string, fields map[string]any) {
	if up.Log != nil {
		up.Log(ctx, msg, fields)
	}
}
