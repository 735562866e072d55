package haptik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Paths of the chat APIs (version 1.0), relative to the customer's base URL.
const (
	HandoffPath     = "/integration/external/v1.0/send_chat_to_agent/"
	ChatHistoryPath = "/integration/external/v1.0/get_chat_history/"
)

// The countdown of a handoff, in seconds: Haptik accepts 5 to 10 and waits 10 when none is sent.
const (
	MinCountdown     = 5
	MaxCountdown     = 10
	DefaultCountdown = 10
)

// Handoff moves a user's chat to the queue of an agent team.
type Handoff struct {
	TeamName   string
	UserName   string
	BusinessID int64
	// Countdown is how many seconds Haptik waits before moving the chat; 0 sends none, so Haptik
	// waits its default of 10.
	Countdown int
}

// Check reports the first parameter Haptik would refuse, before anything is sent.
func (h Handoff) Check() error {
	switch {
	case strings.TrimSpace(h.UserName) == "":
		return &ParamError{Param: "user_name", Problem: "must not be empty"}
	case h.BusinessID <= 0:
		return &ParamError{Param: "business_id", Problem: fmt.Sprintf("must be a positive number, not %d", h.BusinessID)}
	case strings.TrimSpace(h.TeamName) == "":
		return &ParamError{Param: "team_name", Problem: "must not be empty"}
	case h.Countdown != 0 && (h.Countdown < MinCountdown || h.Countdown > MaxCountdown):
		return &ParamError{Param: "countdown", Problem: fmt.Sprintf("must be between %d and %d seconds, not %d",
			MinCountdown, MaxCountdown, h.Countdown)}
	}
	return nil
}

// SendChatToAgent asks Haptik to move the user's chat to the team's queue. The request acts, so it
// is only repeated when Haptik certainly did not act on it (a 429 or 503, or no connection). Like
// every chat call, it ends after Config.ChatTimeout unless ctx ends sooner.
func (c *Client) SendChatToAgent(ctx context.Context, h Handoff) (err error) {
	defer c.scrub(&err)
	if err := h.Check(); err != nil {
		return err
	}
	payload := map[string]any{"team_name": h.TeamName, "user_name": h.UserName, "business_id": h.BusinessID}
	if h.Countdown != 0 {
		payload["countdown"] = h.Countdown
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	var out struct {
		Success *bool `json:"success"`
	}
	const op = "move the chat to an agent team"
	if err := c.do(ctx, call{op: op, method: http.MethodPost, path: HandoffPath, contentType: "application/json",
		body: bodyOf(raw), length: int64(len(raw)), bare: true, once: true, timeout: c.cfg.ChatTimeout}, &out); err != nil {
		return err
	}
	if out.Success == nil {
		return &ResponseError{Operation: op, StatusCode: http.StatusOK, Problem: `the response has no "success"`}
	}
	return nil
}

func bodyOf(raw []byte) retryablehttp.ReaderFunc {
	return func() (io.Reader, error) { return bytes.NewReader(raw), nil }
}

// HistoryQuery selects one conversation of a user.
type HistoryQuery struct {
	UserName       string
	BusinessID     int64
	ConversationNo int64
	// Limit caps the number of messages; 0 sends none, so Haptik returns them all.
	Limit int64
}

// Check reports the first parameter Haptik would refuse, before anything is sent.
func (q HistoryQuery) Check() error {
	switch {
	case strings.TrimSpace(q.UserName) == "":
		return &ParamError{Param: "user_name", Problem: "must not be empty"}
	case q.BusinessID <= 0:
		return &ParamError{Param: "business_id", Problem: fmt.Sprintf("must be a positive number, not %d", q.BusinessID)}
	case q.ConversationNo < 0:
		return &ParamError{Param: "conversation_no", Problem: fmt.Sprintf("must not be negative, not %d", q.ConversationNo)}
	case q.Limit < 0:
		return &ParamError{Param: "limit", Problem: fmt.Sprintf("must be at least 1 when set, not %d", q.Limit)}
	}
	return nil
}

func (q HistoryQuery) values(responseType string) url.Values {
	v := url.Values{
		"user_name":       {q.UserName},
		"business_id":     {strconv.FormatInt(q.BusinessID, 10)},
		"conversation_no": {strconv.FormatInt(q.ConversationNo, 10)},
		"response_type":   {responseType},
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.FormatInt(q.Limit, 10))
	}
	return v
}

// historyCall is the get_chat_history call for q, answered as responseType (json or text).
func (c *Client) historyCall(op string, q HistoryQuery, responseType string) call {
	return call{op: op, method: http.MethodGet, path: ChatHistoryPath, query: q.values(responseType), bare: true,
		timeout: c.cfg.ChatTimeout, tooLarge: "; set limit to read fewer of the conversation's messages"}
}

// ChatMessage is one message of a conversation.
type ChatMessage struct {
	Text string
	// Sender is "user", "bot" or "agent(<AGENT NAME>)", as Haptik sends it.
	Sender    string
	MessageID string
	Timestamp time.Time
}

// ChatHistory returns a conversation's messages (response_type json).
func (c *Client) ChatHistory(ctx context.Context, q HistoryQuery) (_ []ChatMessage, err error) {
	defer c.scrub(&err)
	if err := q.Check(); err != nil {
		return nil, err
	}
	var out struct {
		ChatJSON *[]struct {
			Text      string          `json:"text"`
			Sender    string          `json:"sender"`
			MessageID json.RawMessage `json:"message_id"`
			Timestamp string          `json:"timestamp"`
		} `json:"chat_json"`
	}
	const op = "read the chat history"
	if err := c.do(ctx, c.historyCall(op, q, "json"), &out); err != nil {
		return nil, err
	}
	if out.ChatJSON == nil {
		return nil, &ResponseError{Operation: op, StatusCode: http.StatusOK, Problem: `the response has no "chat_json"`}
	}
	msgs := make([]ChatMessage, 0, len(*out.ChatJSON))
	for i, m := range *out.ChatJSON {
		ts, err := ParseChatTimestamp(m.Timestamp)
		if err != nil {
			// The error quotes parts of the timestamp apart from their context, where a secret is
			// no longer recognizable: quote the redacted timestamp instead.
			if _, redErr := ParseChatTimestamp(c.redact.text(m.Timestamp)); redErr != nil {
				err = redErr
			}
			return nil, &ResponseError{Operation: op, StatusCode: http.StatusOK,
				Problem: fmt.Sprintf("message %d: %v", i+1, err)}
		}
		msgs = append(msgs, ChatMessage{Text: m.Text, Sender: m.Sender, MessageID: messageID(m.MessageID), Timestamp: ts})
	}
	return msgs, nil
}

// messageID reads a message id that Haptik may send as a number or as a string.
func messageID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// ChatTranscript returns a conversation as Haptik's plain text, one "sender: text" line per
// message (response_type text).
func (c *Client) ChatTranscript(ctx context.Context, q HistoryQuery) (_ string, err error) {
	defer c.scrub(&err)
	if err := q.Check(); err != nil {
		return "", err
	}
	var out struct {
		ChatText *string `json:"chat_text"`
	}
	const op = "read the chat transcript"
	if err := c.do(ctx, c.historyCall(op, q, "text"), &out); err != nil {
		return "", err
	}
	if out.ChatText == nil {
		return "", &ResponseError{Operation: op, StatusCode: http.StatusOK, Problem: `the response has no "chat_text"`}
	}
	return *out.ChatText, nil
}

// chatZones are the zone names a chat timestamp may carry. Go's time.Parse would read any other
// abbreviation as an unknown zone at offset zero, silently shifting the time, so others are refused.
var chatZones = map[string]*time.Location{
	"UTC": time.UTC,
	"GMT": time.UTC,
	"IST": time.FixedZone("IST", 5*3600+1800),
}

// ParseChatTimestamp reads a chat history timestamp.
func ParseChatTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return time.Time{}, fmt.Errorf("timestamp %q is not like %q", s, "06/22/20 07:24:25 AM UTC")
	}
	loc, ok := chatZones[s[i+1:]]
	if !ok {
		return time.Time{}, fmt.Errorf("timestamp %q has the time zone %q, which is not one of UTC, GMT or IST", s, s[i+1:])
	}
	t, err := time.ParseInLocation("01/02/06 03:04:05 PM", s[:i], loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q is not like %q", s, "06/22/20 07:24:25 AM UTC")
	}
	return t, nil
}

// MayHaveActed reports whether a failed SendChatToAgent may still have moved the chat: the
// request reached Haptik, but no clear answer came back (a 5xx other than 503, or a connection
// lost after it was made).
func MayHaveActed(err error) bool {
	var (
		apiErr *APIError
		netErr *TransportError
		op     *net.OpError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode >= 500 && apiErr.StatusCode != http.StatusServiceUnavailable
	case errors.As(err, &netErr):
		return !errors.As(netErr.Err, &op) || op.Op != "dial"
	}
	return false
}

// ChatErrorParam names the request parameter that one of the chat APIs' documented error messages
// is about, or "" when the message is about none (or is not one of them).
func ChatErrorParam(message string) string {
	m := strings.TrimSpace(message)
	switch {
	case strings.HasPrefix(m, "user_name missing"), m == "invalid user_name", m == "user has not sent a message":
		return "user_name"
	case strings.HasPrefix(m, "business_id missing"), strings.HasPrefix(m, "invalid business_id"),
		strings.HasPrefix(m, "business ") && strings.HasSuffix(m, " is inactive"):
		return "business_id"
	case strings.HasPrefix(m, "team_name missing"), m == "invalid team_name provided",
		strings.HasPrefix(m, "team ") && strings.HasSuffix(m, " is inactive"):
		return "team_name"
	case strings.HasPrefix(m, "conversation_no missing"), strings.HasPrefix(m, "invalid conversation_no"):
		return "conversation_no"
	case strings.HasPrefix(m, "countdown"):
		return "countdown"
	case strings.HasPrefix(m, "invalid limit"):
		return "limit"
	}
	return ""
}
