package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func pending(s *Server) []queuedFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.faults.pending)
}

func taskDuration(s *Server) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.TaskDuration
}

func TestFaultQueueConsumesEachKindInOrder(t *testing.T) {
	var q faultQueue
	push(&q, uploadFaults, UploadFault{Status: 500, Count: 2})
	push(&q, statusFaults, StatusFault{Status: 503})
	push(&q, uploadFaults, UploadFault{Status: 502})
	push(&q, taskFaults, TaskFault{Message: "first"})
	push(&q, taskFaults, TaskFault{Message: "second"})

	// A status request takes the status fault, though upload faults were queued before it.
	if f, ok := take(&q, statusFaults); !ok || f.Status != 503 {
		t.Fatalf("status: %+v %v", f, ok)
	}
	if _, ok := take(&q, statusFaults); ok {
		t.Fatal("a status fault was used twice")
	}
	var got []int
	for f, ok := take(&q, uploadFaults); ok; f, ok = take(&q, uploadFaults) {
		got = append(got, f.Status)
	}
	if !slices.Equal(got, []int{500, 500, 502}) {
		t.Fatalf("uploads consumed %v, want [500 500 502]", got)
	}
	for _, want := range []string{"first", "second"} {
		if f, ok := take(&q, taskFaults); !ok || f.Message != want {
			t.Fatalf("task: %+v %v, want %q", f, ok, want)
		}
	}
	if len(q.pending) != 0 {
		t.Fatalf("left pending: %+v", q.pending)
	}
}

func TestFaultQueueCountsAtLeastOneUse(t *testing.T) {
	var q faultQueue
	push(&q, uploadFaults, UploadFault{Status: 500})            // Count 0: one use
	push(&q, uploadFaults, UploadFault{Status: 501, Count: -3}) // nonsense: still one use
	push(&q, uploadFaults, UploadFault{Status: 502, Count: 3})
	var got []int
	for f, ok := take(&q, uploadFaults); ok; f, ok = take(&q, uploadFaults) {
		got = append(got, f.Status)
	}
	if !slices.Equal(got, []int{500, 501, 502, 502, 502}) {
		t.Fatalf("consumed %v", got)
	}
}

// Two kinds of the same Go type (upload and chat faults are both UploadFault) are separate queues.
func TestFaultQueueKindsOfOneTypeAreSeparate(t *testing.T) {
	var q faultQueue
	push(&q, chatFaults, UploadFault{Status: 429})
	push(&q, uploadFaults, UploadFault{Status: 500})
	if f, ok := take(&q, uploadFaults); !ok || f.Status != 500 {
		t.Fatalf("upload took %+v %v", f, ok)
	}
	if _, ok := take(&q, uploadFaults); ok {
		t.Fatal("an upload consumed a chat fault")
	}
	if f, ok := take(&q, chatFaults); !ok || f.Status != 429 {
		t.Fatalf("chat took %+v %v", f, ok)
	}
}

// Each kind of fault is consumed only by the requests it matches: a status request leaves upload
// and task faults queued, an upload refused by an upload fault leaves the task fault for the next
// accepted upload.
func TestFaultsAreConsumedOnlyByTheirRequests(t *testing.T) {
	s, clk, url := newServer(t)
	s.FailNextTask(TaskFault{Message: "Error at node n"})
	s.FailUploads(UploadFault{Status: 503, Message: "down"})
	s.FailStatus(StatusFault{Status: 502, Message: "bad gateway"})
	s.FailChats(UploadFault{Status: 500, Message: "chat down"})

	if r := send(t, http.MethodGet, url+uploadPath+"status/x/", authed(), nil); r.status != 502 {
		t.Fatalf("status: HTTP %d %s", r.status, r.raw)
	}
	if r := upload(t, url, "node_name,question,answer\nn,q,a\n"); r.status != 503 {
		t.Fatalf("first upload: HTTP %d %s", r.status, r.raw)
	}
	id := taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	clk.Add(10 * time.Second)
	if got := status(t, url, id); got != "Error at node n" {
		t.Fatalf("the accepted upload's task: %q, want the queued task fault", got)
	}
	if r := handoff(t, url, authed(), `{}`); r.status != 500 || r.body["error_message"] != "chat down" {
		t.Fatalf("chat: HTTP %d %s", r.status, r.raw)
	}
	if p := pending(s); len(p) != 0 {
		t.Fatalf("left pending: %+v", p)
	}
}

func postFaults(t *testing.T, url, body string) result {
	t.Helper()
	return send(t, http.MethodPost, url+"/_emulator/faults", nil, strings.NewReader(body))
}

func TestFaultsEndpointQueuesEveryKind(t *testing.T) {
	s, _, url := newServer(t)
	r := postFaults(t, url, `{"upload":[{"status":500,"count":2}],"status":[{"status":503}],
		"task":[{"message":"boom","partial":true,"applied_rows":1}],"chat":[{"status":429,"retry_after":"1"}],
		"task_duration":"3s"}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("HTTP %d %s", r.status, r.raw)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := take(&s.faults, chatFaults); !ok || f.Status != 429 || f.RetryAfter != "1" {
		t.Fatalf("chat fault %+v %v", f, ok)
	}
	if f, ok := take(&s.faults, taskFaults); !ok || f != (TaskFault{Message: "boom", Partial: true, AppliedRows: 1}) {
		t.Fatalf("task fault %+v %v", f, ok)
	}
	if s.cfg.TaskDuration.String() != "3s" {
		t.Fatalf("task duration %s", s.cfg.TaskDuration)
	}
}

// A body with any mistake in it is refused whole: nothing of it is queued.
func TestFaultsEndpointRefusesMistakes(t *testing.T) {
	s, _, url := newServer(t)
	for _, body := range []string{
		`{"uploads":[{"status":500}]}`,                         // unknown kind
		`{"upload":[{"status":500}],"status":[{"staus":503}]}`, // misspelled field
		`{"upload":[{"status":500}],"task_duration":"soon"}`,   // bad duration
		`{"upload":{"status":500}}`,                            // not a list
		`{"upload":[]} {}`,                                     // two values
		``,
	} {
		r := postFaults(t, url, body)
		if msg, _ := r.body["error_message"].(string); r.status != http.StatusBadRequest || !strings.HasPrefix(msg, "invalid faults: ") {
			t.Errorf("%s: HTTP %d %s, want 400 invalid faults", body, r.status, r.raw)
		}
	}
	if p := pending(s); len(p) != 0 {
		t.Fatalf("a refused body queued faults: %+v", p)
	}
	if d := taskDuration(s); d != 10*time.Second {
		t.Fatalf("a refused body changed the task duration to %s", d)
	}
	if r := postFaults(t, url, `{"uploads":[]}`); !strings.Contains(r.raw, "upload, status, task, late, chat and task_duration") {
		t.Errorf("an unknown key's error does not list the keys: %s", r.raw)
	}
}

// domainRecord is the domain as GET /_emulator/domains/{name} shows it.
func domainRecord(t *testing.T, url, name string) []Node {
	t.Helper()
	r := send(t, http.MethodGet, url+"/_emulator/domains/"+name, nil, nil)
	var v DomainView
	if err := json.Unmarshal([]byte(r.raw), &v); r.status != http.StatusOK || err != nil {
		t.Fatalf("domain %s: HTTP %d %s (%v)", name, r.status, r.raw, err)
	}
	return v.Nodes
}

// expectRecord checks both the Go and the HTTP view of the domain "dom" against want.
func expectRecord(t *testing.T, s *Server, url string, want []Node) {
	t.Helper()
	if got := s.Nodes("dom"); !reflect.DeepEqual(got, want) {
		t.Fatalf("Nodes:\n got %+v\nwant %+v", got, want)
	}
	if got := domainRecord(t, url, "dom"); !reflect.DeepEqual(got, want) {
		t.Fatalf("/_emulator/domains/dom:\n got %+v\nwant %+v", got, want)
	}
	var active []Node
	for _, n := range want {
		if n.Active {
			active = append(active, n)
		}
	}
	if got := s.ActiveNodes("dom"); !reflect.DeepEqual(got, active) {
		t.Fatalf("ActiveNodes:\n got %+v\nwant %+v", got, active)
	}
}

func node(name, says, bot string, active bool) Node {
	return Node{Name: name, UserSays: []string{says}, BotSays: []string{bot}, Active: active}
}

// A partial apply deactivates the domain's nodes, applies the first rows and fails: the record
// shows exactly that half-applied domain, and only once the task has finished.
func TestPartialApplyLeavesTheDomainHalfApplied(t *testing.T) {
	cases := []struct {
		name    string
		applied int
		want    []Node
	}{
		{"stops at the third row", 2, []Node{
			node("a", "qa", "old a", false), node("b", "qb2", "new b", true),
			node("c", "qc", "old c", false), node("d", "qd", "new d", true),
		}},
		{"stops at the first row", 0, []Node{
			node("a", "qa", "old a", false), node("b", "qb", "old b", false), node("c", "qc", "old c", false),
		}},
		{"fails after the last row", 5, []Node{
			node("a", "qa2", "new a", true), node("b", "qb2", "new b", true),
			node("c", "qc", "old c", false), node("d", "qd", "new d", true),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, clk, url := newServer(t)
			taskID(t, upload(t, url, "node_name,question,answer\na,qa,old a\nb,qb,old b\nc,qc,old c\n"))
			clk.Add(10 * time.Second)
			before := s.Nodes("dom")

			if r := postFaults(t, url, fmt.Sprintf(`{"task":[{"message":"Error at node a: answer too long","partial":true,"applied_rows":%d}]}`,
				tc.applied)); r.status != http.StatusNoContent {
				t.Fatalf("faults: HTTP %d %s", r.status, r.raw)
			}
			id := taskID(t, upload(t, url, "node_name,question,answer\nb,qb2,new b\nd,qd,new d\na,qa2,new a\n"))
			clk.Add(5 * time.Second)
			if got := status(t, url, id); got != InProgressStatus {
				t.Fatalf("status %q", got)
			}
			expectRecord(t, s, url, before)

			clk.Add(5 * time.Second)
			if got := status(t, url, id); got != "Error at node a: answer too long" {
				t.Fatalf("status %q", got)
			}
			expectRecord(t, s, url, tc.want)

			// Uploading the whole CSV again repairs the domain.
			taskID(t, upload(t, url, "node_name,question,answer\nb,qb2,new b\nd,qd,new d\na,qa2,new a\n"))
			clk.Add(10 * time.Second)
			expectRecord(t, s, url, []Node{
				node("a", "qa2", "new a", true), node("b", "qb2", "new b", true),
				node("c", "qc", "old c", false), node("d", "qd", "new d", true),
			})
		})
	}
}

// A late task stays In Progress past a client's patience and then succeeds; its content appears
// only then.
func TestLateFinishAppliesTheContentWhenTheTaskFinishes(t *testing.T) {
	s, clk, url := newServer(t)
	taskID(t, upload(t, url, "node_name,question,answer\nkeep,q,old\n"))
	clk.Add(10 * time.Second)
	old := []Node{node("keep", "q", "old", true)}

	s.FinishNextTaskAfter(time.Hour)
	id := taskID(t, upload(t, url, "node_name,question,answer\nnew,q,a\n"))
	clk.Add(59 * time.Minute)
	if got := status(t, url, id); got != InProgressStatus {
		t.Fatalf("status after 59m: %q", got)
	}
	expectRecord(t, s, url, old)

	clk.Add(time.Minute)
	if got := status(t, url, id); got != SuccessStatus {
		t.Fatalf("status after 1h: %q", got)
	}
	expectRecord(t, s, url, []Node{node("keep", "q", "old", false), node("new", "q", "a", true)})
}

// Only the next task is late, and a domain's tasks still finish in upload order: the domain ends
// with the later upload's content whichever task was late.
func TestLateFinishIsOneTaskAndKeepsUploadOrder(t *testing.T) {
	t.Run("the earlier upload is late", func(t *testing.T) {
		s, clk, url := newServer(t)
		s.FinishNextTaskAfter(time.Hour)
		first := taskID(t, upload(t, url, "node_name,question,answer\nfirst,q,a\n"))
		second := taskID(t, upload(t, url, "node_name,question,answer\nsecond,q,a\n"))
		if tk, _ := s.Task(second); tk.ReadyAt.Sub(tk.CreatedAt) != 10*time.Second {
			t.Fatalf("the task after the late one takes %s, want the task duration", tk.ReadyAt.Sub(tk.CreatedAt))
		}
		clk.Add(10 * time.Second)
		if got := status(t, url, second); got != InProgressStatus {
			t.Fatalf("the second task finished before the late first one: %q", got)
		}
		expectRecord(t, s, url, []Node{})
		clk.Add(time.Hour)
		if status(t, url, first) != SuccessStatus || status(t, url, second) != SuccessStatus {
			t.Fatal("the tasks did not finish")
		}
		expectRecord(t, s, url, []Node{node("first", "q", "a", false), node("second", "q", "a", true)})
	})
	t.Run("the later upload is late", func(t *testing.T) {
		s, clk, url := newServer(t)
		first := taskID(t, upload(t, url, "node_name,question,answer\nfirst,q,a\n"))
		s.FinishNextTaskAfter(time.Hour)
		second := taskID(t, upload(t, url, "node_name,question,answer\nsecond,q,a\n"))
		clk.Add(10 * time.Second)
		if status(t, url, first) != SuccessStatus || status(t, url, second) != InProgressStatus {
			t.Fatal("want the first task done and the late second one running")
		}
		expectRecord(t, s, url, []Node{node("first", "q", "a", true)})
		clk.Add(time.Hour)
		if got := status(t, url, second); got != SuccessStatus {
			t.Fatalf("status %q", got)
		}
		expectRecord(t, s, url, []Node{node("first", "q", "a", false), node("second", "q", "a", true)})
	})
}

// Through the endpoint, a late finish combines with a task fault: the task stays In Progress,
// then fails part-way.
func TestLateFinishThroughTheEndpoint(t *testing.T) {
	s, clk, url := newServer(t)
	r := postFaults(t, url, `{"late":[{"after":"30m"}],"task":[{"message":"Error at node b","partial":true,"applied_rows":1}]}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("faults: HTTP %d %s", r.status, r.raw)
	}
	id := taskID(t, upload(t, url, "node_name,question,answer\na,q,a\nb,q,b\n"))
	clk.Add(29 * time.Minute)
	if got := status(t, url, id); got != InProgressStatus {
		t.Fatalf("status %q", got)
	}
	expectRecord(t, s, url, []Node{})
	clk.Add(time.Minute)
	if got := status(t, url, id); got != "Error at node b" {
		t.Fatalf("status %q", got)
	}
	expectRecord(t, s, url, []Node{node("a", "q", "a", true)})

	for _, body := range []string{`{"late":[{}]}`, `{"late":[{"after":"-1s"}]}`, `{"late":[{"after":"soon"}]}`,
		`{"late":[{"after":"1s","count":2}]}`, `{"late":["1s"]}`} {
		if r := postFaults(t, url, body); r.status != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d %s, want 400", body, r.status, r.raw)
		}
	}
	if p := pending(s); len(p) != 0 {
		t.Fatalf("refused bodies queued %+v", p)
	}
}
