package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Fault injection.
//
// Every injected fault waits in one queue, faultQueue, under its kind. A request consumes the
// oldest pending fault of the kind it matches, one use at a time: an upload request consumes
// "upload" faults, a status request "status" faults, an accepted upload (a new task) one "task"
// and one "late" fault, a chat API request "chat" faults. Faults of other kinds stay queued, so the
// order of faults matters only within a kind.
//
// Adding a kind is one faultKind value (its name, its Go type and how many requests one fault
// affects), an entry in faultKinds to reach it through POST /_emulator/faults, and a take call
// where the requests it matches are served.

// UploadFault makes upcoming uploads (or, queued by FailChats, chat API requests) fail before they
// are looked at.
type UploadFault struct {
	// Status is the HTTP status to answer.
	Status int `json:"status"`
	// Message is sent as {"error_message": Message}, unless RawBody is set.
	Message string `json:"message,omitempty"`
	// RawBody, when set, is sent verbatim instead of a JSON error (e.g. a proxy's HTML page).
	RawBody string `json:"raw_body,omitempty"`
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string `json:"retry_after,omitempty"`
	// Count is how many requests fail this way; 0 means one.
	Count int `json:"count,omitempty"`
}

// StatusFault makes upcoming status requests fail before they are looked at.
type StatusFault struct {
	// Status is the HTTP status to answer (unless Reset).
	Status int `json:"status,omitempty"`
	// Message is sent as {"error_message": Message}, unless RawBody is set.
	Message string `json:"message,omitempty"`
	// RawBody, when set, is sent verbatim instead of a JSON error.
	RawBody string `json:"raw_body,omitempty"`
	// Reset closes the connection without any answer.
	Reset bool `json:"reset,omitempty"`
	// DelayMS holds the answer back this long (then answers normally unless Status or Reset is set).
	DelayMS int `json:"delay_ms,omitempty"`
	// Count is how many requests fail this way; 0 means one.
	Count int `json:"count,omitempty"`
}

// TaskFault makes the task of the next accepted upload end in an error when it finishes.
//
// With Partial set it is a partial apply, the way Haptik "stops the execution" at a failing node:
// the task deactivates every existing node of the domain, applies the first AppliedRows rows of
// the CSV (creating or updating those nodes), and stops with Message as its status. The domain is
// then half-applied: Nodes, ActiveNodes and GET /_emulator/domains/{name} show exactly the first
// AppliedRows rows active and every other node inactive with its earlier content.
type TaskFault struct {
	// Message is the task's final status text.
	Message string `json:"message"`
	// Partial, when true, applies the upsert up to row AppliedRows before stopping. When false the
	// domain is left untouched.
	Partial bool `json:"partial,omitempty"`
	// AppliedRows is how many rows of the CSV a partial task applied before it stopped (clamped to
	// the number of rows; 0 applies none but still deactivates the existing nodes).
	AppliedRows int `json:"applied_rows,omitempty"`
}

// LateFinish keeps the task of the next accepted upload In Progress for After, instead of the
// task duration, and then lets it finish as it would have: applying its content, or failing if a
// TaskFault was queued for it. Only that task is late; the ones after it take the task duration
// (SetTaskDuration, by contrast, changes every task created after it).
//
// As in Haptik, where a worker processes an upload after it was accepted, a task's content is
// applied when the task finishes, never at upload: a client that gave up waiting finds it applied
// later. A domain's tasks finish in upload order, so a task accepted after a late one stays In
// Progress until the late one has finished, and the domain ends with the later upload's content.
//
// In JSON, After is a Go duration string: {"after": "90s"}.
type LateFinish struct {
	After time.Duration
}

// UnmarshalJSON reads {"after": "<Go duration>"}.
func (l *LateFinish) UnmarshalJSON(b []byte) error {
	var raw struct {
		After *string `json:"after"`
	}
	if err := decodeStrict(b, &raw); err != nil {
		return err
	}
	if raw.After == nil {
		return errors.New(`a late finish needs "after", a duration such as "90s"`)
	}
	d, err := time.ParseDuration(*raw.After)
	if err != nil {
		return fmt.Errorf("after: %w", err)
	}
	if d < 0 {
		return fmt.Errorf("after: %s is negative", *raw.After)
	}
	l.After = d
	return nil
}

// faultKind is a kind of fault whose faults are of type F. Its name is its key in the body of
// POST /_emulator/faults.
type faultKind[F any] struct {
	name string
	// uses tells how many requests one fault affects (values below 1 mean one); nil means one.
	uses func(F) int
}

// The kinds of fault, each consumed by the requests named in its comment.
var (
	// uploadFaults: every request to the upload endpoint, before it is read.
	uploadFaults = faultKind[UploadFault]{name: "upload", uses: func(f UploadFault) int { return f.Count }}
	// statusFaults: every request to the status endpoint, before it is read.
	statusFaults = faultKind[StatusFault]{name: "status", uses: func(f StatusFault) int { return f.Count }}
	// taskFaults: every accepted upload, when its task is created.
	taskFaults = faultKind[TaskFault]{name: "task"}
	// lateFinishes: every accepted upload, when its task is created.
	lateFinishes = faultKind[LateFinish]{name: "late"}
	// chatFaults: every request to the chat APIs, before it is read.
	chatFaults = faultKind[UploadFault]{name: "chat", uses: func(f UploadFault) int { return f.Count }}
)

// queuer is a faultKind of any type, for the JSON endpoint.
type queuer interface {
	kindName() string
	// decode reads a JSON list of faults of this kind and returns what queues them.
	decode(raw json.RawMessage) (func(*faultQueue), error)
}

// faultKinds are the kinds POST /_emulator/faults accepts, by their JSON key.
var faultKinds = []queuer{uploadFaults, statusFaults, taskFaults, lateFinishes, chatFaults}

func (k faultKind[F]) kindName() string { return k.name }

func (k faultKind[F]) decode(raw json.RawMessage) (func(*faultQueue), error) {
	var fs []F
	if err := decodeStrict(raw, &fs); err != nil {
		return nil, fmt.Errorf("%s: %w", k.name, err)
	}
	return func(q *faultQueue) {
		for _, f := range fs {
			push(q, k, f)
		}
	}, nil
}

// queuedFault is one pending fault: its kind's name, the requests it still affects, and the fault.
type queuedFault struct {
	kind  string
	left  int
	fault any
}

// faultQueue holds every pending fault, oldest first. It is not safe for concurrent use; the
// Server guards it with its mutex.
type faultQueue struct {
	pending []queuedFault
}

// push queues f behind every pending fault.
func push[F any](q *faultQueue, k faultKind[F], f F) {
	n := 1
	if k.uses != nil {
		n = max(k.uses(f), 1)
	}
	q.pending = append(q.pending, queuedFault{kind: k.name, left: n, fault: f})
}

// take consumes one use of the oldest pending fault of kind k, and reports whether there was one.
func take[F any](q *faultQueue, k faultKind[F]) (F, bool) {
	for i := range q.pending {
		p := &q.pending[i]
		if p.kind != k.name {
			continue
		}
		f := p.fault.(F)
		if p.left--; p.left <= 0 {
			q.pending = slices.Delete(q.pending, i, i+1)
		}
		return f, true
	}
	var zero F
	return zero, false
}

// queueFaults reads the body of POST /_emulator/faults: an object whose keys are fault kinds, each
// with a list of faults, plus "task_duration". It returns what applies them, so that a body with
// any mistake in it changes nothing.
func queueFaults(body []byte) (taskDuration *time.Duration, queue func(*faultQueue), err error) {
	var req map[string]json.RawMessage
	if err := decodeStrict(body, &req); err != nil {
		return nil, nil, err
	}
	var queues []func(*faultQueue)
	for key, raw := range req {
		if key == "task_duration" {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, nil, fmt.Errorf("task_duration: %w", err)
			}
			if s == "" {
				continue
			}
			d, err := time.ParseDuration(s)
			if err != nil {
				return nil, nil, fmt.Errorf("task_duration: %w", err)
			}
			taskDuration = &d
			continue
		}
		i := slices.IndexFunc(faultKinds, func(k queuer) bool { return k.kindName() == key })
		if i < 0 {
			return nil, nil, fmt.Errorf("unknown key %q; the keys are %s and task_duration", key, kindNames())
		}
		q, err := faultKinds[i].decode(raw)
		if err != nil {
			return nil, nil, err
		}
		queues = append(queues, q)
	}
	return taskDuration, func(q *faultQueue) {
		for _, add := range queues {
			add(q)
		}
	}, nil
}

func kindNames() string {
	names := make([]string, len(faultKinds))
	for i, k := range faultKinds {
		names[i] = k.kindName()
	}
	return strings.Join(names, ", ")
}

// decodeStrict decodes one JSON value and refuses fields v does not have, so that a misspelled
// fault field is an error rather than a fault that silently does something else.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// FailUploads queues an upload fault: the next f.Count uploads (at least one) fail with it.
func (s *Server) FailUploads(f UploadFault) { queueFault(s, uploadFaults, f) }

// FailStatus queues a status-request fault: the next f.Count status requests (at least one) get it.
func (s *Server) FailStatus(f StatusFault) { queueFault(s, statusFaults, f) }

// FailNextTask makes the task of the next accepted upload fail with f when it finishes (a partial
// apply when f.Partial is set; see TaskFault). Each call queues one fault for one task: two calls
// fail the tasks of the next two accepted uploads.
func (s *Server) FailNextTask(f TaskFault) { queueFault(s, taskFaults, f) }

// FinishNextTaskAfter makes the task of the next accepted upload stay In Progress for d, whatever
// the task duration, and then finish; see LateFinish. Later tasks take the task duration again.
func (s *Server) FinishNextTaskAfter(d time.Duration) {
	queueFault(s, lateFinishes, LateFinish{After: d})
}

// FailChats queues a chat fault: the next f.Count requests to the chat APIs (at least one) fail
// with it before they are looked at.
func (s *Server) FailChats(f UploadFault) { queueFault(s, chatFaults, f) }

func queueFault[F any](s *Server, k faultKind[F], f F) {
	s.mu.Lock()
	defer s.mu.Unlock()
	push(&s.faults, k, f)
}

// takeFault consumes the next fault of kind k, if any.
func takeFault[F any](s *Server, k faultKind[F]) (F, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return take(&s.faults, k)
}
