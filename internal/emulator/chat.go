package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Haptik's chat API paths (version 1.0).
const (
	handoffPath     = "/integration/external/v1.0/send_chat_to_agent/"
	chatHistoryPath = "/integration/external/v1.0/get_chat_history/"
)

// chatTimestampLayout is how get_chat_history writes times: "06/22/20 07:24:25 AM UTC".
const chatTimestampLayout = "01/02/06 03:04:05 PM MST"

// ChatMessage is one message of a conversation.
type ChatMessage struct {
	Text string `json:"text"`
	// Sender is "user", "bot" or "agent(<AGENT NAME>)".
	Sender    string    `json:"sender"`
	MessageID int64     `json:"message_id"`
	At        time.Time `json:"at"`
}

// Handoff records one send_chat_to_agent request that Haptik accepted.
type Handoff struct {
	TeamName   string    `json:"team_name"`
	UserName   string    `json:"user_name"`
	BusinessID int64     `json:"business_id"`
	Countdown  int       `json:"countdown"` // as applied: 10 when the request sent none
	ReceivedAt time.Time `json:"received_at"`
}

// chatUser is a user of one business and their conversations, by conversation number.
type chatUser struct {
	conversations map[int64][]ChatMessage
}

type chatKey struct {
	business int64
	user     string
}

// AddBusiness makes a business (a bot) exist, active or not.
func (s *Server) AddBusiness(id int64, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.businesses[id] = active
}

// AddTeam makes an agent team exist, active or not.
func (s *Server) AddTeam(name string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[name] = active
}

// AddChat appends messages to a conversation of a user of a business. A user with no messages at
// all exists but "has not sent a message".
func (s *Server) AddChat(business int64, user string, conversation int64, msgs ...ChatMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := chatKey{business, user}
	u := s.chats[k]
	if u == nil {
		u = &chatUser{conversations: map[int64][]ChatMessage{}}
		s.chats[k] = u
	}
	if len(msgs) > 0 {
		u.conversations[conversation] = append(u.conversations[conversation], msgs...)
	}
}

// SeedChats adds a small sample account: active business 4242 with teams "Support" (active) and
// "Billing" (inactive), and user "demo-user" whose conversation 1 has three messages.
func (s *Server) SeedChats() {
	s.AddBusiness(4242, true)
	s.AddTeam("Support", true)
	s.AddTeam("Billing", false)
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	s.AddChat(4242, "demo-user", 1,
		ChatMessage{Text: "How do I reset my password?", Sender: "user", MessageID: 9001, At: at},
		ChatMessage{Text: "Open Settings, then choose Reset password.", Sender: "bot", MessageID: 9002, At: at.Add(2 * time.Second)},
		ChatMessage{Text: "I'll take it from here.", Sender: "agent(Asha)", MessageID: 9003, At: at.Add(time.Minute)},
	)
}

// Handoffs returns every accepted send_chat_to_agent request, in order.
func (s *Server) Handoffs() []Handoff {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Handoff(nil), s.handoffs...)
}

// chatFault answers with the next queued chat fault, if any.
func (s *Server) chatFault(w http.ResponseWriter) bool {
	f, ok := takeFault(s, chatFaults)
	if !ok {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.RawBody != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.RawBody))
		return true
	}
	writeError(w, f.Status, f.Message)
	return true
}

// handleHandoff is send_chat_to_agent. Its error messages are Haptik's; their HTTP codes are not
// documented, so every refusal of a parameter is a 400 (credentials get 401/403 in api()).
func (s *Server) handleHandoff(w http.ResponseWriter, r *http.Request) {
	if s.chatFault(w) {
		return
	}
	var body map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid request body") // inferred: not documented
		return
	}
	str := func(key string) (string, bool) {
		var v string
		raw, ok := body[key]
		if !ok || json.Unmarshal(raw, &v) != nil || v == "" {
			return "", false
		}
		return v, true
	}
	user, ok := str("user_name")
	if !ok {
		writeError(w, http.StatusBadRequest, "user_name missing in the request")
		return
	}
	rawBusiness, ok := body["business_id"]
	if !ok || string(rawBusiness) == "null" {
		writeError(w, http.StatusBadRequest, "business_id missing in the request")
		return
	}
	team, ok := str("team_name")
	if !ok {
		writeError(w, http.StatusBadRequest, "team_name missing in the request")
		return
	}
	var business int64
	if json.Unmarshal(rawBusiness, &business) != nil { // a number, never a numeric string
		writeError(w, http.StatusBadRequest, "invalid business_id provided")
		return
	}
	countdown := 10
	if raw, ok := body["countdown"]; ok {
		if json.Unmarshal(raw, &countdown) != nil || countdown < 5 || countdown > 10 {
			writeError(w, http.StatusBadRequest, "countdown must be between 5 and 10") // inferred wording
			return
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	active, businessExists := s.businesses[business]
	teamActive, teamExists := s.teams[team]
	u := s.chats[chatKey{business, user}]
	switch {
	case !s.userExists(user):
		writeError(w, http.StatusBadRequest, "invalid user_name")
	case !businessExists:
		writeError(w, http.StatusBadRequest, "invalid business_id provided")
	case !active:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("business %q is inactive", strconv.FormatInt(business, 10)))
	case !teamExists:
		writeError(w, http.StatusBadRequest, "invalid team_name provided")
	case !teamActive:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("team %q is inactive", team))
	case u == nil || !u.hasSent():
		writeError(w, http.StatusBadRequest, "user has not sent a message")
	default:
		s.handoffs = append(s.handoffs, Handoff{TeamName: team, UserName: user, BusinessID: business,
			Countdown: countdown, ReceivedAt: s.cfg.Now()})
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	}
}

func (s *Server) userExists(name string) bool {
	for k := range s.chats {
		if k.user == name {
			return true
		}
	}
	return false
}

func (u *chatUser) hasSent() bool {
	for _, msgs := range u.conversations {
		for _, m := range msgs {
			if m.Sender == "user" {
				return true
			}
		}
	}
	return false
}

// handleChatHistory is get_chat_history: the messages of one conversation, the latest `limit` of
// them when limit is given, as JSON or as plain text.
func (s *Server) handleChatHistory(w http.ResponseWriter, r *http.Request) {
	if s.chatFault(w) {
		return
	}
	q := r.URL.Query()
	for _, p := range []string{"user_name", "business_id", "conversation_no"} {
		if q.Get(p) == "" {
			writeError(w, http.StatusBadRequest, p+" missing")
			return
		}
	}
	// Inferred checks: the documentation lists no messages for these.
	business, err := strconv.ParseInt(q.Get("business_id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid business_id")
		return
	}
	conversation, err := strconv.ParseInt(q.Get("conversation_no"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid conversation_no")
		return
	}
	limit := 0
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 {
			writeError(w, http.StatusBadRequest, "invalid limit")
			return
		}
	}
	responseType := q.Get("response_type")
	if responseType != "" && responseType != "json" && responseType != "text" {
		writeError(w, http.StatusBadRequest, "invalid response_type")
		return
	}

	s.mu.Lock()
	u := s.chats[chatKey{business, q.Get("user_name")}]
	var msgs []ChatMessage
	if u != nil {
		msgs = append(msgs, u.conversations[conversation]...)
	}
	s.mu.Unlock()
	switch {
	case u == nil:
		writeError(w, http.StatusBadRequest, "invalid user_name")
		return
	case !u.hasSent():
		writeError(w, http.StatusBadRequest, "user has not sent a message")
		return
	}
	if limit > 0 && len(msgs) > limit {
		msgs = msgs[len(msgs)-limit:]
	}
	if responseType == "text" {
		var b strings.Builder
		for _, m := range msgs {
			fmt.Fprintf(&b, "%s: %s\n", m.Sender, m.Text)
		}
		writeJSON(w, http.StatusOK, map[string]string{"chat_text": b.String()})
		return
	}
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, map[string]any{"text": m.Text, "sender": m.Sender, "message_id": m.MessageID,
			"timestamp": m.At.UTC().Format(chatTimestampLayout)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"chat_json": out})
}

// checkHistoryAuth checks credentials with get_chat_history's own wording.
func (s *Server) checkHistoryAuth(r *http.Request) (int, string) {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") || strings.TrimPrefix(auth, "Bearer ") != s.cfg.Token {
		return http.StatusUnauthorized, "invalid token"
	}
	if r.Header.Get("client-id") != s.cfg.ClientID {
		return http.StatusForbidden, "invalid client_id"
	}
	return 0, ""
}
