package haptik_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

const documentedSuccess = "all nodes has been created successfully"

// statusRow is one answer of the task-status endpoint and the reading it must get.
type statusRow struct {
	name string
	// text is body.status; env replaces the envelope's "error": "" (keys "error", "error_message").
	text string
	env  map[string]any
	want haptik.State
}

// envError is what the client should take from row's envelope as Haptik's error message.
func (r statusRow) envError() string {
	if m, ok := r.env["error_message"].(string); ok && m != "" {
		return m
	}
	m, _ := r.env["error"].(string)
	return m
}

// envelope renders the row as Haptik's success envelope.
func (r statusRow) envelope(t *testing.T) []byte {
	t.Helper()
	env := map[string]any{"success": true, "body": map[string]any{"status": r.text}, "error": "", "meta": map[string]any{}}
	for k, v := range r.env {
		env[k] = v
	}
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	quotaError        = map[string]any{"error": "quota exceeded"}
	quotaErrorMessage = map[string]any{"error_message": "quota exceeded"}
)

// statusTable is the reading of Haptik's status texts (issue 12): success only on positive
// evidence, progress only without a failure word, anything else a failure.
var statusTable = []statusRow{
	// Error texts that mention success.
	{name: "did not complete successfully", text: "Error: previous upload did not complete successfully", want: haptik.StateFailed},
	{name: "1 of 2 could not be created", text: "Failed: 1 of 2 nodes could not be created; 1 created successfully", want: haptik.StateFailed},
	{name: "successfully except", text: "Nodes created successfully except row 2: invalid HSL in answer", want: haptik.StateFailed},
	{name: "exception about success criteria", text: "Exception: success criteria not met for node a", want: haptik.StateFailed},
	{name: "unsuccessful", text: "node creation unsuccessful", want: haptik.StateFailed},
	{name: "unsuccessful but successfully", text: "Unsuccessful for node b; node a created successfully", want: haptik.StateFailed},
	{name: "not successful", text: "Not successful", want: haptik.StateFailed},
	{name: "couldn't", text: "Couldn't create node a; others created successfully", want: haptik.StateFailed},
	{name: "couldn’t (typographic apostrophe)", text: "Couldn’t create node a; others created successfully", want: haptik.StateFailed},
	{name: "unable", text: "Successfully created 3 nodes; unable to create node d", want: haptik.StateFailed},
	{name: "partially", text: "Partially successful", want: haptik.StateFailed},
	{name: "but", text: "Nodes created successfully, but the answer of node b was truncated", want: haptik.StateFailed},
	{name: "with warnings", text: "Created successfully with warnings", want: haptik.StateFailed},
	{name: "skipped", text: "Success: 2 rows skipped", want: haptik.StateFailed},
	{name: "1 of 2 created successfully", text: "1 of 2 nodes created successfully", want: haptik.StateFailed},
	{name: "1 out of 2 created successfully", text: "1 out of 2 nodes created successfully", want: haptik.StateFailed},
	{name: "errors word with success text", text: "Errors: 0; " + documentedSuccess, want: haptik.StateFailed},
	// Plain error texts.
	{name: "Error at node", text: "Error at node refunds", want: haptik.StateFailed},
	{name: "Error/Exception", text: "Error/Exception", want: haptik.StateFailed},
	{name: "Exception", text: "Exception", want: haptik.StateFailed},
	{name: "invalid json", text: "Error: invalid json at row 3", want: haptik.StateFailed},
	{name: "timed out", text: "Task timed out", want: haptik.StateFailed},
	// The envelope's own error overrides any text.
	{name: "success text, error quota exceeded", text: documentedSuccess, env: quotaError, want: haptik.StateFailed},
	{name: "success text, error_message quota exceeded", text: documentedSuccess, env: quotaErrorMessage, want: haptik.StateFailed},
	{name: "Success, error quota exceeded", text: "Success", env: quotaError, want: haptik.StateFailed},
	{name: "In Progress, error quota exceeded", text: "In Progress", env: quotaError, want: haptik.StateFailed},
	// A failure word beats a progress word.
	{name: "could not be started", text: "Task could not be started: worker unavailable", want: haptik.StateFailed},
	{name: "error while processing", text: "Error while processing node a", want: haptik.StateFailed},
	{name: "processing stopped", text: "Processing stopped at node a", want: haptik.StateFailed},
	{name: "pending failed", text: "Pending: previous task failed", want: haptik.StateFailed},
	// Nothing to read, or words that do not say every node was created.
	{name: "empty", text: "", want: haptik.StateFailed},
	{name: "blank", text: " \t\r\n ", want: haptik.StateFailed},
	{name: "punctuation only", text: "...", want: haptik.StateFailed},
	{name: "Completed", text: "Completed", want: haptik.StateFailed},
	{name: "Done", text: "Done", want: haptik.StateFailed},
	{name: "Finished", text: "Finished", want: haptik.StateFailed},
	{name: "successes (not a success word)", text: "successes", want: haptik.StateFailed},
	{name: "successor (not a success word)", text: "successor task created", want: haptik.StateFailed},
	{name: "progressive (not in progress)", text: "progressive", want: haptik.StateFailed},

	// Still running.
	{name: "In Progress", text: "In Progress", want: haptik.StateInProgress},
	{name: "in progress", text: "in progress", want: haptik.StateInProgress},
	{name: "IN PROGRESS", text: "IN PROGRESS", want: haptik.StateInProgress},
	{name: "In Progress padded", text: "  In Progress \n", want: haptik.StateInProgress},
	{name: "In  Progress tab", text: "In\tProgress", want: haptik.StateInProgress},
	{name: "in_progress", text: "in_progress", want: haptik.StateInProgress},
	{name: "IN-PROGRESS", text: "IN-PROGRESS", want: haptik.StateInProgress},
	{name: "Processing", text: "Processing", want: haptik.StateInProgress},
	{name: "processing row 3 of 10", text: "processing row 3 of 10", want: haptik.StateInProgress},
	{name: "In Queue", text: "In Queue", want: haptik.StateInProgress},
	{name: "in queue", text: "in queue", want: haptik.StateInProgress},
	{name: "Queued", text: "Queued", want: haptik.StateInProgress},
	{name: "PENDING", text: "PENDING", want: haptik.StateInProgress},
	{name: "Started", text: "Started", want: haptik.StateInProgress},
	{name: "Running", text: "Running", want: haptik.StateInProgress},
	{name: "running.", text: "running.", want: haptik.StateInProgress},
	{name: "progress and success", text: "Processing: 3 nodes created successfully so far", want: haptik.StateInProgress},

	// Succeeded.
	{name: "documented success text", text: documentedSuccess, want: haptik.StateSucceeded},
	{name: "documented success text, title case", text: "All Nodes Has Been Created Successfully", want: haptik.StateSucceeded},
	{name: "documented success text, padded", text: "  " + documentedSuccess + ".\n", want: haptik.StateSucceeded},
	{name: "documented success text, error null", text: documentedSuccess, env: map[string]any{"error": nil}, want: haptik.StateSucceeded},
	{name: "documented success text, error blank", text: documentedSuccess, env: map[string]any{"error": " "}, want: haptik.StateSucceeded},
	{name: "Success", text: "Success", want: haptik.StateSucceeded},
	{name: "SUCCESS", text: "SUCCESS", want: haptik.StateSucceeded},
	{name: "success padded", text: "\tsuccess ", want: haptik.StateSucceeded},
	{name: "Successful", text: "Successful", want: haptik.StateSucceeded},
	{name: "Succeeded", text: "Succeeded", want: haptik.StateSucceeded},
	{name: "2 of 2 created successfully", text: "2 of 2 nodes created successfully", want: haptik.StateSucceeded},
	{name: "all of the nodes", text: "All of the nodes were created successfully", want: haptik.StateSucceeded},
	{name: "notable is not not", text: "Nodes created successfully; notable: 3 were updated", want: haptik.StateSucceeded},
	{name: "nonstop is not stop*", text: "Node nonstop_delivery created successfully", want: haptik.StateSucceeded},
}

// statusServer answers the task-status endpoint: task id i gets answers[i] in turn, the last one
// repeated. It counts the polls of each task.
type statusServer struct {
	t       *testing.T
	mu      sync.Mutex
	answers map[string][][]byte
	polls   map[string]int
}

func newStatusServer(t *testing.T) (*statusServer, *haptik.Client) {
	s := &statusServer{t: t, answers: map[string][][]byte{}, polls: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, newClient(t, srv.URL)
}

func (s *statusServer) answer(task string, answers ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[task] = answers
}

func (s *statusServer) pollsOf(task string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls[task]
}

func (s *statusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	task, ok := strings.CutPrefix(r.URL.Path, haptik.StatusPath)
	task = strings.TrimSuffix(task, "/")
	s.mu.Lock()
	answers := s.answers[task]
	n := s.polls[task]
	s.polls[task]++
	s.mu.Unlock()
	if !ok || len(answers) == 0 {
		s.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(answers[min(n, len(answers)-1)])
}

func TestTaskStatusReadsStatusTextTowardSafety(t *testing.T) {
	s, c := newStatusServer(t)
	for _, row := range statusTable {
		t.Run(row.name, func(t *testing.T) {
			s.answer(taskID(row.name), row.envelope(t))
			st, err := c.TaskStatus(context.Background(), taskID(row.name))
			if err != nil {
				t.Fatalf("TaskStatus(%q, env %v) error: %v", row.text, row.env, err)
			}
			if st.State != row.want {
				t.Errorf("TaskStatus(%q, env %v).State = %v, want %v", row.text, row.env, st.State, row.want)
			}
			if st.Text != haptik.Quote(row.text) {
				t.Errorf("Text = %q, want Haptik's text quoted %q", st.Text, haptik.Quote(row.text))
			}
		})
	}
}

// taskID is a task id, as the client accepts it, for a test case's name.
func taskID(name string) string { return hex.EncodeToString([]byte(name)) }

var quickPoll = haptik.PollPolicy{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, Fraction: 0.2}

func TestWaitForTaskFollowsStatusTable(t *testing.T) {
	s, c := newStatusServer(t)
	inProgress := statusRow{text: "In Progress"}.envelope(t)
	success := statusRow{text: "Success"}.envelope(t)
	for _, row := range statusTable {
		t.Run(row.name, func(t *testing.T) {
			// A text misread as in progress would be polled for ever; the deadline turns that into
			// a failure of this test (a WaitError) instead of a hang.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if row.want == haptik.StateInProgress {
				// WaitForTask keeps polling through this text until the task succeeds.
				s.answer(taskID(row.name), row.envelope(t), row.envelope(t), success)
				st, err := c.WaitForTask(ctx, taskID(row.name), quickPoll)
				if err != nil || st.State != haptik.StateSucceeded || st.Text != "Success" {
					t.Fatalf("WaitForTask = %+v, %v; want it to poll on through %q and succeed", st, err, row.text)
				}
				if n := s.pollsOf(taskID(row.name)); n != 3 {
					t.Fatalf("%d polls, want 3", n)
				}
				return
			}
			// The text ends the wait, after one in-progress poll.
			s.answer(taskID(row.name), inProgress, row.envelope(t))
			st, err := c.WaitForTask(ctx, taskID(row.name), quickPoll)
			if n := s.pollsOf(taskID(row.name)); n != 2 {
				t.Fatalf("%d polls (error %v), want 2: %q ends the wait", n, err, row.text)
			}
			if st.Text != haptik.Quote(row.text) || st.State != row.want {
				t.Fatalf("WaitForTask status = %+v, want %v with text %q", st, row.want, haptik.Quote(row.text))
			}
			var failed *haptik.TaskFailedError
			switch row.want {
			case haptik.StateSucceeded:
				if err != nil {
					t.Fatalf("WaitForTask error = %v, want success", err)
				}
			case haptik.StateFailed:
				if !errors.As(err, &failed) || failed.TaskID != taskID(row.name) {
					t.Fatalf("WaitForTask error = %v, want a TaskFailedError", err)
				}
				if strings.TrimSpace(row.text) != "" && !strings.Contains(failed.Status, haptik.Quote(row.text)) {
					t.Errorf("failure text %q does not show Haptik's status %q quoted", failed.Status, row.text)
				}
				if m := row.envError(); m != "" && !strings.Contains(failed.Status, m) {
					t.Errorf("failure text %q does not show the envelope's error %q", failed.Status, m)
				}
				if !strings.Contains(err.Error(), failed.Status) {
					t.Errorf("error %q does not carry the failure text %q", err, failed.Status)
				}
			}
		})
	}
}

func TestClassifyStatus(t *testing.T) {
	for _, row := range statusTable {
		if got := haptik.ClassifyStatus(row.text, row.envError()); got != row.want {
			t.Errorf("%s: ClassifyStatus(%q, %q) = %v, want %v", row.name, row.text, row.envError(), got, row.want)
		}
	}
}

// FuzzClassifyStatus checks the reading's safety on any text: success needs a text and no
// envelope error, and a failure word anywhere in a text, or a negation before it, undoes success.
func FuzzClassifyStatus(f *testing.F) {
	for _, row := range statusTable {
		f.Add(row.text, row.envError())
	}
	f.Fuzz(func(t *testing.T, text, envError string) {
		got := haptik.ClassifyStatus(text, envError)
		if got != haptik.StateSucceeded {
			return
		}
		if strings.TrimSpace(text) == "" || strings.TrimSpace(envError) != "" {
			t.Fatalf("ClassifyStatus(%q, %q) = succeeded", text, envError)
		}
		for _, worse := range []string{text + " error", text + "; failed at node a", "not " + text,
			text + " except row 2", text + " (partial)", "Error: " + text} {
			if s := haptik.ClassifyStatus(worse, envError); s != haptik.StateFailed {
				t.Fatalf("ClassifyStatus(%q) = %v, want failed: it reads %q as success", worse, s, text)
			}
		}
		if s := haptik.ClassifyStatus(text, "quota exceeded"); s != haptik.StateFailed {
			t.Fatalf("ClassifyStatus(%q, quota exceeded) = %v, want failed", text, s)
		}
	})
}

func TestFailureTextNamesAnEmptyStatus(t *testing.T) {
	s, c := newStatusServer(t)
	s.answer("t", statusRow{text: ""}.envelope(t))
	_, err := c.WaitForTask(context.Background(), "t", quickPoll)
	var failed *haptik.TaskFailedError
	if !errors.As(err, &failed) || failed.Status != "(an empty status text)" {
		t.Fatalf("err = %v, want a TaskFailedError naming the empty status", err)
	}
}

func TestFailureTextShowsTheEnvelopeError(t *testing.T) {
	s, c := newStatusServer(t)
	s.answer("t", statusRow{text: documentedSuccess, env: quotaErrorMessage}.envelope(t))
	st, err := c.WaitForTask(context.Background(), "t", quickPoll)
	var failed *haptik.TaskFailedError
	if !errors.As(err, &failed) || failed.Status != documentedSuccess+"; error: quota exceeded" {
		t.Fatalf("err = %v, want a TaskFailedError with the status text and the envelope's error", err)
	}
	if st.EnvelopeError != "quota exceeded" || st.Text != documentedSuccess {
		t.Fatalf("status = %+v, want the text and the envelope's error verbatim", st)
	}
}

func TestTaskStatusWithoutStatusIsAResponseError(t *testing.T) {
	s, c := newStatusServer(t)
	for name, body := range map[string]string{
		"no body":            `{"success":true,"error":""}`,
		"null body":          `{"success":true,"body":null}`,
		"body is an array":   `{"success":true,"body":[1]}`,
		"no status":          `{"success":true,"body":{}}`,
		"status is a number": `{"success":true,"body":{"status":7}}`,
	} {
		s.answer(taskID(name), []byte(body))
		_, err := c.TaskStatus(context.Background(), taskID(name))
		var re *haptik.ResponseError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "has no status") || re.StatusCode != 200 {
			t.Errorf("%s: err = %v, want a ResponseError of HTTP 200 saying there is no status", name, err)
		}
	}
}
