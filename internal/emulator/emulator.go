// Package emulator is a local stand-in for Haptik's FAQ and chat APIs, faithful to what Haptik
// documents (see shared/haptik-api.md in the project): the CSV upload with its auth and validation
// errors, asynchronous tasks polled through the status endpoint, upsert semantics in which every
// upload deactivates the nodes it does not name, and the chat handoff and chat history APIs with
// every documented error message.
//
// Besides Haptik's own paths it serves /_emulator/... for inspection (each domain's nodes, every
// upload and request received) and fault injection. Tests use the same things through Go methods.
//
// Faults wait in one queue and are consumed in order by the requests they match (faults.go):
// failing uploads (FailUploads), failing, slow or reset status requests (FailStatus), tasks that
// fail, leaving the domain untouched or half-applied (FailNextTask, TaskFault.Partial), a task that
// finishes late (FinishNextTaskAfter), and failing chat requests (FailChats). A task's content is
// applied when the task finishes, never at upload, and a domain's tasks finish in upload order.
//
// The emulator parses uploads with encoding/csv, never with the provider's renderer, so that a
// rendering mistake shows up as a difference.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Haptik's paths.
const (
	uploadPath = "/mogambo_api/nodes/faq/create/"
)

// SuccessStatus is the status text of a task that processed every row (Haptik's own wording).
const SuccessStatus = "all nodes has been created successfully"

// InProgressStatus is the status text of a task still running.
const InProgressStatus = "In Progress"

// Config configures a Server.
type Config struct {
	// Token and ClientID are the only credentials accepted.
	Token    string
	ClientID string
	// Domains lists the domains that exist; an upload to any other is refused with HTTP 400.
	// Empty means every domain exists.
	Domains []string
	// TaskDuration is how long each task stays In Progress.
	TaskDuration time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// SeedChats, when true, starts the chat APIs with the sample account of SeedChats (and keeps
	// it across Reset).
	SeedChats bool
}

// Node is one FAQ node as the emulator holds it.
type Node struct {
	Name     string   `json:"name"`
	UserSays []string `json:"user_says"`
	BotSays  []string `json:"bot_says"`
	Active   bool     `json:"active"`
}

// Upload records one request to the upload endpoint, accepted or not.
type Upload struct {
	Seq        int       `json:"seq"`
	Domain     string    `json:"domain"`
	CSV        string    `json:"csv"`
	HTTPStatus int       `json:"http_status"`
	Error      string    `json:"error,omitempty"`
	TaskID     string    `json:"task_id,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
}

// Request records one request to any of Haptik's paths.
type Request struct {
	Method     string `json:"method"`
	Path       string `json:"path"`
	HTTPStatus int    `json:"http_status"`
	UserAgent  string `json:"user_agent"`
}

// Task is an upload task.
type Task struct {
	ID        string    `json:"id"`
	Domain    string    `json:"domain"`
	Status    string    `json:"status"`
	Done      bool      `json:"done"`
	CreatedAt time.Time `json:"created_at"`
	ReadyAt   time.Time `json:"ready_at"`
	Polls     int       `json:"polls"`

	rows  []Node
	fault *TaskFault
}

// Completion records one task ending, and what its domain held afterwards: the record of every
// moment a domain's content changed, since content changes only when a task ends.
type Completion struct {
	Seq    int    `json:"seq"`
	TaskID string `json:"task_id"`
	Domain string `json:"domain"`
	Status string `json:"status"`
	// Rows is how many rows the task applied (0 for a header-only CSV, or a task that failed
	// before any row).
	Rows int `json:"rows"`
	// ActiveNodes is how many of the domain's nodes were active once the task ended.
	ActiveNodes int       `json:"active_nodes"`
	At          time.Time `json:"at"`
}

// Stats records how uploads overlapped.
type Stats struct {
	// Overlaps counts uploads accepted for a domain while an earlier task of that domain was
	// still running.
	Overlaps int `json:"overlaps"`
	// MaxInFlight is the most tasks running at once, across all domains.
	MaxInFlight int `json:"max_in_flight"`
}

// Server is an emulated Haptik account. It is an http.Handler and safe for concurrent use.
type Server struct {
	mu         sync.Mutex
	cfg        Config
	known      map[string]bool
	domains    map[string]map[string]*Node
	tasks      map[string]*Task
	order      []*Task
	uploads    []Upload
	requests   []Request
	completed  []Completion
	faults     faultQueue
	stats      Stats
	businesses map[int64]bool // business id → active
	teams      map[string]bool
	chats      map[chatKey]*chatUser
	handoffs   []Handoff
	mux        *http.ServeMux
}

// New returns a Server with no content.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg}
	s.resetLocked()
	if cfg.SeedChats {
		s.SeedChats()
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+uploadPath, s.api(s.checkAuth, s.handleUpload))
	s.mux.HandleFunc("GET "+uploadPath, s.api(s.checkAuth, s.handleStatus))
	s.mux.HandleFunc("POST "+handoffPath, s.api(s.checkAuth, s.handleHandoff))
	s.mux.HandleFunc("GET "+chatHistoryPath, s.api(s.checkHistoryAuth, s.handleChatHistory))
	s.registerInspection()
	return s
}

func (s *Server) resetLocked() {
	s.known = map[string]bool{}
	for _, d := range s.cfg.Domains {
		s.known[d] = true
	}
	s.domains = map[string]map[string]*Node{}
	s.tasks = map[string]*Task{}
	s.order = nil
	s.uploads = nil
	s.requests = nil
	s.completed = nil
	s.faults = faultQueue{}
	s.stats = Stats{}
	s.businesses = map[int64]bool{}
	s.teams = map[string]bool{}
	s.chats = map[chatKey]*chatUser{}
	s.handoffs = nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Reset forgets all content, uploads, requests, chats, handoffs and pending faults (and seeds the
// sample chats again when Config.SeedChats is set).
func (s *Server) Reset() {
	s.mu.Lock()
	s.resetLocked()
	s.mu.Unlock()
	if s.cfg.SeedChats {
		s.SeedChats()
	}
}

// SetTaskDuration changes how long tasks created from now on stay In Progress: every one of them,
// until it is set again. FinishNextTaskAfter makes only the next task late.
func (s *Server) SetTaskDuration(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.TaskDuration = d
}

// FinishRunningTasks makes every task that is still running finish now.
func (s *Server) FinishRunningTasks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	for _, t := range s.order {
		if !t.Done && t.ReadyAt.After(now) {
			t.ReadyAt = now
		}
	}
	s.advanceLocked()
}

// Stats returns how uploads overlapped so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Nodes returns every node the domain has ever had, active or not, sorted by name.
func (s *Server) Nodes(domain string) []Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceLocked()
	return s.nodesLocked(domain)
}

func (s *Server) nodesLocked(domain string) []Node {
	out := make([]Node, 0, len(s.domains[domain]))
	for _, n := range s.domains[domain] {
		out = append(out, cloneNode(*n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ActiveNodes returns the domain's active nodes, sorted by name.
func (s *Server) ActiveNodes(domain string) []Node {
	var out []Node
	for _, n := range s.Nodes(domain) {
		if n.Active {
			out = append(out, n)
		}
	}
	return out
}

// Uploads returns every upload received, in order.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// AcceptedUploads returns the uploads to domain that Haptik accepted (a task was created), in order.
func (s *Server) AcceptedUploads(domain string) []Upload {
	var out []Upload
	for _, u := range s.Uploads() {
		if u.Domain == domain && u.TaskID != "" {
			out = append(out, u)
		}
	}
	return out
}

// Requests returns every request received on Haptik's paths, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Task returns a task by id.
func (s *Server) Task(id string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceLocked()
	t, ok := s.tasks[id]
	if !ok {
		return Task{}, false
	}
	return *t, true
}

// advanceLocked completes every task whose time has come, in the order the tasks were created;
// a task waits for earlier tasks of its domain, as a per-domain worker queue would.
func (s *Server) advanceLocked() {
	now := s.cfg.Now()
	blocked := map[string]bool{}
	for _, t := range s.order {
		if t.Done {
			continue
		}
		if blocked[t.Domain] || now.Before(t.ReadyAt) {
			blocked[t.Domain] = true
			continue
		}
		s.completeLocked(t)
	}
}

func (s *Server) completeLocked(t *Task) {
	t.Done = true
	rows := t.rows
	defer func() { s.recordCompletionLocked(t, len(rows)) }()
	if f := t.fault; f != nil {
		t.Status = f.Message
		if !f.Partial {
			rows = nil
			return
		}
		rows = rows[:min(max(f.AppliedRows, 0), len(rows))]
	} else {
		t.Status = SuccessStatus
	}
	nodes := s.domains[t.Domain]
	if nodes == nil {
		nodes = map[string]*Node{}
		s.domains[t.Domain] = nodes
	}
	for _, n := range nodes {
		n.Active = false
	}
	for _, r := range rows {
		n := cloneNode(r)
		n.Active = true
		nodes[n.Name] = &n
	}
}

func (s *Server) recordCompletionLocked(t *Task, rows int) {
	active := 0
	for _, n := range s.domains[t.Domain] {
		if n.Active {
			active++
		}
	}
	s.completed = append(s.completed, Completion{Seq: len(s.completed) + 1, TaskID: t.ID, Domain: t.Domain,
		Status: t.Status, Rows: rows, ActiveNodes: active, At: s.cfg.Now()})
}

// Completions returns every task that ended for domain ("" for every domain), in the order they
// ended, each with the number of the domain's active nodes right after it.
func (s *Server) Completions(domain string) []Completion {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceLocked()
	var out []Completion
	for _, c := range s.completed {
		if domain == "" || c.Domain == domain {
			out = append(out, c)
		}
	}
	return out
}

func cloneNode(n Node) Node {
	n.UserSays = append([]string(nil), n.UserSays...)
	n.BotSays = append([]string(nil), n.BotSays...)
	return n
}

func newTaskID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
