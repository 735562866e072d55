package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// chatServer is an emulator with business 7 (active) and 8 (inactive), teams "Support" (active)
// and "Old" (inactive), user "ana" of business 7 with a conversation, user "bo" of business 7
// who has not sent a message, and user "cy" of business 8.
func chatServer(t *testing.T) (*Server, string) {
	s, _, base := newServer(t)
	s.AddBusiness(7, true)
	s.AddBusiness(8, false)
	s.AddTeam("Support", true)
	s.AddTeam("Old", false)
	at := time.Date(2020, 6, 22, 7, 24, 25, 0, time.UTC)
	s.AddChat(7, "ana", 3,
		ChatMessage{Text: "hi", Sender: "user", MessageID: 1, At: at},
		ChatMessage{Text: "hello, how can I help?", Sender: "bot", MessageID: 2, At: at.Add(time.Second)},
		ChatMessage{Text: "I am Asha", Sender: "agent(Asha)", MessageID: 3, At: at.Add(12 * time.Hour)},
	)
	s.AddChat(7, "bo", 1, ChatMessage{Text: "welcome", Sender: "bot", MessageID: 4, At: at})
	s.AddChat(8, "cy", 1, ChatMessage{Text: "hey", Sender: "user", MessageID: 5, At: at})
	return s, base
}

func handoff(t *testing.T, base string, h http.Header, body string) result {
	t.Helper()
	h = h.Clone()
	h.Set("Content-Type", "application/json")
	return send(t, http.MethodPost, base+handoffPath, h, strings.NewReader(body))
}

func TestHandoffErrors(t *testing.T) {
	s, base := chatServer(t)
	cases := []struct {
		name, body string
		header     http.Header
		status     int
		msg        string
	}{
		{"no token", `{}`, http.Header{"Client-Id": {"cid"}}, 401, "token missing in headers"},
		{"not bearer", `{}`, http.Header{"Authorization": {"Token tok"}, "Client-Id": {"cid"}}, 401, "invalid authorization in headers"},
		{"wrong token", `{}`, http.Header{"Authorization": {"Bearer nope"}, "Client-Id": {"cid"}}, 401, "invalid token provided"},
		{"no client id", `{}`, http.Header{"Authorization": {"Bearer tok"}}, 401, "client_id missing in headers"},
		{"wrong client id", `{}`, http.Header{"Authorization": {"Bearer tok"}, "Client-Id": {"x"}}, 403, "invalid client_id in headers"},
		{"not JSON", `team_name=Support`, authed(), 400, "invalid request body"},
		{"user_name missing", `{"business_id":7,"team_name":"Support"}`, authed(), 400, "user_name missing in the request"},
		{"business_id missing", `{"user_name":"ana","team_name":"Support"}`, authed(), 400, "business_id missing in the request"},
		{"team_name missing", `{"user_name":"ana","business_id":7}`, authed(), 400, "team_name missing in the request"},
		{"unknown user", `{"user_name":"zed","business_id":7,"team_name":"Support"}`, authed(), 400, "invalid user_name"},
		{"business id as a string", `{"user_name":"ana","business_id":"7","team_name":"Support"}`, authed(), 400, "invalid business_id provided"},
		{"unknown business", `{"user_name":"ana","business_id":99,"team_name":"Support"}`, authed(), 400, "invalid business_id provided"},
		{"inactive business", `{"user_name":"cy","business_id":8,"team_name":"Support"}`, authed(), 400, `business "8" is inactive`},
		{"unknown team", `{"user_name":"ana","business_id":7,"team_name":"Sales"}`, authed(), 400, "invalid team_name provided"},
		{"inactive team", `{"user_name":"ana","business_id":7,"team_name":"Old"}`, authed(), 400, `team "Old" is inactive`},
		{"user never wrote", `{"user_name":"bo","business_id":7,"team_name":"Support"}`, authed(), 400, "user has not sent a message"},
		{"countdown too short", `{"user_name":"ana","business_id":7,"team_name":"Support","countdown":4}`, authed(), 400, "countdown must be between 5 and 10"},
		{"countdown too long", `{"user_name":"ana","business_id":7,"team_name":"Support","countdown":11}`, authed(), 400, "countdown must be between 5 and 10"},
	}
	for _, tc := range cases {
		r := handoff(t, base, tc.header, tc.body)
		if r.status != tc.status || r.body["error_message"] != tc.msg {
			t.Errorf("%s: HTTP %d %s, want %d %q", tc.name, r.status, r.raw, tc.status, tc.msg)
		}
	}
	if n := len(s.Handoffs()); n != 0 {
		t.Fatalf("%d handoffs recorded after refusals only", n)
	}
}

func TestHandoffAccepted(t *testing.T) {
	s, base := chatServer(t)
	for _, body := range []string{
		`{"user_name":"ana","business_id":7,"team_name":"Support"}`,
		`{"user_name":"ana","business_id":7,"team_name":"Support","countdown":5}`,
	} {
		if r := handoff(t, base, authed(), body); r.status != 200 || r.raw != "{\"success\":true}\n" {
			t.Fatalf("%s: HTTP %d %s", body, r.status, r.raw)
		}
	}
	hs := s.Handoffs()
	if len(hs) != 2 || hs[0].Countdown != 10 || hs[1].Countdown != 5 || hs[0].UserName != "ana" ||
		hs[0].BusinessID != 7 || hs[0].TeamName != "Support" {
		t.Fatalf("handoffs = %+v; want ana/7/Support with countdown 10 (the default), then 5", hs)
	}
	if r := send(t, http.MethodGet, base+"/_emulator/handoffs", nil, nil); !strings.Contains(r.raw, `"team_name":"Support"`) {
		t.Fatalf("/_emulator/handoffs = %s", r.raw)
	}
}

func history(t *testing.T, base string, h http.Header, q url.Values) result {
	t.Helper()
	return send(t, http.MethodGet, base+chatHistoryPath+"?"+q.Encode(), h, nil)
}

func TestChatHistoryErrors(t *testing.T) {
	_, base := chatServer(t)
	full := func(mod func(url.Values)) url.Values {
		q := url.Values{"user_name": {"ana"}, "business_id": {"7"}, "conversation_no": {"3"}}
		if mod != nil {
			mod(q)
		}
		return q
	}
	cases := []struct {
		name   string
		header http.Header
		query  url.Values
		status int
		msg    string
	}{
		{"wrong client id", http.Header{"Authorization": {"Bearer tok"}, "Client-Id": {"x"}}, full(nil), 403, "invalid client_id"},
		{"wrong token", http.Header{"Authorization": {"Bearer nope"}, "Client-Id": {"cid"}}, full(nil), 401, "invalid token"},
		{"no token", http.Header{"Client-Id": {"cid"}}, full(nil), 401, "invalid token"},
		{"user_name missing", authed(), full(func(q url.Values) { q.Del("user_name") }), 400, "user_name missing"},
		{"business_id missing", authed(), full(func(q url.Values) { q.Del("business_id") }), 400, "business_id missing"},
		{"conversation_no missing", authed(), full(func(q url.Values) { q.Del("conversation_no") }), 400, "conversation_no missing"},
		{"unknown user", authed(), full(func(q url.Values) { q.Set("user_name", "zed") }), 400, "invalid user_name"},
		{"user of another business", authed(), full(func(q url.Values) { q.Set("user_name", "cy") }), 400, "invalid user_name"},
		{"user never wrote", authed(), full(func(q url.Values) { q.Set("user_name", "bo") }), 400, "user has not sent a message"},
		{"business id not a number", authed(), full(func(q url.Values) { q.Set("business_id", "seven") }), 400, "invalid business_id"},
		{"bad limit", authed(), full(func(q url.Values) { q.Set("limit", "0") }), 400, "invalid limit"},
		{"bad response type", authed(), full(func(q url.Values) { q.Set("response_type", "xml") }), 400, "invalid response_type"},
	}
	for _, tc := range cases {
		r := history(t, base, tc.header, tc.query)
		if r.status != tc.status || r.body["error_message"] != tc.msg {
			t.Errorf("%s: HTTP %d %s, want %d %q", tc.name, r.status, r.raw, tc.status, tc.msg)
		}
	}
}

func TestChatHistory(t *testing.T) {
	_, base := chatServer(t)
	q := url.Values{"user_name": {"ana"}, "business_id": {"7"}, "conversation_no": {"3"}}
	r := history(t, base, authed(), q)
	want := `{"chat_json":[` +
		`{"message_id":1,"sender":"user","text":"hi","timestamp":"06/22/20 07:24:25 AM UTC"},` +
		`{"message_id":2,"sender":"bot","text":"hello, how can I help?","timestamp":"06/22/20 07:24:26 AM UTC"},` +
		`{"message_id":3,"sender":"agent(Asha)","text":"I am Asha","timestamp":"06/22/20 07:24:25 PM UTC"}]}` + "\n"
	if r.status != 200 || r.raw != want {
		t.Fatalf("json history: HTTP %d\n%s\nwant\n%s", r.status, r.raw, want)
	}
	q.Set("response_type", "text")
	q.Set("limit", "2")
	r = history(t, base, authed(), q)
	if r.status != 200 || r.body["chat_text"] != "bot: hello, how can I help?\nagent(Asha): I am Asha\n" {
		t.Fatalf("text history with limit 2: HTTP %d %s; want the last two messages", r.status, r.raw)
	}
	q.Set("conversation_no", "99")
	q.Set("response_type", "json")
	if r = history(t, base, authed(), q); r.status != 200 || r.raw != "{\"chat_json\":[]}\n" {
		t.Fatalf("unknown conversation: HTTP %d %s; want an empty list", r.status, r.raw)
	}
}

func TestSeedChatsSurviveReset(t *testing.T) {
	s := New(Config{Token: "tok", ClientID: "cid", SeedChats: true})
	s.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.businesses[4242] || !s.teams["Support"] || s.chats[chatKey{4242, "demo-user"}] == nil {
		t.Fatal("the sample account is gone after Reset")
	}
}

func TestChatFaults(t *testing.T) {
	s, base := chatServer(t)
	s.FailChats(UploadFault{Status: 503, Message: "busy", RetryAfter: "1", Count: 2})
	body := `{"user_name":"ana","business_id":7,"team_name":"Support"}`
	for range 2 {
		if r := handoff(t, base, authed(), body); r.status != 503 || r.body["error_message"] != "busy" {
			t.Fatalf("HTTP %d %s; want the injected 503", r.status, r.raw)
		}
	}
	if r := handoff(t, base, authed(), body); r.status != 200 {
		t.Fatalf("after the faults: HTTP %d %s", r.status, r.raw)
	}
}
