package haptik_test

// Tests of hostile input and hostile networks: servers that echo credentials, refuse to be
// retried for an hour, redirect a POST into a GET, answer too much or the wrong shape, or present a
// certificate nobody trusts.

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// foreignBearer is a bearer token that is not the client's own, echoed by a proxy.
const foreignBearer = "eyJhbGciOiJIUzI1NiJ9.foreign-proxy-token"

// echoedAuth is what a careless server writes back: the request's Authorization header, and a
// bearer token of someone else's.
func echoedAuth(r *http.Request) string {
	return "Authorization: " + r.Header.Get("Authorization") + "; upstream sent bearer " + foreignBearer
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error_message": msg})
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func htmlError(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d</title></head><body><h1>Blocked</h1><pre>%s</pre></body></html>", status, text)
}

// logSink records everything a client passes to Config.Log.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *logSink) log(_ context.Context, msg string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (s *logSink) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, secret := range []string{secretToken, foreignBearer} {
		if strings.Contains(text, secret) {
			t.Errorf("%s leaks %q: %s", where, secret, text)
		}
	}
}

// TestSecretsAreRedacted has servers echo the Authorization header in JSON error messages, HTML
// pages, status texts, chat timestamps, a malformed HTTP response and a redirect target, on
// every call of the client, and checks that neither the client's token nor any other bearer token
// reaches an error, a status text or the log.
func TestSecretsAreRedacted(t *testing.T) {
	ana := haptik.HistoryQuery{UserName: "ana", BusinessID: 7, ConversationNo: 3}
	handoff := haptik.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7}
	upload := func(c *haptik.Client) (string, error) {
		_, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
		return "", err
	}
	status := func(c *haptik.Client) (string, error) {
		st, err := c.TaskStatus(context.Background(), "t1")
		return st.Text, err
	}
	wait := func(c *haptik.Client) (string, error) {
		st, err := c.WaitForTask(context.Background(), "t1", fast)
		return st.Text, err
	}
	sendToAgent := func(c *haptik.Client) (string, error) {
		return "", c.SendChatToAgent(context.Background(), handoff)
	}
	history := func(c *haptik.Client) (string, error) {
		_, err := c.ChatHistory(context.Background(), ana)
		return "", err
	}
	transcript := func(c *haptik.Client) (string, error) {
		_, err := c.ChatTranscript(context.Background(), ana)
		return "", err
	}
	statusText := func(text string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			b, _ := json.Marshal(map[string]any{"success": true, "body": map[string]string{"status": text}})
			_, _ = w.Write(b)
		}
	}

	cases := []struct {
		name    string
		handler http.HandlerFunc
		call    func(*haptik.Client) (string, error)
		// wantErr is false when the call succeeds and only the log can leak.
		wantErr bool
	}{
		{"upload, JSON 401", func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401, "invalid authorization in headers: "+echoedAuth(r))
		}, upload, true},
		{"upload, WAF HTML 403", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 403, echoedAuth(r))
		}, upload, true},
		{"upload, HTML 502 retried", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 502, echoedAuth(r))
		}, upload, true},
		{"upload, HTML 200", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 200, echoedAuth(r))
		}, upload, true},
		{"upload, success false", func(w http.ResponseWriter, r *http.Request) {
			b, _ := json.Marshal(map[string]any{"success": false, "error": "rejected " + echoedAuth(r)})
			_, _ = w.Write(b)
		}, upload, true},
		{"upload, wrong shape", func(w http.ResponseWriter, r *http.Request) {
			b, _ := json.Marshal(map[string]any{"success": true, "body": []string{echoedAuth(r)}})
			_, _ = w.Write(b)
		}, upload, true},
		{"status, JSON 400", func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 400, "bad task: "+echoedAuth(r))
		}, status, true},
		{"status, HTML 503 retried", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 503, echoedAuth(r))
		}, status, true},
		{"status text, task failed", func(w http.ResponseWriter, r *http.Request) {
			statusText("Exception at node n: "+echoedAuth(r))(w, r)
		}, wait, true},
		{"status text, in progress", func(w http.ResponseWriter, r *http.Request) {
			statusText("In Progress for "+echoedAuth(r))(w, r)
		}, status, false},
		{"handoff, JSON 400", func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 400, "invalid user_name "+echoedAuth(r))
		}, sendToAgent, true},
		{"handoff, HTML 500", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 500, echoedAuth(r))
		}, sendToAgent, true},
		{"history, JSON 401", func(w http.ResponseWriter, r *http.Request) {
			jsonError(w, 401, "invalid token "+echoedAuth(r))
		}, history, true},
		{"history, HTML 502 retried", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 502, echoedAuth(r))
		}, history, true},
		{"history, timestamp", func(w http.ResponseWriter, r *http.Request) {
			b, _ := json.Marshal(map[string]any{"chat_json": []map[string]any{
				{"text": "hi", "sender": "user", "message_id": 1, "timestamp": echoedAuth(r)}}})
			_, _ = w.Write(b)
		}, history, true},
		{"transcript, HTML 403", func(w http.ResponseWriter, r *http.Request) {
			htmlError(w, 403, echoedAuth(r))
		}, transcript, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			var sink logSink
			c := newClient(t, srv.URL, func(c *haptik.Config) { c.Log = sink.log; c.RetryMax = 1 })
			text, err := tc.call(c)
			if tc.wantErr && err == nil {
				t.Fatal("the call succeeded; want an error")
			}
			if !tc.wantErr && err != nil {
				t.Fatal(err)
			}
			if err != nil {
				assertNoSecret(t, "the error", err.Error())
				assertNoSecret(t, "the error's fields", fmt.Sprintf("%+v", errorFields(err)))
				if !strings.Contains(err.Error(), "[REDACTED]") {
					t.Errorf("the error does not show where the secret was removed: %v", err)
				}
			}
			assertNoSecret(t, "the status text", text)
			assertNoSecret(t, "the log", sink.text())
		})
	}
}

// errorFields returns the text fields of the client's error types, which callers read directly.
func errorFields(err error) []string {
	var (
		apiErr   *haptik.APIError
		shapeErr *haptik.ResponseError
		netErr   *haptik.TransportError
		redirect *haptik.RedirectError
		failed   *haptik.TaskFailedError
		fields   []string
	)
	if errors.As(err, &apiErr) {
		fields = append(fields, apiErr.Message)
	}
	if errors.As(err, &shapeErr) {
		fields = append(fields, shapeErr.Problem)
	}
	if errors.As(err, &netErr) {
		fields = append(fields, netErr.Err.Error())
	}
	if errors.As(err, &redirect) {
		fields = append(fields, redirect.From, redirect.To)
	}
	if errors.As(err, &failed) {
		fields = append(fields, failed.Status)
	}
	return fields
}

// TestSecretsAreRedactedFromTheLog has the status endpoint fail once with an echo, which
// WaitForTask logs before it polls again and succeeds.
func TestSecretsAreRedactedFromTheLog(t *testing.T) {
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) == 1 {
			jsonError(w, 503, "maintenance; you sent "+echoedAuth(r))
			return
		}
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"all nodes has been created successfully"}}`)
	}))
	defer srv.Close()
	var sink logSink
	c := newClient(t, srv.URL, func(c *haptik.Config) { c.Log = sink.log; c.RetryMax = -1 })
	if _, err := c.WaitForTask(context.Background(), "t1", fast); err != nil {
		t.Fatal(err)
	}
	logged := sink.text()
	if !strings.Contains(logged, "maintenance") {
		t.Fatalf("the failed poll was not logged; the test proves nothing: %s", logged)
	}
	assertNoSecret(t, "the log", logged)
}

// TestSecretsAreRedactedFromTransportErrors has a server answer with a malformed status line that
// echoes the header, which Go's HTTP client quotes in its error, and a redirect to another host
// whose target carries the token.
func TestSecretsAreRedactedFromTransportErrors(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				// Go quotes the status code of a malformed status line in its error.
				token := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
				_, _ = io.WriteString(conn, "HTTP/1.1 "+token+" OK\r\n\r\n")
			}()
		}
	}()
	_, err = newClient(t, "http://"+ln.Addr().String(), func(c *haptik.Config) { c.RetryMax = -1 }).TaskStatus(context.Background(), "t")
	var netErr *haptik.TransportError
	if !errors.As(err, &netErr) {
		t.Fatalf("err = %v, want a TransportError", err)
	}
	assertNoSecret(t, "the transport error", err.Error())
	assertNoSecret(t, "the transport error's cause", netErr.Err.Error())
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("the error does not show the malformed answer at all: %v", err)
	}

	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://elsewhere.example/login?token="+secretToken)
		w.WriteHeader(http.StatusFound)
	}))
	defer redirector.Close()
	_, err = newClient(t, redirector.URL).TaskStatus(context.Background(), "t")
	var re *haptik.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a RedirectError", err)
	}
	assertNoSecret(t, "the redirect error", err.Error()+" "+re.To)
}

// TestNewRejectsURLParts refuses base URLs with credentials, a query string or a fragment, says
// which part is wrong, and never repeats the password.
func TestNewRejectsURLParts(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:hunter2@api.example":   "user name or password",
		"https://user@api.example":           "user name or password",
		"https://api.example/?env=staging":   "query string",
		"https://api.example?":               "query string",
		"https://api.example/#faq":           "fragment",
		"https://api.example#":               "fragment",
		"https://user:hunter2 x@api.example": "not an absolute http or https URL",
	} {
		_, err := haptik.New(haptik.Config{BaseURL: raw, ClientID: "c", Token: "t"})
		if err == nil {
			t.Errorf("New accepted the base URL %q", raw)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q) = %v; want it to name the %s", raw, err, want)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("New(%q) repeats the password: %v", raw, err)
		}
	}
	c, err := haptik.New(haptik.Config{BaseURL: "https://api.example/base/", ClientID: "c", Token: "t"})
	if err != nil || c.BaseURL() != "https://api.example/base" {
		t.Fatalf("New = %v; BaseURL() = %q", err, c.BaseURL())
	}
}

// call429 has a server answer 429 with the given Retry-After ("|" between one per request, the last
// one repeated) and returns how many requests reached the server and the error of call. A call still
// waiting after 20 s fails the test.
func call429(t *testing.T, retryAfter string, mod func(*haptik.Config), call func(*haptik.Client) error) (int32, error) {
	t.Helper()
	var hits atomic.Int32
	waits := strings.Split(retryAfter, "|")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := int(hits.Add(1))
		w.Header().Set("Retry-After", waits[min(n, len(waits))-1])
		jsonError(w, http.StatusTooManyRequests, "rate limit exceeded")
	}))
	t.Cleanup(srv.Close)
	mods := []func(*haptik.Config){}
	if mod != nil {
		mods = append(mods, mod)
	}
	c := newClient(t, srv.URL, mods...)
	done := make(chan error, 1)
	go func() { done <- call(c) }()
	select {
	case err := <-done:
		return hits.Load(), err
	case <-time.After(20 * time.Second):
		t.Fatalf("still waiting after 20 s on a Retry-After of %s", retryAfter)
		return 0, nil
	}
}

func TestLongRetryAfterFailsAtOnce(t *testing.T) {
	upload := func(c *haptik.Client) error {
		_, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
		return err
	}
	history := func(c *haptik.Client) error {
		_, err := c.ChatHistory(context.Background(), haptik.HistoryQuery{UserName: "u", BusinessID: 1, ConversationNo: 1})
		return err
	}
	handoff := func(c *haptik.Client) error {
		return c.SendChatToAgent(context.Background(), haptik.Handoff{TeamName: "S", UserName: "u", BusinessID: 1})
	}
	for name, call := range map[string]func(*haptik.Client) error{"upload": upload, "history": history, "handoff": handoff} {
		t.Run(name, func(t *testing.T) {
			hits, err := call429(t, "3600", nil, call)
			if err == nil || hits != 1 {
				t.Fatalf("err = %v after %d requests; want an error after 1", err, hits)
			}
			for _, want := range []string{"HTTP 429", "rate limit exceeded", "Retry-After: 3600", "1h0m0s", "30s"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not mention %q: %v", want, err)
				}
			}
			if !haptik.IsTransient(err) {
				t.Errorf("a 429 is transient: %v", err)
			}
			var ra *haptik.RetryAfterError
			if !errors.As(err, &ra) || ra.StatusCode != 429 || ra.RetryAfter != "3600" || ra.Wait != time.Hour {
				t.Errorf("err = %#v, want a RetryAfterError for 3600 s", err)
			}
		})
	}
}

func TestRetryAfterBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	hits, err := call429(t, "20", nil, func(c *haptik.Client) error {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_, err := c.UploadFAQ(ctx, "dom", []byte(csvOne))
		return err
	})
	if err == nil || hits != 1 || !strings.Contains(err.Error(), "Retry-After: 20") || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v after %d requests; want one naming Retry-After: 20 and the deadline, after 1", err, hits)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the client slept into the deadline: %v", err)
	}
}

func TestShortRetryAfterIsStillHonouredWithinTheCap(t *testing.T) {
	// An HTTP date a moment from now is a short wait, which the client makes; then the 429 comes
	// back until the retries are spent.
	hits, err := call429(t, time.Now().Add(time.Second).UTC().Format(http.TimeFormat), func(c *haptik.Config) { c.RetryMax = 1 },
		func(c *haptik.Client) error { _, err := c.TaskStatus(context.Background(), "t"); return err })
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || hits != 2 {
		t.Fatalf("err = %v after %d requests; want HTTP 429 after 2", err, hits)
	}
}

func TestRetryAfterRefusedAfterAShortOne(t *testing.T) {
	hits, err := call429(t, "0|3600", nil, func(c *haptik.Client) error {
		_, err := c.TaskStatus(context.Background(), "t")
		return err
	})
	var ra *haptik.RetryAfterError
	if !errors.As(err, &ra) || hits != 2 || ra.Attempts != 2 || !strings.Contains(err.Error(), "after 2 attempts") {
		t.Fatalf("err = %v after %d requests; want a RetryAfterError after 2 attempts", err, hits)
	}
}

func TestUnreadableRetryAfterIsIgnored(t *testing.T) {
	hits, err := call429(t, "soon", func(c *haptik.Config) { c.RetryMax = 1 }, func(c *haptik.Client) error {
		_, err := c.TaskStatus(context.Background(), "t")
		return err
	})
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || hits != 2 {
		t.Fatalf("err = %v after %d requests; want HTTP 429 after the usual backoff and 2 attempts", err, hits)
	}
}

func TestChatCallsHaveADeadline(t *testing.T) {
	// Retry-After 10 s is under the 30 s cap, but over the chat calls' own deadline.
	hits, err := call429(t, "10", func(c *haptik.Config) { c.ChatTimeout = time.Second },
		func(c *haptik.Client) error {
			_, err := c.ChatTranscript(context.Background(), haptik.HistoryQuery{UserName: "u", BusinessID: 1, ConversationNo: 1})
			return err
		})
	if err == nil || hits != 1 || !strings.Contains(err.Error(), "deadline") || !strings.Contains(err.Error(), "Retry-After: 10") {
		t.Fatalf("err = %v after %d requests; want the deadline to refuse the 10 s wait", err, hits)
	}
}

// TestRedirectDroppingTheBodyIsRefused redirects a POST with 301, 302 or 303 to a path of the same
// host that answers a GET with success: following it would report an upload (or a handoff) that
// never happened.
func TestRedirectDroppingTheBodyIsRefused(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		var gets atomic.Int32
		mux := http.NewServeMux()
		mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/landing/", code)
		})
		mux.HandleFunc("GET /landing/", func(w http.ResponseWriter, _ *http.Request) {
			gets.Add(1)
			_, _ = io.WriteString(w, `{"success":true,"body":{"task_id":"not-a-real-task"}}`)
		})
		srv := httptest.NewServer(mux)
		c := newClient(t, srv.URL)
		id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
		var re *haptik.RedirectError
		if err == nil || !errors.As(err, &re) {
			t.Errorf("HTTP %d on the upload: task %q, err %v; want a RedirectError", code, id, err)
		} else if !strings.Contains(err.Error(), srv.URL+"/landing/") || !strings.Contains(err.Error(), fmt.Sprint(code)) {
			t.Errorf("HTTP %d on the upload: the error does not name the status and target: %v", code, err)
		}
		err = c.SendChatToAgent(context.Background(), haptik.Handoff{TeamName: "S", UserName: "u", BusinessID: 1})
		if !errors.As(err, &re) {
			t.Errorf("HTTP %d on the handoff: err %v; want a RedirectError", code, err)
		}
		if gets.Load() != 0 {
			t.Errorf("HTTP %d: the redirect was followed with a GET", code)
		}
		srv.Close()
	}
}

// TestTemporaryRedirectOnTheSameHostResendsTheBody follows a 307 of the upload, which keeps the
// method, and checks the whole multipart body arrived at the new path.
func TestTemporaryRedirectOnTheSameHostResendsTheBody(t *testing.T) {
	var gotCSV string
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+haptik.UploadPath, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2"+haptik.UploadPath, http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("POST /v2"+haptik.UploadPath, func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("csv_file")
		if err == nil {
			b, _ := io.ReadAll(f)
			gotCSV = string(b)
		}
		if r.FormValue("domain_name") != "dom" || gotCSV != csvOne {
			jsonError(w, 400, "invalid doman")
			return
		}
		_, _ = io.WriteString(w, `{"success":true,"body":{"task_id":"t-307"}}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	id, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil || id != "t-307" {
		t.Fatalf("UploadFAQ = %q, %v; want the task of the redirected upload", id, err)
	}
}

func TestTooLargeAnswer(t *testing.T) {
	pad := strings.Repeat("x", 1<<20+10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"success":true,"body":{"task_id":"t1","pad":"`+pad+`"}}`)
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	var shape *haptik.ResponseError
	if !errors.As(err, &shape) || !strings.Contains(shape.Problem, "larger than") || !strings.Contains(shape.Problem, "1 MiB") ||
		strings.Contains(shape.Problem, "not JSON") {
		t.Fatalf("err = %v; want a ResponseError saying the answer is larger than 1 MiB", err)
	}
	_, err = newClient(t, srv.URL).ChatHistory(context.Background(), haptik.HistoryQuery{UserName: "u", BusinessID: 1, ConversationNo: 1})
	if !errors.As(err, &shape) || !strings.Contains(shape.Problem, "limit") {
		t.Fatalf("err = %v; want the chat history to suggest a limit", err)
	}
}

func TestHandoffSuccessOfTheWrongType(t *testing.T) {
	for _, body := range []string{`{"success": "false"}`, `{"success": "true"}`, `{"success": 1}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, body)
		}))
		err := newClient(t, srv.URL).SendChatToAgent(context.Background(), haptik.Handoff{TeamName: "S", UserName: "u", BusinessID: 1})
		srv.Close()
		var shape *haptik.ResponseError
		if !errors.As(err, &shape) || !strings.Contains(shape.Problem, "unexpected shape") || !strings.Contains(shape.Problem, body) ||
			strings.Contains(shape.Problem, "not JSON") {
			t.Errorf("body %s: err = %v; want a ResponseError about its shape, quoting it", body, err)
		}
	}
}

func TestUnknownCertificateAuthority(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"Success"}}`)
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).TaskStatus(context.Background(), "t")
	var netErr *haptik.TransportError
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &netErr) || !errors.As(err, &unknown) {
		t.Fatalf("err = %#v; want a TransportError caused by an unknown authority", err)
	}
	// The provider shows netErr.Err, so the advice must be there.
	for _, want := range []string{"SSL_CERT_FILE", "SSL_CERT_DIR", "certificate authority"} {
		if !strings.Contains(netErr.Err.Error(), want) {
			t.Errorf("the error does not mention %s: %v", want, err)
		}
	}
	if netErr.Attempts != 1 {
		t.Errorf("an untrusted certificate was tried %d times", netErr.Attempts)
	}
}

// TestSummaryRedactsBeforeCutting puts the token where the body's summary is cut short, so that a
// summary cut before redaction would keep its first characters.
func TestSummaryRedactsBeforeCutting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("a", 296)+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err == nil || strings.Contains(err.Error(), secretToken[:4]) {
		t.Fatalf("err = %v; want no part of the token", err)
	}
}

// TestChatCallTimesOut has Haptik never answer a handoff: the call ends at its own deadline with
// an error that says so, not with a context error the caller never set.
func TestChatCallTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server notices when the client gives up
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, func(c *haptik.Config) { c.ChatTimeout = 200 * time.Millisecond })
	err := c.SendChatToAgent(context.Background(), haptik.Handoff{TeamName: "S", UserName: "u", BusinessID: 1})
	var netErr *haptik.TransportError
	if !errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "200ms") ||
		netErr.Attempts != 1 {
		t.Fatalf("err = %v; want a TransportError after 1 attempt naming the 200ms chat deadline", err)
	}
	if !haptik.MayHaveActed(err) {
		t.Fatalf("a handoff that got no answer may have acted: %v", err)
	}
}

func TestRetryAfterBeyondADurationFailsAtOnce(t *testing.T) {
	hits, err := call429(t, "99999999999999999", nil, func(c *haptik.Client) error {
		_, err := c.TaskStatus(context.Background(), "t")
		return err
	})
	var ra *haptik.RetryAfterError
	if !errors.As(err, &ra) || hits != 1 || ra.Wait < 24*time.Hour {
		t.Fatalf("err = %v after %d requests; want a RetryAfterError after 1", err, hits)
	}
}
