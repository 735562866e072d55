package faqdomain

import (
	"encoding/json"
	"fmt"
)

// PendingKey is the private-state key of the last upload Haptik accepted that the provider did
// not see succeed.
const PendingKey = "pending_upload"

// Pending is that upload, the one record of it: written into the resource's private state the
// moment Haptik accepts an upload (replacing any earlier one), forgotten when its task succeeds,
// read by the next apply (Resumable) and by the plan's unconfirmed warning, which quotes Status.
type Pending struct {
	Domain        string `json:"domain"`
	ContentSHA256 string `json:"content_sha256"`
	TaskID        string `json:"task_id"`
	// Status is the last word on the task, a phrase the plan's warning quotes (the Status*
	// functions below write it).
	Status string `json:"status,omitempty"`
	// Resumed counts the applies that waited for this task again.
	Resumed int `json:"resumed,omitempty"`
}

// The phrases Status holds, one for each way an accepted upload can end unconfirmed. Each reads
// after "The last word on it was: ".

// StatusAccepted is the word on an upload Haptik has just accepted: if nothing later replaces
// it, the apply ended (killed, or its answer lost) before the task finished.
const StatusAccepted = "Haptik accepted it, and the apply ended before its task finished"

// StatusTaskFailed is the word on a task that ended with Haptik's failure text status.
func StatusTaskFailed(status string) string {
	return fmt.Sprintf("its task ended with the status %q", status)
}

// StatusNotConfirmed is the word on a task the apply stopped waiting for (why, e.g. "Timed Out
// Waiting for Haptik"), with Haptik's last status text when there was one.
func StatusNotConfirmed(why, last string) string {
	s := fmt.Sprintf("the apply ended (%s) before its task finished", why)
	if last != "" {
		s += fmt.Sprintf("; its last status was %q", last)
	}
	return s
}

// StatusAnswerLost is the word on an upload whose answer never came back (why names the failure).
func StatusAnswerLost(why string) string {
	return fmt.Sprintf("the upload's answer was lost (%s)", why)
}

// Resumable reports whether an apply uploading content sha to domain may wait for p's task
// instead of uploading again, provided Haptik still reports the task in progress (which only the
// apply can ask): the same domain and content, a known task, and no apply has waited for it yet
// (a task that never progresses is given up for a fresh upload). why says otherwise why not.
func (p *Pending) Resumable(domain, sha string) (ok bool, why string) {
	switch {
	case p == nil:
		return false, "no unconfirmed upload is remembered"
	case p.Domain != domain || p.ContentSHA256 != sha:
		return false, "the content changed since the unconfirmed upload"
	case p.TaskID == "":
		return false, "the unconfirmed upload's task is not known"
	case p.Resumed > 0:
		return false, "an apply already waited for the unconfirmed upload's task"
	default:
		return true, ""
	}
}

// CreatesKey is the planned-private-state key of what a create's plan uploads (Creation).
const CreatesKey = "creates"

// Creation is what a create's plan uploads, recorded in its planned private state. In a
// replacement (-replace, replace_triggered_by, a tainted resource, a new domain_name) Terraform
// plans the create with a null prior state and hands that plan's private state to the destroy
// half as well (plans.ResourceInstanceChange.Simplify copies Private into the Delete change), so
// the destroy learns that a create of the same domain follows it and sends nothing (ReplacedBy).
// The create's apply forgets it: it never reaches the saved state.
type Creation struct {
	Domain        string `json:"domain"`
	ContentSHA256 string `json:"content_sha256,omitempty"`
	NodeCount     int    `json:"node_count"`
}

// Private is the resource's private state: a JSON object of keys to JSON values, which Terraform
// keeps beside the state and hands back on the next plan and apply. Keys this version does not
// know are kept as they are.
type Private struct{ keys map[string]json.RawMessage }

// ReadPrivate decodes private state; unreadable private state reads as empty.
func ReadPrivate(raw []byte) Private {
	p := Private{keys: map[string]json.RawMessage{}}
	_ = json.Unmarshal(raw, &p.keys)
	if p.keys == nil { // the JSON null
		p.keys = map[string]json.RawMessage{}
	}
	return p
}

// Pending is the remembered unconfirmed upload; nil when there is none (or it is unreadable).
func (p Private) Pending() *Pending {
	var u Pending
	if raw := p.keys[PendingKey]; len(raw) == 0 || json.Unmarshal(raw, &u) != nil {
		return nil
	}
	return &u
}

// WithPending is p remembering u as the unconfirmed upload (nil forgets it).
func (p Private) WithPending(u *Pending) Private {
	if u == nil {
		return p.with(PendingKey, nil)
	}
	raw, _ := json.Marshal(u) // plain strings and numbers: cannot fail
	return p.with(PendingKey, raw)
}

// with is p with key set to raw (nil removes it), p itself unchanged.
func (p Private) with(key string, raw json.RawMessage) Private {
	keys := make(map[string]json.RawMessage, len(p.keys)+1)
	for k, v := range p.keys {
		keys[k] = v
	}
	delete(keys, key)
	if raw != nil {
		keys[key] = raw
	}
	return Private{keys: keys}
}

// Creates is the create a plan recorded (see Creation); nil when there is none.
func (p Private) Creates() *Creation {
	var c Creation
	if raw := p.keys[CreatesKey]; len(raw) == 0 || json.Unmarshal(raw, &c) != nil || c.Domain == "" {
		return nil
	}
	return &c
}

// WithCreates is p recording c (nil forgets it).
func (p Private) WithCreates(c *Creation) Private {
	if c == nil {
		return p.with(CreatesKey, nil)
	}
	raw, _ := json.Marshal(c) // plain strings and numbers: cannot fail
	return p.with(CreatesKey, raw)
}

// Bytes is p's encoding; nil when it holds nothing.
func (p Private) Bytes() []byte {
	if len(p.keys) == 0 {
		return nil
	}
	b, _ := json.Marshal(p.keys) // raw JSON values: cannot fail
	return b
}
