package haptik_test

// Tests of what a server says reaching the caller bounded and cleaned, and of connections that
// never opened being told apart from those that may have carried the request.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// upload answers every upload with body and HTTP status 200.
func uploadAnswering(t *testing.T, body string) (*haptik.Client, *logSink, *atomic.Int32) {
	t.Helper()
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, haptik.StatusPath) {
			polls.Add(1)
		}
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	sink := &logSink{}
	return newClient(t, srv.URL, func(c *haptik.Config) { c.Log = sink.log }), sink, &polls
}

func taskIDBody(id string) string {
	b, _ := json.Marshal(map[string]any{"success": true, "body": map[string]string{"task_id": id}})
	return string(b)
}

// A task id that is not a short printable token is refused with the answer: a ResponseError that
// names the real HTTP status and quotes only the id's start, escaped; nothing is polled.
func TestUnusableTaskIDsAreRefused(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"escape codes": {taskIDBody("\x1b[2J\x1b[31mok\x1b]0;pwned\x07"), `holds the character "\x1b" at byte 1`},
		"1 MB":         {taskIDBody(strings.Repeat("7", 1_000_000)), "1000000 bytes long"},
		"a path":       {taskIDBody("../../x"), `holds the character "/"`},
		"empty":        {taskIDBody(""), "the task_id is empty"},
		"missing":      {`{"success":true,"body":{"id":7}}`, "the response body has no task_id"},
	} {
		t.Run(name, func(t *testing.T) {
			c, sink, polls := uploadAnswering(t, tc.body)
			id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
			var re *haptik.ResponseError
			if !errors.As(err, &re) || id != "" || !strings.Contains(re.Problem, tc.want) {
				t.Fatalf("UploadFAQ = %q, %v; want a ResponseError saying %q", id, err, tc.want)
			}
			if re.StatusCode != 200 || !strings.Contains(err.Error(), "(HTTP 200)") {
				t.Errorf("err = %v; want it to name HTTP 200", err)
			}
			if len(err.Error()) > 1000 || strings.ContainsAny(err.Error()+sink.text(), "\x1b\x07") {
				t.Errorf("the error (%d bytes) or the log is not short and clean: %.300q", len(err.Error()), err.Error()+sink.text())
			}
			if polls.Load() != 0 {
				t.Errorf("%d status polls for a refused task id", polls.Load())
			}
		})
	}
	// An id from elsewhere (an older provider's private state) is not polled either.
	c, _, polls := uploadAnswering(t, `{"success":true,"body":{"status":"Success"}}`)
	var pe *haptik.ParamError
	if _, err := c.TaskStatus(context.Background(), "\x1b[31m"); !errors.As(err, &pe) || polls.Load() != 0 {
		t.Fatalf("TaskStatus of an escape code = %v after %d polls; want a ParamError and no poll", err, polls.Load())
	}
}

// Status texts and error messages are quoted: escaped and capped, with the rest counted; the
// classification still reads the text Haptik sent.
func TestServerTextsAreQuoted(t *testing.T) {
	// 450 KB each for the status and the envelope's error: 900 KB of text, in a body under 1 MiB.
	huge := "\x1b[2J\x1b[Hnode 1 failed: " + strings.Repeat("x\x1b[31m", 1_000) + strings.Repeat("x", 440_000)
	c, sink, _ := uploadAnswering(t, `{"success":true,"body":{"status":`+jsonString(huge)+`},"error":`+jsonString(huge)+`}`)
	_, err := c.WaitForTask(context.Background(), "t1", fast)
	var failed *haptik.TaskFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("err = %v; want a TaskFailedError", err)
	}
	if len(failed.Status) > 2*haptik.MaxQuotedBytes+100 || !strings.Contains(failed.Status, `\x1b[2J\x1b[Hnode 1 failed: `) ||
		!strings.Contains(failed.Status, " more bytes") || strings.Contains(failed.Status, "\x1b") {
		t.Errorf("failure text (%d bytes) is not quoted: %.200q", len(failed.Status), failed.Status)
	}
	st, err := c.TaskStatus(context.Background(), "t1")
	if err != nil || st.State != haptik.StateFailed || len(st.Text) > haptik.MaxQuotedBytes+30 || len(st.EnvelopeError) > haptik.MaxQuotedBytes+30 {
		t.Errorf("TaskStatus = %d-byte text, %d-byte error, %v, %v", len(st.Text), len(st.EnvelopeError), st.State, err)
	}

	for name, body := range map[string]string{
		"error_message": `{"error_message":` + jsonString(huge) + `}`,
		"html page":     "<html>" + huge + "</html>",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, body)
		}))
		_, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
		srv.Close()
		var apiErr *haptik.APIError
		if !errors.As(err, &apiErr) || len(apiErr.Message) > haptik.MaxQuotedBytes+30 || strings.Contains(err.Error(), "\x1b") ||
			!strings.Contains(apiErr.Message, "more bytes") && !strings.Contains(apiErr.Message, "…") {
			t.Errorf("%s: the error (%d bytes) is not quoted: %.200q", name, len(err.Error()), err)
		}
	}
	if strings.Contains(sink.text(), "\x1b") {
		t.Error("the log holds an escape code")
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A connection that never opened sent nothing: refused, a host that does not resolve, https
// against a plain-http server, a certificate nobody trusts. A connection reset after the request
// was written may have delivered it.
func TestNotSentIsToldApart(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	defer untrusted.Close()
	reset := resetAfterRequest(t)

	for name, tc := range map[string]struct {
		url     string
		notSent bool
	}{
		"connection refused":  {closedURL, true},
		"unknown host":        {"https://haptik.invalid", true},
		"https against http":  {strings.Replace(plain.URL, "http://", "https://", 1), true},
		"unknown authority":   {untrusted.URL, true},
		"reset after request": {reset, false},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newClient(t, tc.url, func(c *haptik.Config) { c.RetryMax = 1 }).UploadFAQ(context.Background(), "dom", []byte(csvOne))
			var netErr *haptik.TransportError
			if !errors.As(err, &netErr) || netErr.NotSent != tc.notSent {
				t.Fatalf("err = %v (%#v); want a TransportError with NotSent %v", err, netErr, tc.notSent)
			}
			if tc.notSent != strings.Contains(err.Error(), "nothing was sent") {
				t.Errorf("err = %v; it must say nothing was sent exactly when nothing was", err)
			}
		})
	}
}

// A plain-http server behind an https:// URL gives the same answer every time: it is asked once,
// and told apart for the diagnostic.
func TestPlainHTTPAnswerIsNotRetried(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	_, err := newClient(t, strings.Replace(plain.URL, "http://", "https://", 1), func(c *haptik.Config) { c.RetryMax = 4 }).
		UploadFAQ(context.Background(), "dom", []byte(csvOne))
	var netErr *haptik.TransportError
	if !errors.As(err, &netErr) || !netErr.NotSent || netErr.Attempts != 1 || !haptik.IsPlainHTTPAnswer(err) {
		t.Fatalf("err = %v (%#v); want one attempt, nothing sent, told apart as a plain-http answer", err, netErr)
	}
	if haptik.IsPlainHTTPAnswer(errors.New("connection refused")) {
		t.Error("a refused connection reads as a plain-http answer")
	}
}

// resetAfterRequest serves a listener that reads each whole request and closes the connection
// without answering.
func resetAfterRequest(t *testing.T) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
					_, _ = io.Copy(io.Discard, req.Body)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}
