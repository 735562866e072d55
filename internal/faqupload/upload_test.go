package faqupload

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// fakeClient answers as a script says and records what was sent.
type fakeClient struct {
	uploadErr error
	// taskID is what an accepted upload returns.
	taskID string
	// status answers TaskStatus (a resume's check).
	status    haptik.Status
	statusErr error
	// wait answers WaitForTask.
	waitStatus haptik.Status
	waitErr    error

	calls []string
}

func (f *fakeClient) BaseURL() string { return "https://haptik.test" }

func (f *fakeClient) UploadFAQ(_ context.Context, domain string, csv []byte) (string, error) {
	f.calls = append(f.calls, fmt.Sprintf("upload %s %q", domain, csv))
	if f.uploadErr != nil {
		return "", f.uploadErr
	}
	return f.taskID, nil
}

func (f *fakeClient) TaskStatus(_ context.Context, taskID string) (haptik.Status, error) {
	f.calls = append(f.calls, "status "+taskID)
	return f.status, f.statusErr
}

func (f *fakeClient) WaitForTask(_ context.Context, taskID string, _ haptik.PollPolicy) (haptik.Status, error) {
	f.calls = append(f.calls, "wait "+taskID)
	return f.waitStatus, f.waitErr
}

func TestUpload(t *testing.T) {
	const csv = "name,user_says,bot_says\n"
	csvQ := fmt.Sprintf("%q", csv)
	pendingSame := &faqdomain.Pending{Domain: "d", ContentSHA256: "sha", TaskID: "old", Status: faqdomain.StatusAccepted}
	inProgress := haptik.Status{Text: "In Progress", State: haptik.StateInProgress}
	finishedFailed := haptik.Status{Text: "Error at node b", State: haptik.StateFailed}
	timedOut := &haptik.WaitError{Err: context.DeadlineExceeded}
	type want struct {
		outcome faqdomain.Outcome
		taskID  string
		calls   []string
		// pending is the private record afterwards: nil, or its task id and status.
		pending       *faqdomain.Pending
		summary       string
		detail        []string
		written       bool
		warning       bool
		noDiagnostics bool
	}
	for _, tc := range []struct {
		name    string
		op      string
		client  fakeClient
		pending *faqdomain.Pending
		// writtenBefore marks the domain written in this operation before the upload.
		writtenBefore bool
		// held keeps the domain's lock, so that the upload waits for its turn until its timeout.
		held bool
		// setup records what else this operation did with the domain.
		setup func(*faqdomain.Registry)
		want  want
	}{
		{name: "update confirmed", op: faqdomain.OpUpdate, client: fakeClient{taskID: "t1", status: finishedFailed}, pending: pendingSame,
			want: want{outcome: faqdomain.Confirmed, taskID: "t1", written: true, noDiagnostics: true,
				calls: []string{"status old", "upload d " + csvQ, "wait t1"}}},
		{name: "create confirmed", op: faqdomain.OpCreate, client: fakeClient{taskID: "t1"},
			want: want{outcome: faqdomain.Confirmed, taskID: "t1", written: true, noDiagnostics: true,
				calls: []string{"upload d " + csvQ, "wait t1"}}},
		{name: "destroy confirmed does not mark the domain written", op: faqdomain.OpDelete, client: fakeClient{taskID: "t1"},
			want: want{outcome: faqdomain.Confirmed, taskID: "t1", noDiagnostics: true,
				calls: []string{"upload d " + csvQ, "wait t1"}}},

		// Refusals: nothing changed in Haptik, and the record is kept as it was.
		{name: "refused 400", op: faqdomain.OpUpdate, pending: pendingSame,
			client: fakeClient{status: finishedFailed, uploadErr: &haptik.APIError{Operation: "upload", StatusCode: 400, Message: "bad csv"}},
			want: want{outcome: faqdomain.Untouched, pending: pendingSame, summary: "Haptik Rejected the Upload",
				detail: []string{`Haptik answered HTTP 400: "bad csv".`, "https://haptik.test", NotSaved},
				calls:  []string{"status old", "upload d " + csvQ}}},
		{name: "refused credentials", op: faqdomain.OpUpdate,
			client: fakeClient{uploadErr: &haptik.APIError{Operation: "upload", StatusCode: 401, Message: "invalid token provided"}},
			want: want{outcome: faqdomain.Untouched, summary: "Haptik Refused the Credentials",
				detail: []string{"HAPTIK_CLIENT_ID", "HAPTIK_TOKEN", NotSaved}, calls: []string{"upload d " + csvQ}}},
		{name: "redirect not followed", op: faqdomain.OpUpdate,
			client: fakeClient{uploadErr: &haptik.RedirectError{From: "a", To: "b", StatusCode: 302, OtherHost: true}},
			want: want{outcome: faqdomain.Untouched, summary: "Haptik Redirected to Another Host",
				detail: []string{NotSaved}, calls: []string{"upload d " + csvQ}}},
		{name: "Retry-After too long", op: faqdomain.OpUpdate,
			client: fakeClient{uploadErr: &haptik.RetryAfterError{Operation: "upload", StatusCode: 429, RetryAfter: "3600", Wait: time.Hour}},
			want: want{outcome: faqdomain.Untouched, summary: "Haptik Unavailable", detail: []string{"Retry-After: 3600", NotSaved},
				calls: []string{"upload d " + csvQ}}},
		{name: "waiting for the domain's turn timed out", op: faqdomain.OpUpdate, held: true, client: fakeClient{taskID: "t1"},
			want: want{outcome: faqdomain.Untouched, summary: "Timed Out Waiting for Haptik",
				detail: []string{"still waiting for its turn", NotSaved}}},
		{name: "a connection never opened sent nothing", op: faqdomain.OpUpdate, pending: pendingSame,
			client: fakeClient{statusErr: &haptik.TransportError{Operation: "status", Attempts: 5, NotSent: true,
				Err: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")},
				uploadErr: &haptik.TransportError{Operation: "upload", Attempts: 5, NotSent: true,
					Err: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")}},
			want: want{outcome: faqdomain.Untouched, pending: pendingSame, summary: "Could Not Connect to Haptik",
				detail: []string{"No connection to Haptik could be opened (5 attempt(s)), so nothing reached Haptik",
					"connection refused", "base_url (or HAPTIK_BASE_URL)", NotSaved},
				calls: []string{"status old", "upload d " + csvQ}}},
		{name: "a destroy whose connection never opened keeps the resource", op: faqdomain.OpDelete,
			client: fakeClient{uploadErr: &haptik.TransportError{Operation: "upload", Attempts: 1, NotSent: true,
				Err: errors.New("tls: first record does not look like a TLS handshake")}},
			want: want{outcome: faqdomain.Untouched, summary: "Could Not Connect to Haptik",
				detail: []string{"nothing reached Haptik", "first record does not look like a TLS handshake", NotSavedDestroy},
				calls:  []string{"upload d " + csvQ}}},
		// Found by TestSequences_invariant: a resource beside one whose domain_name was unknown
		// at plan stayed confirmed while the other's upload replaced its nodes.
		{name: "waiting for the domain's turn timed out while another resource uploaded it", op: faqdomain.OpUpdate,
			held: true, client: fakeClient{taskID: "t1"},
			setup: func(r *faqdomain.Registry) {
				r.Claim("d", []byte("other config"), nil)
				r.CheckApply("d", []byte("other config"))
			},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Timed Out Waiting for Haptik",
				detail: []string{"still waiting for its turn", "another haptik_faq_domain of this apply began to upload",
					"marked unconfirmed"}}},
		{name: "a destroy waiting for the domain's turn timed out while another resource uploaded it",
			op: faqdomain.OpDelete, held: true, client: fakeClient{taskID: "t1"},
			setup: func(r *faqdomain.Registry) {
				r.Claim("d", []byte("other config"), nil)
				r.CheckApply("d", []byte("other config"))
			},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Timed Out Waiting for Haptik",
				detail: []string{"another haptik_faq_domain of this apply began to upload", "marked unconfirmed"}}},
		{name: "a create waiting for the domain's turn timed out while another resource uploaded it",
			op: faqdomain.OpCreate, held: true, client: fakeClient{taskID: "t1"},
			setup: func(r *faqdomain.Registry) {
				r.Claim("d", []byte("other config"), nil)
				r.CheckApply("d", []byte("other config"))
			},
			want: want{outcome: faqdomain.Untouched, summary: "Timed Out Waiting for Haptik",
				detail: []string{"still waiting for its turn", NotSaved}}},
		{name: "invalid domain on update is a refusal", op: faqdomain.OpUpdate,
			client: fakeClient{uploadErr: &haptik.APIError{Operation: "upload", StatusCode: 400, Message: "invalid doman"}},
			want:   want{outcome: faqdomain.Untouched, summary: "Haptik Rejected the Upload", calls: []string{"upload d " + csvQ}}},

		{name: "another resource claimed the domain", op: faqdomain.OpCreate, client: fakeClient{taskID: "t1"},
			setup: func(r *faqdomain.Registry) { r.Claim("d", []byte("other config"), nil) },
			want: want{outcome: faqdomain.Untouched, summary: "Two Resources Hold One Domain",
				detail: []string{"Nothing was sent to Haptik."}}},
		{name: "another resource wrote the domain: the update's state is stale", op: faqdomain.OpUpdate,
			client: fakeClient{taskID: "t1"}, pending: pendingSame,
			setup: func(r *faqdomain.Registry) {
				r.Claim("d", []byte("other config"), nil)
				r.CheckApply("d", []byte("other config"))
			},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Two Resources Hold One Domain", pending: pendingSame,
				detail: []string{"Nothing was sent to Haptik.", "already uploaded"}}},
		{name: "another resource's destroy of the domain failed", op: faqdomain.OpCreate, client: fakeClient{taskID: "t1"},
			setup: func(r *faqdomain.Registry) { r.MarkKept("d") },
			want: want{outcome: faqdomain.Untouched, summary: "Another Resource's Destroy of This Domain Failed",
				detail: []string{"Nothing was sent to Haptik."}}},

		// The upload may have reached Haptik.
		{name: "5xx until the retries ran out", op: faqdomain.OpUpdate,
			client: fakeClient{uploadErr: &haptik.APIError{Operation: "upload", StatusCode: 502, Message: "bad gateway", Attempts: 5}},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Haptik Unavailable",
				pending: &faqdomain.Pending{Status: faqdomain.StatusAnswerLost("Haptik Unavailable")},
				detail:  []string{"sent 5 times", MarkedUnconfirmed}, calls: []string{"upload d " + csvQ}}},
		{name: "no answer", op: faqdomain.OpDelete,
			client: fakeClient{uploadErr: &haptik.TransportError{Operation: "upload", Attempts: 1, Err: errors.New("connection reset")}},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Haptik Unavailable",
				pending: &faqdomain.Pending{Status: faqdomain.StatusAnswerLost("Haptik Unavailable")},
				detail:  []string{"connection reset", MarkedUnconfirmed}, calls: []string{"upload d " + csvQ}}},
		{name: "an answer of the wrong shape on create is saved tainted", op: faqdomain.OpCreate,
			client: fakeClient{uploadErr: &haptik.ResponseError{Operation: "upload", StatusCode: 200, Problem: "not JSON"}},
			want: want{outcome: faqdomain.Unconfirmed, summary: "Unexpected Answer from Haptik",
				detail: []string{"not JSON", SavedTainted}, calls: []string{"upload d " + csvQ}}},

		// Accepted, then not seen to succeed.
		{name: "accepted then failed", op: faqdomain.OpUpdate,
			client: fakeClient{taskID: "t1", waitErr: &haptik.TaskFailedError{TaskID: "t1", Status: "Error at node b"}},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "t1", summary: "Haptik Upload Task Failed",
				pending: &faqdomain.Pending{TaskID: "t1", Status: faqdomain.StatusTaskFailed("Error at node b")},
				detail:  []string{"task t1 ended with this status", "Error at node b", MarkedUnconfirmed},
				calls:   []string{"upload d " + csvQ, "wait t1"}}},
		{name: "accepted then timed out", op: faqdomain.OpUpdate,
			client: fakeClient{taskID: "t1", waitStatus: haptik.Status{Text: "Queued"}, waitErr: timedOut},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "t1", summary: "Timed Out Waiting for Haptik",
				pending: &faqdomain.Pending{TaskID: "t1", Status: faqdomain.StatusNotConfirmed("Timed Out Waiting for Haptik", "Queued")},
				detail:  []string{`Its last status was "Queued".`, "timeout of 1m0s", "the next apply of the same content waits for it"},
				calls:   []string{"upload d " + csvQ, "wait t1"}}},
		{name: "accepted on create then interrupted is saved tainted", op: faqdomain.OpCreate,
			client: fakeClient{taskID: "t1", waitErr: &haptik.WaitError{Err: context.Canceled}},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "t1", summary: "Interrupted While Waiting for Haptik",
				detail: []string{"Terraform was interrupted", SavedTainted}, calls: []string{"upload d " + csvQ, "wait t1"}}},
		{name: "status endpoint failing", op: faqdomain.OpUpdate,
			client: fakeClient{taskID: "t1", waitErr: &haptik.WaitError{Err: context.DeadlineExceeded, FailedPolls: 3,
				LastErr: &haptik.APIError{Operation: "status", StatusCode: 500, Message: "down"}}},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "t1", summary: "Timed Out Waiting for Haptik",
				pending: &faqdomain.Pending{TaskID: "t1", Status: faqdomain.StatusNotConfirmed("Timed Out Waiting for Haptik", "")},
				detail:  []string{"The last 3 status request(s) failed", "down"}, calls: []string{"upload d " + csvQ, "wait t1"}}},

		{name: "status polls that never connected leave an accepted upload unconfirmed", op: faqdomain.OpUpdate,
			client: fakeClient{taskID: "t1", waitErr: &haptik.WaitError{Err: context.DeadlineExceeded, FailedPolls: 2,
				LastErr: &haptik.TransportError{Operation: "status", Attempts: 5, NotSent: true, Err: errors.New("connection refused")}}},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "t1", summary: "Timed Out Waiting for Haptik",
				pending: &faqdomain.Pending{TaskID: "t1", Status: faqdomain.StatusNotConfirmed("Timed Out Waiting for Haptik", "")},
				detail:  []string{"connection refused", MarkedUnconfirmed}, calls: []string{"upload d " + csvQ, "wait t1"}}},

		// Resuming a remembered task.
		{name: "resume while in progress", op: faqdomain.OpUpdate, pending: pendingSame,
			client: fakeClient{status: inProgress},
			want: want{outcome: faqdomain.Confirmed, taskID: "old", written: true, noDiagnostics: true,
				calls: []string{"status old", "wait old"}}},
		{name: "resumed and timed out again is remembered as resumed", op: faqdomain.OpUpdate, pending: pendingSame,
			client: fakeClient{status: inProgress, waitErr: timedOut},
			want: want{outcome: faqdomain.Unconfirmed, taskID: "old", summary: "Timed Out Waiting for Haptik",
				pending: &faqdomain.Pending{TaskID: "old", Resumed: 1, Status: faqdomain.StatusNotConfirmed("Timed Out Waiting for Haptik", "")},
				calls:   []string{"status old", "wait old"}}},
		{name: "resume refused after one try", op: faqdomain.OpUpdate, client: fakeClient{taskID: "t2"},
			pending: &faqdomain.Pending{Domain: "d", ContentSHA256: "sha", TaskID: "old", Resumed: 1},
			want: want{outcome: faqdomain.Confirmed, taskID: "t2", written: true, noDiagnostics: true,
				calls: []string{"upload d " + csvQ, "wait t2"}}},
		{name: "a finished task is not resumed", op: faqdomain.OpUpdate, pending: pendingSame,
			client: fakeClient{taskID: "t2", status: haptik.Status{Text: "Success", State: haptik.StateSucceeded}},
			want: want{outcome: faqdomain.Confirmed, taskID: "t2", written: true, noDiagnostics: true,
				calls: []string{"status old", "upload d " + csvQ, "wait t2"}}},
		{name: "other content is not resumed", op: faqdomain.OpUpdate, client: fakeClient{taskID: "t2"},
			pending: &faqdomain.Pending{Domain: "d", ContentSHA256: "other", TaskID: "old"},
			want: want{outcome: faqdomain.Confirmed, taskID: "t2", written: true, noDiagnostics: true,
				calls: []string{"upload d " + csvQ, "wait t2"}}},

		// Destroys that need nothing sent.
		{name: "destroy of a domain written this operation", op: faqdomain.OpDelete, writtenBefore: true,
			client: fakeClient{taskID: "t1"},
			want: want{outcome: faqdomain.NotNeeded, written: true, warning: true, summary: "Domain Not Deactivated",
				detail: []string{"received new content from another haptik_faq_domain in this apply"}}},
		{name: "unknown domain on destroy", op: faqdomain.OpDelete,
			client: fakeClient{uploadErr: &haptik.APIError{Operation: "upload", StatusCode: 400, Message: "Invalid doman"}},
			want: want{outcome: faqdomain.NotNeeded, warning: true, summary: "Domain Unknown to Haptik",
				detail: []string{`Haptik answered "Invalid doman"`, "removed from Terraform state"},
				calls:  []string{"upload d " + csvQ}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			registry := &faqdomain.Registry{}
			if tc.writtenBefore {
				registry.MarkWritten("d")
			}
			if tc.setup != nil {
				tc.setup(registry)
			}
			gate := NewGate(2)
			timeout := time.Minute
			if tc.held {
				release, err := gate.acquire(context.Background(), "d")
				if err != nil {
					t.Fatal(err)
				}
				defer release()
				timeout = time.Millisecond
			}
			client := tc.client
			u := &Uploader{Client: &client, Gate: gate, Registry: registry}
			res := u.Upload(context.Background(), Request{Op: tc.op, Domain: "d", CSV: []byte(csv), SHA: "sha",
				Timeout: timeout, Pending: tc.pending, Config: []byte("config")})
			// A destroy that leaves its resource in state is recorded: a create of the domain
			// in this apply must not upload over it.
			keeps := tc.op == faqdomain.OpDelete && (res.Outcome == faqdomain.Untouched || res.Outcome == faqdomain.Unconfirmed)
			if d, _ := registry.CheckApply("d", []byte("config")); (d != nil) != (keeps || tc.setup != nil) {
				t.Errorf("the domain counts as kept by a failed destroy or claimed: %v", d)
			}
			if res.Outcome != tc.want.outcome || res.TaskID != tc.want.taskID {
				t.Errorf("outcome %s, task %q; want %s, %q", res.Outcome, res.TaskID, tc.want.outcome, tc.want.taskID)
			}
			if got, want := strings.Join(client.calls, "; "), strings.Join(tc.want.calls, "; "); got != want {
				t.Errorf("calls:\n  %s\nwant\n  %s", got, want)
			}
			if registry.Written("d") != tc.want.written {
				t.Errorf("written %v, want %v", registry.Written("d"), tc.want.written)
			}
			switch p, w := res.Pending, tc.want.pending; {
			case w == nil && p != nil:
				t.Errorf("pending %+v, want none", p)
			case w != nil && p == nil:
				t.Errorf("no pending record, want %+v", w)
			case w == pendingSame && *p != *w:
				t.Errorf("pending %+v, want it kept as %+v", p, w)
			case w != nil && w != pendingSame &&
				(p.Domain != "d" || p.ContentSHA256 != "sha" || p.TaskID != w.TaskID || p.Status != w.Status || p.Resumed != w.Resumed):
				t.Errorf("pending %+v, want task %q, status %q, resumed %d", p, w.TaskID, w.Status, w.Resumed)
			}
			if tc.want.noDiagnostics {
				if len(res.Diagnostics) != 0 {
					t.Errorf("diagnostics %+v", res.Diagnostics)
				}
				return
			}
			if len(res.Diagnostics) != 1 {
				t.Fatalf("diagnostics %+v, want one", res.Diagnostics)
			}
			d := res.Diagnostics[0]
			if d.Warning != tc.want.warning || d.Summary != tc.want.summary {
				t.Errorf("diagnostic %q (warning %v), want %q (warning %v)", d.Summary, d.Warning, tc.want.summary, tc.want.warning)
			}
			for _, s := range tc.want.detail {
				if !strings.Contains(d.Detail, s) {
					t.Errorf("detail lacks %q:\n%s", s, d.Detail)
				}
			}
		})
	}
}
