package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newServer(t *testing.T) (*Server, *clock, string) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := New(Config{Token: "tok", ClientID: "cid", Domains: []string{"dom"}, TaskDuration: 10 * time.Second, Now: clk.Now})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, clk, srv.URL
}

type result struct {
	status int
	body   map[string]any
	raw    string
}

func send(t *testing.T, method, url string, header http.Header, body io.Reader) result {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return result{resp.StatusCode, m, string(raw)}
}

func authed() http.Header {
	return http.Header{"Authorization": {"Bearer tok"}, "Client-Id": {"cid"}}
}

// form builds a multipart body; a nil csv leaves the file field out.
func form(t *testing.T, domain string, csv *string) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if domain != "" {
		_ = mw.WriteField("domain_name", domain)
	}
	if csv != nil {
		fw, _ := mw.CreateFormFile("csv_file", "faq.csv")
		_, _ = io.WriteString(fw, *csv)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// upload sends csv to the domain "dom".
func upload(t *testing.T, url, csv string) result {
	t.Helper()
	body, ct := form(t, "dom", &csv)
	h := authed()
	h.Set("Content-Type", ct)
	return send(t, http.MethodPost, url+uploadPath, h, body)
}

func status(t *testing.T, url, id string) string {
	t.Helper()
	r := send(t, http.MethodGet, url+uploadPath+"status/"+id+"/", authed(), nil)
	if r.status != 200 {
		t.Fatalf("status: HTTP %d %s", r.status, r.raw)
	}
	return r.body["body"].(map[string]any)["status"].(string)
}

func taskID(t *testing.T, r result) string {
	t.Helper()
	if r.status != 200 || r.body["success"] != true {
		t.Fatalf("upload: HTTP %d %s", r.status, r.raw)
	}
	return r.body["body"].(map[string]any)["task_id"].(string)
}

func TestAuthErrors(t *testing.T) {
	_, _, url := newServer(t)
	cases := []struct {
		header http.Header
		status int
		msg    string
	}{
		{http.Header{"Client-Id": {"cid"}}, 401, "token missing in headers"},
		{http.Header{"Authorization": {"Token tok"}, "Client-Id": {"cid"}}, 401, "invalid authorization in headers"},
		{http.Header{"Authorization": {"Bearer nope"}, "Client-Id": {"cid"}}, 401, "invalid token provided"},
		{http.Header{"Authorization": {"Bearer tok"}}, 401, "client_id missing in headers"},
		{http.Header{"Authorization": {"Bearer tok"}, "Client-Id": {"other"}}, 403, "invalid client_id in headers"},
	}
	for _, tc := range cases {
		for _, path := range []string{uploadPath, uploadPath + "status/x/"} {
			method := http.MethodGet
			if path == uploadPath {
				method = http.MethodPost
			}
			r := send(t, method, url+path, tc.header, nil)
			if r.status != tc.status || r.body["error_message"] != tc.msg {
				t.Errorf("%s %s with %v: HTTP %d %s, want %d %q", method, path, tc.header, r.status, r.raw, tc.status, tc.msg)
			}
		}
	}
}

func TestUploadValidation(t *testing.T) {
	s, _, url := newServer(t)
	good := "node_name,question,answer\nn,q,a\n"
	cases := []struct {
		name, domain string
		csv          *string
		msg          string
	}{
		{"unknown domain", "nope", &good, "invalid doman"},
		{"no domain", "", &good, "domain_name missing in the request"},
		{"no file", "dom", nil, "csv_file missing in the request"},
		{"wrong header", "dom", ptr("name,question,answer\nn,q,a\n"), "invalid csv file: the header row"},
		{"empty file", "dom", ptr(""), "invalid csv file: the file is empty"},
		{"two fields", "dom", ptr("node_name,question,answer\nn,q\n"), "invalid csv file: line 2: 2 fields"},
		{"bad quoting", "dom", ptr("node_name,question,answer\nn,\"q,a\n"), "invalid csv file:"},
		{"empty name", "dom", ptr("node_name,question,answer\n ,q,a\n"), "invalid csv file: line 2: node_name is empty"},
		{"duplicate", "dom", ptr("node_name,question,answer\nn,q,a\nn,q2,a2\n"), "invalid csv file: line 3: node_name \"n\" repeats the node of line 2"},
		{"empty answer", "dom", ptr("node_name,question,answer\nn,q,\n"), "invalid csv file: line 2: node \"n\" has an empty question or answer"},
	}
	for _, tc := range cases {
		body, ct := form(t, tc.domain, tc.csv)
		h := authed()
		h.Set("Content-Type", ct)
		r := send(t, http.MethodPost, url+uploadPath, h, body)
		if msg, _ := r.body["error_message"].(string); r.status != 400 || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s: HTTP %d %s, want 400 %q", tc.name, r.status, r.raw, tc.msg)
		}
	}
	h := authed()
	h.Set("Content-Type", "multipart/form-data; boundary=xyz")
	if r := send(t, http.MethodPost, url+uploadPath, h, strings.NewReader("garbage")); r.status != 400 {
		t.Errorf("malformed multipart: HTTP %d %s", r.status, r.raw)
	}
	if n := len(s.AcceptedUploads("dom")); n != 0 {
		t.Fatalf("%d uploads accepted", n)
	}
	if n := len(s.Uploads()); n != len(cases)+1 {
		t.Fatalf("%d uploads recorded, want every one (%d)", n, len(cases)+1)
	}
}

func ptr(s string) *string { return &s }

func TestTaskLifecycleAndUpsert(t *testing.T) {
	s, clk, url := newServer(t)
	id := taskID(t, upload(t, url, "node_name,question,answer\na,q1|q2,x<m>y\nb,q,\"multi\nline\"\n"))
	if got := status(t, url, id); got != InProgressStatus {
		t.Fatalf("status %q", got)
	}
	if n := len(s.Nodes("dom")); n != 0 {
		t.Fatalf("nodes exist before the task finished: %d", n)
	}
	clk.Add(10 * time.Second)
	if got := status(t, url, id); got != SuccessStatus {
		t.Fatalf("status %q", got)
	}
	nodes := s.ActiveNodes("dom")
	if len(nodes) != 2 || strings.Join(nodes[0].UserSays, "/") != "q1/q2" || strings.Join(nodes[0].BotSays, "/") != "x/y" || nodes[1].BotSays[0] != "multi\nline" {
		t.Fatalf("nodes %+v", nodes)
	}

	// The next upload names only b: a is deactivated, b updated, c created.
	taskID(t, upload(t, url, "node_name,question,answer\nb,new,answer\nc,q,a\n"))
	clk.Add(10 * time.Second)
	all := s.Nodes("dom")
	if len(all) != 3 || all[0].Active || !all[1].Active || all[1].UserSays[0] != "new" || !all[2].Active {
		t.Fatalf("after upsert %+v", all)
	}

	// A header-only CSV deactivates everything.
	taskID(t, upload(t, url, "node_name,question,answer\r\n"))
	clk.Add(10 * time.Second)
	if n := len(s.ActiveNodes("dom")); n != 0 {
		t.Fatalf("%d nodes active after a header-only upload", n)
	}
}

func TestTasksOfADomainCompleteInOrder(t *testing.T) {
	s, clk, url := newServer(t)
	first := taskID(t, upload(t, url, "node_name,question,answer\nold,q,a\n"))
	s.SetTaskDuration(0)
	second := taskID(t, upload(t, url, "node_name,question,answer\nnew,q,a\n"))
	if got := status(t, url, second); got != InProgressStatus {
		t.Fatalf("the second task finished before the first: %q", got)
	}
	clk.Add(10 * time.Second)
	if status(t, url, first) != SuccessStatus || status(t, url, second) != SuccessStatus {
		t.Fatal("tasks did not finish")
	}
	if a := s.ActiveNodes("dom"); len(a) != 1 || a[0].Name != "new" {
		t.Fatalf("active %+v, want the later upload's content", a)
	}
}

func TestTaskFaults(t *testing.T) {
	s, clk, url := newServer(t)
	taskID(t, upload(t, url, "node_name,question,answer\nkeep,q,a\n"))
	clk.Add(10 * time.Second)

	s.FailNextTask(TaskFault{Message: "Error at node b"})
	id := taskID(t, upload(t, url, "node_name,question,answer\na,q,a\nb,q,a\n"))
	clk.Add(10 * time.Second)
	if got := status(t, url, id); got != "Error at node b" {
		t.Fatalf("status %q", got)
	}
	if a := s.ActiveNodes("dom"); len(a) != 1 || a[0].Name != "keep" {
		t.Fatalf("a failed task changed the domain: %+v", a)
	}

	s.FailNextTask(TaskFault{Message: "Error at node b", Partial: true, AppliedRows: 1})
	id = taskID(t, upload(t, url, "node_name,question,answer\na,q,a\nb,q,a\n"))
	clk.Add(10 * time.Second)
	status(t, url, id)
	if a := s.ActiveNodes("dom"); len(a) != 1 || a[0].Name != "a" {
		t.Fatalf("a partial failure should leave exactly the rows before the failing one: %+v", a)
	}
}

func TestUploadFaults(t *testing.T) {
	s, _, url := newServer(t)
	s.FailUploads(UploadFault{Status: 429, Message: "slow down", RetryAfter: "3", Count: 2})
	s.FailUploads(UploadFault{Status: 502, RawBody: "<html>bad gateway</html>"})
	for _, want := range []int{429, 429, 502, 200} {
		if r := upload(t, url, "node_name,question,answer\nn,q,a\n"); r.status != want {
			t.Fatalf("HTTP %d %s, want %d", r.status, r.raw, want)
		}
	}
}

func TestLegacyStatusPath(t *testing.T) {
	_, _, url := newServer(t)
	id := taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	r := send(t, http.MethodGet, url+uploadPath+"status"+id, authed(), nil)
	if r.status != 200 || r.body["body"].(map[string]any)["status"] != InProgressStatus {
		t.Fatalf("HTTP %d %s", r.status, r.raw)
	}
	if r := send(t, http.MethodGet, url+uploadPath+"status/unknown/", authed(), nil); r.status != 400 || r.body["error_message"] != "invalid task_id" {
		t.Fatalf("unknown task: HTTP %d %s", r.status, r.raw)
	}
}

func TestInspectionAndFaultEndpoints(t *testing.T) {
	s, clk, url := newServer(t)
	r := send(t, http.MethodPost, url+"/_emulator/faults", nil,
		strings.NewReader(`{"upload":[{"status":503,"message":"down"}],"task":[{"message":"boom"}],"task_duration":"1s"}`))
	if r.status != http.StatusNoContent {
		t.Fatalf("faults: HTTP %d %s", r.status, r.raw)
	}
	if r := upload(t, url, "node_name,question,answer\nn,q,a\n"); r.status != 503 {
		t.Fatalf("HTTP %d", r.status)
	}
	id := taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	clk.Add(time.Second)
	if got := status(t, url, id); got != "boom" {
		t.Fatalf("status %q", got)
	}
	ups := send(t, http.MethodGet, url+"/_emulator/uploads?domain=dom", nil, nil)
	if list := ups.body["uploads"].([]any); len(list) != 2 {
		t.Fatalf("uploads %s", ups.raw)
	}
	reqs := send(t, http.MethodGet, url+"/_emulator/requests", nil, nil)
	if list := reqs.body["requests"].([]any); len(list) != 3 {
		t.Fatalf("requests %s", reqs.raw)
	}
	taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	clk.Add(time.Second)
	d := send(t, http.MethodGet, url+"/_emulator/domains/dom", nil, nil)
	if nodes := d.body["nodes"].([]any); len(nodes) != 1 || nodes[0].(map[string]any)["active"] != true {
		t.Fatalf("domain %s", d.raw)
	}
	if r := send(t, http.MethodPost, url+"/_emulator/reset", nil, nil); r.status != http.StatusNoContent || len(s.Uploads()) != 0 {
		t.Fatalf("reset: HTTP %d, %d uploads left", r.status, len(s.Uploads()))
	}
}

func TestStatusFaults(t *testing.T) {
	s, _, url := newServer(t)
	id := taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	s.FailStatus(StatusFault{Status: 503, Message: "down", Count: 2})
	s.FailStatus(StatusFault{Reset: true})
	s.FailStatus(StatusFault{Status: 502, RawBody: "<html>proxy</html>"})
	s.FailStatus(StatusFault{DelayMS: 50})
	statusURL := url + uploadPath + "status/" + id + "/"
	for _, want := range []int{503, 503} {
		if r := send(t, http.MethodGet, statusURL, authed(), nil); r.status != want {
			t.Fatalf("HTTP %d, want %d", r.status, want)
		}
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, statusURL, nil)
	req.Header = authed()
	// A fresh connection, so the transport cannot quietly retry the request on another one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("a reset connection answered HTTP %d", resp.StatusCode)
	}
	if r := send(t, http.MethodGet, statusURL, authed(), nil); r.status != 502 || r.raw != "<html>proxy</html>" {
		t.Fatalf("HTTP %d %q", r.status, r.raw)
	}
	start := time.Now()
	if got := status(t, url, id); got != InProgressStatus || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("a delayed status answered %q after %s", got, time.Since(start))
	}
}

func TestStatsRecordOverlaps(t *testing.T) {
	s, clk, url := newServer(t)
	taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	if st := s.Stats(); st.Overlaps != 1 || st.MaxInFlight != 2 {
		t.Fatalf("stats %+v, want one overlap and two in flight", st)
	}
	clk.Add(time.Minute)
	taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	if st := s.Stats(); st.Overlaps != 1 || st.MaxInFlight != 2 {
		t.Fatalf("an upload after the tasks finished counted as overlapping: %+v", st)
	}
}

func TestFinishRunningTasks(t *testing.T) {
	s, _, url := newServer(t)
	id := taskID(t, upload(t, url, "node_name,question,answer\nn,q,a\n"))
	s.FinishRunningTasks()
	if got := status(t, url, id); got != SuccessStatus {
		t.Fatalf("status %q", got)
	}
}

// Completions is the record of every moment a domain's content changed: each task's end, with the
// rows it applied and the active nodes after it.
func TestCompletionsRecordActiveNodes(t *testing.T) {
	s, clk, url := newServer(t)
	first := taskID(t, upload(t, url, "node_name,question,answer\na,q,a\nb,q,a\n"))
	if c := s.Completions("dom"); len(c) != 0 {
		t.Fatalf("a running task is recorded as ended: %+v", c)
	}
	clk.Add(10 * time.Second)
	s.FailNextTask(TaskFault{Message: "Error at node b"})
	failed := taskID(t, upload(t, url, "node_name,question,answer\nc,q,a\n"))
	clk.Add(10 * time.Second)
	empty := taskID(t, upload(t, url, "node_name,question,answer\n"))
	clk.Add(10 * time.Second)
	got := s.Completions("dom")
	want := []Completion{
		{Seq: 1, TaskID: first, Domain: "dom", Status: SuccessStatus, Rows: 2, ActiveNodes: 2},
		{Seq: 2, TaskID: failed, Domain: "dom", Status: "Error at node b", Rows: 0, ActiveNodes: 2},
		{Seq: 3, TaskID: empty, Domain: "dom", Status: SuccessStatus, Rows: 0, ActiveNodes: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("completions %+v", got)
	}
	for i := range want {
		got[i].At = time.Time{}
		if got[i] != want[i] {
			t.Errorf("completion %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(s.Completions("other")) != 0 || len(s.Completions("")) != 3 {
		t.Error("the domain filter")
	}
	r := send(t, http.MethodGet, url+"/_emulator/completions?domain=dom", nil, nil)
	if r.status != http.StatusOK || !strings.Contains(r.raw, `"active_nodes":0`) {
		t.Errorf("GET /_emulator/completions: %d %s", r.status, r.raw)
	}
}
