package emulator

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// statusRecorder remembers the status a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (to simulate a reset).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// api wraps a handler of Haptik's paths: it records the request and checks the credentials the
// way Haptik documents them.
func (s *Server) api(auth func(*http.Request) (int, string), h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.mu.Lock()
			s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, HTTPStatus: rec.status,
				UserAgent: r.UserAgent()})
			s.mu.Unlock()
		}()
		if status, msg := auth(r); status != 0 {
			writeError(rec, status, msg)
			return
		}
		h(rec, r)
	}
}

func (s *Server) checkAuth(r *http.Request) (int, string) {
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		return http.StatusUnauthorized, "token missing in headers"
	case !strings.HasPrefix(auth, "Bearer "):
		return http.StatusUnauthorized, "invalid authorization in headers"
	case strings.TrimPrefix(auth, "Bearer ") != s.cfg.Token:
		return http.StatusUnauthorized, "invalid token provided"
	}
	switch cid := r.Header.Get("client-id"); {
	case cid == "":
		return http.StatusUnauthorized, "client_id missing in headers"
	case cid != s.cfg.ClientID:
		return http.StatusForbidden, "invalid client_id in headers"
	}
	return 0, ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error_message": msg})
}

func writeSuccess(w http.ResponseWriter, body any) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "body": body, "error": "", "meta": map[string]any{}})
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	up := Upload{ReceivedAt: s.cfg.Now()}
	status, msg, rows := s.readUpload(r, &up)

	s.mu.Lock()
	defer s.mu.Unlock()
	up.Seq = len(s.uploads) + 1

	if f, ok := take(&s.faults, uploadFaults); ok {
		up.HTTPStatus, up.Error = f.Status, "injected fault"
		s.uploads = append(s.uploads, up)
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.RawBody != "" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.RawBody)
			return
		}
		writeError(w, f.Status, f.Message)
		return
	}

	if status == http.StatusOK && len(s.known) > 0 && !s.known[up.Domain] {
		status, msg = http.StatusBadRequest, "invalid doman" // sic: Haptik's documented message
	}
	up.HTTPStatus = status
	if status != http.StatusOK {
		up.Error = msg
		s.uploads = append(s.uploads, up)
		writeError(w, status, msg)
		return
	}

	now := s.cfg.Now()
	duration := s.cfg.TaskDuration
	if l, ok := take(&s.faults, lateFinishes); ok {
		duration = l.After
	}
	t := &Task{ID: newTaskID(), Domain: up.Domain, Status: InProgressStatus, CreatedAt: now,
		ReadyAt: now.Add(duration), rows: rows}
	if f, ok := take(&s.faults, taskFaults); ok {
		t.fault = &f
	}
	s.advanceLocked()
	running := 1
	for _, other := range s.order {
		if !other.Done {
			running++
			if other.Domain == t.Domain {
				s.stats.Overlaps++
			}
		}
	}
	s.stats.MaxInFlight = max(s.stats.MaxInFlight, running)
	s.tasks[t.ID] = t
	s.order = append(s.order, t)
	up.TaskID = t.ID
	s.uploads = append(s.uploads, up)
	s.advanceLocked()
	writeSuccess(w, map[string]string{"task_id": t.ID})
}

// readUpload parses the multipart body and the CSV in it. It fills in what it could read of the
// upload and returns the HTTP status and message Haptik would answer, and the parsed rows.
func (s *Server) readUpload(r *http.Request, up *Upload) (int, string, []Node) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		return http.StatusBadRequest, "invalid request body: " + err.Error(), nil
	}
	up.Domain = r.FormValue("domain_name")
	f, _, err := r.FormFile("csv_file")
	if err != nil {
		if up.Domain == "" {
			return http.StatusBadRequest, "domain_name missing in the request", nil
		}
		return http.StatusBadRequest, "csv_file missing in the request", nil
	}
	defer func() { _ = f.Close() }()
	raw, err := io.ReadAll(f)
	if err != nil {
		return http.StatusBadRequest, "invalid request body: " + err.Error(), nil
	}
	up.CSV = string(raw)
	if up.Domain == "" {
		return http.StatusBadRequest, "domain_name missing in the request", nil
	}
	rows, err := ParseCSV(raw)
	if err != nil {
		return http.StatusBadRequest, "invalid csv file: " + err.Error(), nil
	}
	return http.StatusOK, "", rows
}

// ParseCSV reads an FAQ CSV the way the emulator understands Haptik to: the exact header row,
// then one node per row with user says split on "|" and bot says split on "<m>".
func ParseCSV(raw []byte) ([]Node, error) {
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff")))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; it needs at least the header row node_name,question,answer")
	}
	if err != nil {
		return nil, err
	}
	if strings.Join(header, ",") != "node_name,question,answer" {
		return nil, fmt.Errorf("the header row is %q; it must be node_name,question,answer", strings.Join(header, ","))
	}
	var rows []Node
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 3 {
			return nil, fmt.Errorf("line %d: %d fields; every row needs node_name, question and answer", line, len(rec))
		}
		if strings.TrimSpace(rec[0]) == "" {
			return nil, fmt.Errorf("line %d: node_name is empty", line)
		}
		if prev, ok := seen[rec[0]]; ok {
			return nil, fmt.Errorf("line %d: node_name %q repeats the node of line %d", line, rec[0], prev)
		}
		seen[rec[0]] = line
		if strings.TrimSpace(rec[1]) == "" || strings.TrimSpace(rec[2]) == "" {
			return nil, fmt.Errorf("line %d: node %q has an empty question or answer", line, rec[0])
		}
		rows = append(rows, Node{Name: rec[0], UserSays: strings.Split(rec[1], "|"), BotSays: strings.Split(rec[2], "<m>")})
	}
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	// status/<task_id>/ as documented; older revisions of Haptik's doc wrote status<task_id>.
	rest, ok := strings.CutPrefix(strings.TrimPrefix(r.URL.Path, uploadPath), "status")
	if !ok {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	id := strings.Trim(rest, "/")
	if s.statusFault(w) {
		return
	}
	s.mu.Lock()
	s.advanceLocked()
	t, found := s.tasks[id]
	var status string
	if found {
		t.Polls++
		status = t.Status
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusBadRequest, "invalid task_id")
		return
	}
	writeSuccess(w, map[string]string{"status": status})
}

// statusFault applies the next queued status fault, if any, and reports whether it answered.
func (s *Server) statusFault(w http.ResponseWriter) bool {
	f, ok := takeFault(s, statusFaults)
	if !ok {
		return false
	}

	if f.DelayMS > 0 {
		time.Sleep(time.Duration(f.DelayMS) * time.Millisecond)
	}
	switch {
	case f.Reset:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return true
		}
		writeError(w, http.StatusBadGateway, "connection reset")
	case f.RawBody != "":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.RawBody)
	case f.Status != 0:
		writeError(w, f.Status, f.Message)
	default:
		return false
	}
	return true
}
