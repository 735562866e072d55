package haptik_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// chatEmulator has business 7 (active) and 8 (inactive), teams Support (active) and Old
// (inactive), user ana of business 7 with conversation 3, user bo of business 7 who never wrote,
// and user cy of business 8.
func chatEmulator(t *testing.T) (*emulator.Server, string) {
	emu, url := newEmulator(t, 0)
	emu.AddBusiness(7, true)
	emu.AddBusiness(8, false)
	emu.AddTeam("Support", true)
	emu.AddTeam("Old", false)
	at := time.Date(2020, 6, 22, 7, 24, 25, 0, time.UTC)
	emu.AddChat(7, "ana", 3,
		emulator.ChatMessage{Text: "hi", Sender: "user", MessageID: 1, At: at},
		emulator.ChatMessage{Text: "hello", Sender: "bot", MessageID: 2, At: at.Add(time.Second)},
		emulator.ChatMessage{Text: "Asha here", Sender: "agent(Asha)", MessageID: 3, At: at.Add(13 * time.Hour)},
	)
	emu.AddChat(7, "bo", 1, emulator.ChatMessage{Text: "welcome", Sender: "bot", MessageID: 4, At: at})
	emu.AddChat(8, "cy", 1, emulator.ChatMessage{Text: "hey", Sender: "user", MessageID: 5, At: at})
	return emu, url
}

func TestSendChatToAgent(t *testing.T) {
	emu, url := chatEmulator(t)
	c := newClient(t, url)
	ctx := context.Background()
	if err := c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7, Countdown: 6}); err != nil {
		t.Fatal(err)
	}
	hs := emu.Handoffs()
	if len(hs) != 2 || hs[0].Countdown != haptik.DefaultCountdown || hs[1].Countdown != 6 || hs[1].TeamName != "Support" ||
		hs[1].UserName != "ana" || hs[1].BusinessID != 7 {
		t.Fatalf("emulator recorded %+v", hs)
	}
}

// TestChatErrorMessages sends requests that Haptik refuses with each documented message the
// client can reach, and checks the message arrives verbatim, names the right parameter, and is
// (or is not) a credentials error.
func TestChatErrorMessages(t *testing.T) {
	_, url := chatEmulator(t)
	ctx := context.Background()
	good := newClient(t, url)
	badToken := newClient(t, url, func(c *haptik.Config) { c.Token = "wrong" })
	badClient := newClient(t, url, func(c *haptik.Config) { c.ClientID = "wrong" })
	ana := haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: 3}
	handoff := func(c *haptik.Client, user string, business int64, team string) func() error {
		return func() error {
			return c.SendChatToAgent(ctx, haptik.Handoff{UserName: user, BusinessID: business, TeamName: team})
		}
	}
	history := func(c *haptik.Client, q haptik.HistoryQuery) func() error {
		return func() error { _, err := c.ChatHistory(ctx, q); return err }
	}
	transcript := func(c *haptik.Client, q haptik.HistoryQuery) func() error {
		return func() error { _, err := c.ChatTranscript(ctx, q); return err }
	}
	cases := []struct {
		name  string
		call  func() error
		msg   string
		param string
		auth  bool
	}{
		{"handoff, wrong token", handoff(badToken, "ana", 7, "Support"), "invalid token provided", "", true},
		{"handoff, wrong client id", handoff(badClient, "ana", 7, "Support"), "invalid client_id in headers", "", true},
		{"handoff, unknown user", handoff(good, "zed", 7, "Support"), "invalid user_name", "user_name", false},
		{"handoff, unknown business", handoff(good, "ana", 99, "Support"), "invalid business_id provided", "business_id", false},
		{"handoff, inactive business", handoff(good, "cy", 8, "Support"), `business "8" is inactive`, "business_id", false},
		{"handoff, unknown team", handoff(good, "ana", 7, "Sales"), "invalid team_name provided", "team_name", false},
		{"handoff, inactive team", handoff(good, "ana", 7, "Old"), `team "Old" is inactive`, "team_name", false},
		{"handoff, user never wrote", handoff(good, "bo", 7, "Support"), "user has not sent a message", "user_name", false},
		{"history, wrong token", history(badToken, ana), "invalid token", "", true},
		{"history, wrong client id", history(badClient, ana), "invalid client_id", "", true},
		{"history, unknown user", history(good, haptik.HistoryQuery{UserName: "zed", BusinessID: 7, ConversationNo: 3}), "invalid user_name", "user_name", false},
		{"history, user never wrote", history(good, haptik.HistoryQuery{UserName: "bo", BusinessID: 7, ConversationNo: 1}), "user has not sent a message", "user_name", false},
		{"transcript, wrong token", transcript(badToken, ana), "invalid token", "", true},
		{"transcript, unknown user", transcript(good, haptik.HistoryQuery{UserName: "zed", BusinessID: 7, ConversationNo: 3}), "invalid user_name", "user_name", false},
	}
	for _, tc := range cases {
		err := tc.call()
		var apiErr *haptik.APIError
		if !errors.As(err, &apiErr) || apiErr.Message != tc.msg {
			t.Errorf("%s: err = %v; want an APIError with message %q", tc.name, err, tc.msg)
			continue
		}
		if got := haptik.ChatErrorParam(apiErr.Message); got != tc.param {
			t.Errorf("%s: ChatErrorParam = %q, want %q", tc.name, got, tc.param)
		}
		if apiErr.IsAuth() != tc.auth || haptik.IsTransient(err) {
			t.Errorf("%s: IsAuth = %v (want %v), IsTransient = %v (want false)", tc.name, apiErr.IsAuth(), tc.auth, haptik.IsTransient(err))
		}
		if apiErr.Attempts != 1 {
			t.Errorf("%s: %d attempts; a refusal is never retried", tc.name, apiErr.Attempts)
		}
	}
}

// TestChatErrorParam covers the documented messages the client never lets Haptik send, because
// it refuses the request first (see TestChatParamsCheckedBeforeSending).
func TestChatErrorParam(t *testing.T) {
	for msg, want := range map[string]string{
		"user_name missing in the request":   "user_name",
		"business_id missing in the request": "business_id",
		"team_name missing in the request":   "team_name",
		"user_name missing":                  "user_name",
		"business_id missing":                "business_id",
		"conversation_no missing":            "conversation_no",
		"token missing in headers":           "",
		"invalid authorization in headers":   "",
		"client_id missing in headers":       "",
		"something else entirely":            "",
	} {
		if got := haptik.ChatErrorParam(msg); got != want {
			t.Errorf("ChatErrorParam(%q) = %q, want %q", msg, got, want)
		}
	}
	for _, msg := range []string{"token missing in headers", "invalid authorization in headers", "client_id missing in headers"} {
		if !(&haptik.APIError{StatusCode: 400, Message: msg}).IsAuth() {
			t.Errorf("%q with HTTP 400 is not a credentials error", msg)
		}
	}
}

func TestChatParamsCheckedBeforeSending(t *testing.T) {
	emu, url := chatEmulator(t)
	c := newClient(t, url)
	ctx := context.Background()
	for _, tc := range []struct {
		err   error
		param string
	}{
		{c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", BusinessID: 7}), "user_name"},
		{c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", UserName: "ana"}), "business_id"},
		{c.SendChatToAgent(ctx, haptik.Handoff{UserName: "ana", BusinessID: 7}), "team_name"},
		{c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7, Countdown: 4}), "countdown"},
		{c.SendChatToAgent(ctx, haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7, Countdown: 11}), "countdown"},
		{func() error { _, err := c.ChatHistory(ctx, haptik.HistoryQuery{BusinessID: 7}); return err }(), "user_name"},
		{func() error { _, err := c.ChatHistory(ctx, haptik.HistoryQuery{UserName: "ana"}); return err }(), "business_id"},
		{func() error {
			_, err := c.ChatTranscript(ctx, haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: -1})
			return err
		}(), "conversation_no"},
		{func() error {
			_, err := c.ChatHistory(ctx, haptik.HistoryQuery{UserName: "ana", BusinessID: 7, Limit: -2})
			return err
		}(), "limit"},
	} {
		var pe *haptik.ParamError
		if !errors.As(tc.err, &pe) || pe.Param != tc.param {
			t.Errorf("err = %v; want a ParamError about %s", tc.err, tc.param)
		}
	}
	if n := len(emu.Requests()); n != 0 {
		t.Fatalf("%d requests reached Haptik; want none", n)
	}
}

func TestChatHistoryAndTranscript(t *testing.T) {
	_, url := chatEmulator(t)
	c := newClient(t, url)
	msgs, err := c.ChatHistory(context.Background(), haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []haptik.ChatMessage{
		{Text: "hi", Sender: "user", MessageID: "1", Timestamp: time.Date(2020, 6, 22, 7, 24, 25, 0, time.UTC)},
		{Text: "hello", Sender: "bot", MessageID: "2", Timestamp: time.Date(2020, 6, 22, 7, 24, 26, 0, time.UTC)},
		{Text: "Asha here", Sender: "agent(Asha)", MessageID: "3", Timestamp: time.Date(2020, 6, 22, 20, 24, 25, 0, time.UTC)},
	}
	if len(msgs) != len(want) {
		t.Fatalf("got %d messages, want %d", len(msgs), len(want))
	}
	for i := range want {
		if msgs[i] != want[i] {
			t.Errorf("message %d = %+v, want %+v", i, msgs[i], want[i])
		}
	}
	text, err := c.ChatTranscript(context.Background(), haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: 3, Limit: 2})
	if err != nil || text != "bot: hello\nagent(Asha): Asha here\n" {
		t.Fatalf("transcript = %q, %v", text, err)
	}
}

func TestHandoffRetries(t *testing.T) {
	emu, url := chatEmulator(t)
	c := newClient(t, url)
	ctx := context.Background()
	h := haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7}

	// Turned away (429, 503): Haptik did not act, so the client asks again.
	emu.FailChats(emulator.UploadFault{Status: 429, Message: "slow down"})
	emu.FailChats(emulator.UploadFault{Status: 503, Message: "busy"})
	if err := c.SendChatToAgent(ctx, h); err != nil {
		t.Fatal(err)
	}
	if n := len(emu.Handoffs()); n != 1 {
		t.Fatalf("%d handoffs, want 1", n)
	}
	// A 500 may come after Haptik moved the chat: never sent twice.
	before := len(emu.Requests())
	emu.FailChats(emulator.UploadFault{Status: 500, Message: "oops"})
	err := c.SendChatToAgent(ctx, h)
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Attempts != 1 {
		t.Fatalf("err = %v; want HTTP 500 after 1 attempt", err)
	}
	if n := len(emu.Requests()) - before; n != 1 {
		t.Fatalf("%d requests after a 500; want 1", n)
	}
	// Reading is safe to repeat: a 500 on the history is retried.
	emu.FailChats(emulator.UploadFault{Status: 500, Message: "oops"})
	if _, err := c.ChatHistory(ctx, haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: 3}); err != nil {
		t.Fatal(err)
	}
}

func TestHandoffNotRetriedAfterReset(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		conn, _, _ := http.NewResponseController(w).Hijack()
		_ = conn.Close()
	}))
	defer srv.Close()
	err := newClient(t, srv.URL).SendChatToAgent(context.Background(), haptik.Handoff{TeamName: "S", UserName: "u", BusinessID: 1})
	var te *haptik.TransportError
	if !errors.As(err, &te) || hits.Load() != 1 {
		t.Fatalf("err = %v after %d requests; want a TransportError after 1", err, hits.Load())
	}
}

func TestChatUnexpectedAnswers(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`<html>bad gateway</html>`, "not JSON"},
		{`{"chat_text": "x"}`, `no "chat_json"`},
		{`{"chat_json": [{"text":"a","sender":"user","message_id":1,"timestamp":"yesterday"}]}`, `timestamp "yesterday"`},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(tc.body))
		}))
		_, err := newClient(t, srv.URL).ChatHistory(context.Background(), haptik.HistoryQuery{UserName: "u", BusinessID: 1, ConversationNo: 1})
		srv.Close()
		var re *haptik.ResponseError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("body %s: err = %v; want a ResponseError containing %q", tc.body, err, tc.want)
		}
	}
}

func TestParseChatTimestamp(t *testing.T) {
	for in, want := range map[string]time.Time{
		"06/22/20 07:24:25 AM UTC": time.Date(2020, 6, 22, 7, 24, 25, 0, time.UTC),
		"06/22/20 07:24:25 PM GMT": time.Date(2020, 6, 22, 19, 24, 25, 0, time.UTC),
		"12/31/25 12:00:00 AM IST": time.Date(2025, 12, 30, 18, 30, 0, 0, time.UTC),
	} {
		got, err := haptik.ParseChatTimestamp(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseChatTimestamp(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"06/22/20 07:24:25 AM PDT", "2020-06-22T07:24:25Z", "", "13/40/20 07:24:25 AM UTC"} {
		if _, err := haptik.ParseChatTimestamp(in); err == nil {
			t.Errorf("ParseChatTimestamp(%q) accepted it", in)
		}
	}
}
