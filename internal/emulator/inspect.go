package emulator

import (
	"io"
	"net/http"
	"sort"
)

// registerInspection serves the emulator's own endpoints, outside Haptik's paths:
//
//	GET  /_emulator/domains          names of the domains that have content
//	GET  /_emulator/domains/{name}   the domain's nodes with their active flag
//	GET  /_emulator/uploads          every upload received (?domain= filters)
//	GET  /_emulator/requests         every request received on Haptik's paths
//	GET  /_emulator/tasks/{id}       one task
//	GET  /_emulator/completions      every task that ended, with the domain's active nodes after it (?domain= filters)
//	GET  /_emulator/stats            overlapping uploads and the most tasks running at once
//	POST /_emulator/faults           queue faults (see faults.go), e.g.
//	                                 {"upload": [{"status": 503, "count": 2}], "status": [{"reset": true}],
//	                                  "task": [{"message": "Error at node b", "partial": true, "applied_rows": 1}],
//	                                  "late": [{"after": "90s"}], "chat": [{"status": 429}], "task_duration": "2s"}
//	POST /_emulator/reset            forget everything
func (s *Server) registerInspection() {
	s.mux.HandleFunc("GET /_emulator/domains", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		s.advanceLocked()
		names := make([]string, 0, len(s.domains))
		for n := range s.domains {
			names = append(names, n)
		}
		s.mu.Unlock()
		sort.Strings(names)
		writeJSON(w, http.StatusOK, map[string]any{"domains": names})
	})
	s.mux.HandleFunc("GET /_emulator/domains/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		writeJSON(w, http.StatusOK, DomainView{Name: name, Nodes: s.Nodes(name)})
	})
	s.mux.HandleFunc("GET /_emulator/uploads", func(w http.ResponseWriter, r *http.Request) {
		out := []Upload{}
		for _, u := range s.Uploads() {
			if d := r.URL.Query().Get("domain"); d == "" || d == u.Domain {
				out = append(out, u)
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"uploads": out})
	})
	s.mux.HandleFunc("GET /_emulator/requests", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"requests": append([]Request{}, s.Requests()...)})
	})
	s.mux.HandleFunc("GET /_emulator/handoffs", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"handoffs": append([]Handoff{}, s.Handoffs()...)})
	})
	s.mux.HandleFunc("GET /_emulator/completions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"completions": append([]Completion{}, s.Completions(r.URL.Query().Get("domain"))...)})
	})
	s.mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	s.mux.HandleFunc("GET /_emulator/tasks/{id}", func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.Task(r.PathValue("id"))
		if !ok {
			writeError(w, http.StatusNotFound, "no such task")
			return
		}
		writeJSON(w, http.StatusOK, t)
	})
	s.mux.HandleFunc("POST /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid faults: "+err.Error())
			return
		}
		taskDuration, queue, err := queueFaults(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid faults: "+err.Error())
			return
		}
		s.mu.Lock()
		if taskDuration != nil {
			s.cfg.TaskDuration = *taskDuration
		}
		queue(&s.faults)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
}

// DomainView is what GET /_emulator/domains/{name} returns.
type DomainView struct {
	Name  string `json:"name"`
	Nodes []Node `json:"nodes"`
}
