package haptik_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

const secretToken = "s3cr3t-9d1e"

const csvOne = "node_name,question,answer\r\nn,hi,hello\r\n"

var fast = haptik.PollPolicy{MinInterval: 10 * time.Millisecond, MaxInterval: 100 * time.Millisecond, Fraction: 0.2}

func newClient(t *testing.T, url string, mod ...func(*haptik.Config)) *haptik.Client {
	t.Helper()
	cfg := haptik.Config{BaseURL: url, ClientID: "cid", Token: secretToken, UserAgent: "test-agent/1",
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := haptik.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newEmulator(t *testing.T, d time.Duration) (*emulator.Server, string) {
	emu := emulator.New(emulator.Config{Token: secretToken, ClientID: "cid", Domains: []string{"dom"}, TaskDuration: d})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL
}

func TestUploadAndWait(t *testing.T) {
	emu, url := newEmulator(t, 50*time.Millisecond)
	c := newClient(t, url+"/") // a trailing slash on the base URL is fine
	id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.TaskStatus(context.Background(), id)
	if err != nil || st.State != haptik.StateInProgress || st.Text != "In Progress" {
		t.Fatalf("first status = %+v, %v; want In Progress", st, err)
	}
	st, err = c.WaitForTask(context.Background(), id, fast)
	if err != nil || st.State != haptik.StateSucceeded {
		t.Fatalf("WaitForTask = %+v, %v", st, err)
	}
	if got := emu.ActiveNodes("dom"); len(got) != 1 || got[0].Name != "n" {
		t.Fatalf("active nodes %+v", got)
	}
	if ups := emu.Uploads(); len(ups) != 1 || ups[0].CSV != csvOne || ups[0].Domain != "dom" {
		t.Fatalf("uploads %+v", ups)
	}
}

func TestHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"In Progress"},"error":"","meta":{}}`)
	}))
	defer srv.Close()
	if _, err := newClient(t, srv.URL).TaskStatus(context.Background(), "t1"); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"Authorization": "Bearer " + secretToken, "Client-Id": "cid", "User-Agent": "test-agent/1"} {
		if got.Get(k) != want {
			t.Errorf("header %s = %q, want %q", k, got.Get(k), want)
		}
	}
}

func TestTaskFailure(t *testing.T) {
	emu, url := newEmulator(t, 0)
	emu.FailNextTask(emulator.TaskFault{Message: "Exception at node n: bad answer"})
	c := newClient(t, url)
	id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForTask(context.Background(), id, fast)
	var failed *haptik.TaskFailedError
	if !errors.As(err, &failed) || failed.Status != "Exception at node n: bad answer" || failed.TaskID != id {
		t.Fatalf("err = %v, want a TaskFailedError with Haptik's text", err)
	}
}

func TestAPIErrors(t *testing.T) {
	_, url := newEmulator(t, 0)
	cases := []struct {
		name   string
		mod    func(*haptik.Config)
		domain string
		status int
		msg    string
		auth   bool
	}{
		{"wrong token", func(c *haptik.Config) { c.Token = "nope" }, "dom", 401, "invalid token provided", true},
		{"wrong client id", func(c *haptik.Config) { c.ClientID = "nope" }, "dom", 403, "invalid client_id in headers", true},
		{"unknown domain", nil, "other", 400, "invalid doman", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*haptik.Config)
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			_, err := newClient(t, url, mods...).UploadFAQ(context.Background(), tc.domain, []byte(csvOne))
			var apiErr *haptik.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Message != tc.msg || apiErr.IsAuth() != tc.auth {
				t.Fatalf("err = %#v, want HTTP %d %q", err, tc.status, tc.msg)
			}
			if apiErr.Attempts != 1 {
				t.Fatalf("a %d was tried %d times; client errors are not retried", tc.status, apiErr.Attempts)
			}
			if strings.Contains(err.Error(), secretToken) || strings.Contains(err.Error(), "nope") {
				t.Fatalf("error leaks the token: %v", err)
			}
		})
	}
}

func TestRetriesServerErrorsThenSucceeds(t *testing.T) {
	emu, url := newEmulator(t, 0)
	emu.FailUploads(emulator.UploadFault{Status: 502, RawBody: "<html>Bad Gateway</html>", Count: 2})
	emu.FailUploads(emulator.UploadFault{Status: 503, Message: "maintenance"})
	id, err := newClient(t, url).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil || id == "" {
		t.Fatalf("UploadFAQ = %q, %v", id, err)
	}
	if n := len(emu.AcceptedUploads("dom")); n != 1 {
		t.Fatalf("%d accepted uploads, want 1", n)
	}
	if n := len(emu.Uploads()); n != 4 {
		t.Fatalf("%d upload requests, want 4", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	emu, url := newEmulator(t, 0)
	emu.FailUploads(emulator.UploadFault{Status: 429, Message: "slow down", RetryAfter: "1"})
	start := time.Now()
	if _, err := newClient(t, url).UploadFAQ(context.Background(), "dom", []byte(csvOne)); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %s, before the 1 s Retry-After", waited)
	}
}

func TestRetriesExhausted(t *testing.T) {
	emu, url := newEmulator(t, 0)
	emu.FailUploads(emulator.UploadFault{Status: 500, Message: "internal error", Count: 10})
	_, err := newClient(t, url, func(c *haptik.Config) { c.RetryMax = 2 }).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || apiErr.Attempts != 3 || apiErr.Message != "internal error" {
		t.Fatalf("err = %v, want HTTP 500 after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("error does not say how often it tried: %v", err)
	}
}

// The client retries exactly the answers IsTransient calls transient, and the README says the same:
// 429 and every 5xx but 501 Not Implemented.
func TestRetryRuleIsIsTransient(t *testing.T) {
	for _, status := range []int{400, 404, 409, 429, 500, 501, 502, 503, 504, 599} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			emu, url := newEmulator(t, 0)
			emu.FailUploads(emulator.UploadFault{Status: status, Message: "no", Count: 10})
			_, err := newClient(t, url, func(c *haptik.Config) { c.RetryMax = 1 }).UploadFAQ(context.Background(), "dom", []byte(csvOne))
			var apiErr *haptik.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %#v, want an APIError", err)
			}
			retried := apiErr.Attempts > 1
			want := status == 429 || (status >= 500 && status != 501)
			if retried != want || haptik.IsTransient(err) != want {
				t.Errorf("HTTP %d: retried %v, IsTransient %v; want both %v", status, retried, haptik.IsTransient(err), want)
			}
		})
	}
}

func TestNoServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := newClient(t, url, func(c *haptik.Config) { c.RetryMax = 1 }).TaskStatus(context.Background(), "t")
	var netErr *haptik.TransportError
	if !errors.As(err, &netErr) || netErr.Attempts != 2 {
		t.Fatalf("err = %#v, want a TransportError after 2 attempts", err)
	}
}

func TestMalformedResponses(t *testing.T) {
	cases := map[string]string{
		"not JSON":      "<html>gateway</html>",
		"no body":       `{"success":true}`,
		"no task_id":    `{"success":true,"body":{},"error":"","meta":{}}`,
		"body is array": `{"success":true,"body":[1],"error":"","meta":{}}`,
		"task_id int":   `{"success":true,"body":{"task_id":7}}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, body)
			}))
			defer srv.Close()
			_, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
			var shape *haptik.ResponseError
			if !errors.As(err, &shape) {
				t.Fatalf("err = %v, want a ResponseError", err)
			}
		})
	}
}

func TestSuccessFalseIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"success":false,"body":{},"error":"domain is locked","meta":{}}`)
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).UploadFAQ(context.Background(), "dom", []byte(csvOne))
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "domain is locked" {
		t.Fatalf("err = %v", err)
	}
}

func TestWaitHonoursCancellation(t *testing.T) {
	_, url := newEmulator(t, time.Hour)
	c := newClient(t, url)
	id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	st, err := c.WaitForTask(ctx, id, haptik.PollPolicy{MinInterval: 20 * time.Millisecond})
	if !errors.Is(err, context.Canceled) || st.Text != "In Progress" {
		t.Fatalf("WaitForTask = %+v, %v; want the last status and context.Canceled", st, err)
	}
}

func TestPollingBacksOff(t *testing.T) {
	var polls atomic.Int32
	start := time.Now()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		polls.Add(1)
		status := "In Progress"
		if time.Since(start) > 1500*time.Millisecond {
			status = "all nodes has been created successfully"
		}
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"`+status+`"}}`)
	}))
	defer srv.Close()
	p := haptik.PollPolicy{MinInterval: 100 * time.Millisecond, MaxInterval: time.Second, Fraction: 0.5}
	if _, err := newClient(t, srv.URL).WaitForTask(context.Background(), "t", p); err != nil {
		t.Fatal(err)
	}
	// A fixed 100 ms interval would poll about 16 times; backing off halves that at least.
	if n := polls.Load(); n > 9 {
		t.Fatalf("polled %d times in 1.5 s", n)
	}
}

func TestPollPolicyNext(t *testing.T) {
	p := haptik.DefaultPollPolicy
	for _, tc := range []struct{ elapsed, want time.Duration }{
		{0, 500 * time.Millisecond},
		{time.Second, 500 * time.Millisecond},
		{10 * time.Second, 2 * time.Second},
		{time.Hour, 2 * time.Minute},
	} {
		if got := p.Next(tc.elapsed); got != tc.want {
			t.Errorf("Next(%s) = %s, want %s", tc.elapsed, got, tc.want)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []haptik.Config{
		{BaseURL: "not a url", ClientID: "c", Token: "t"},
		{BaseURL: "ftp://host", ClientID: "c", Token: "t"},
		{BaseURL: "https://host", Token: "t"},
		{BaseURL: "https://host", ClientID: "c"},
	} {
		if _, err := haptik.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a bad config", cfg)
		}
	}
}

func TestWaitCarriesOnThroughTransientFailures(t *testing.T) {
	emu, url := newEmulator(t, 0)
	c := newClient(t, url, func(c *haptik.Config) {
		c.RetryMax = -1 // no retries inside a request: every fault reaches WaitForTask
		c.RequestTimeout = 100 * time.Millisecond
	})
	id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil {
		t.Fatal(err)
	}
	emu.FailStatus(emulator.StatusFault{Status: 503, Message: "down", Count: 2})
	emu.FailStatus(emulator.StatusFault{Reset: true})
	emu.FailStatus(emulator.StatusFault{Status: 502, RawBody: "<html>Bad Gateway</html>"})
	emu.FailStatus(emulator.StatusFault{DelayMS: 300}) // past the request timeout
	emu.FailStatus(emulator.StatusFault{Status: 429, Message: "slow down"})
	st, err := c.WaitForTask(context.Background(), id, fast)
	if err != nil || st.State != haptik.StateSucceeded {
		t.Fatalf("WaitForTask = %+v, %v; want success after the faults", st, err)
	}
}

func TestWaitReportsTheLastFailureWhenTimeRunsOut(t *testing.T) {
	emu, url := newEmulator(t, time.Hour)
	c := newClient(t, url, func(c *haptik.Config) { c.RetryMax = -1 })
	id, err := c.UploadFAQ(context.Background(), "dom", []byte(csvOne))
	if err != nil {
		t.Fatal(err)
	}
	emu.FailStatus(emulator.StatusFault{Status: 503, Message: "maintenance", Count: 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = c.WaitForTask(ctx, id, fast)
	var we *haptik.WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || we.FailedPolls < 2 ||
		!strings.Contains(err.Error(), `"maintenance"`) && !strings.Contains(err.Error(), "maintenance") {
		t.Fatalf("err = %v, want a deadline naming the last failure", err)
	}
}

func TestWaitStopsAtOnceOnRefusedCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error_message":"invalid token provided"}`)
	}))
	defer srv.Close()
	start := time.Now()
	_, err := newClient(t, srv.URL).WaitForTask(context.Background(), "t", fast)
	var apiErr *haptik.APIError
	if !errors.As(err, &apiErr) || !apiErr.IsAuth() || time.Since(start) > time.Second {
		t.Fatalf("err = %v after %s; want the 401 at once", err, time.Since(start))
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Header.Get("client-id") != "" {
			leaked.Add(1)
		}
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"In Progress"}}`)
	}))
	defer other.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer redirector.Close()

	_, err := newClient(t, redirector.URL).TaskStatus(context.Background(), "t")
	var re *haptik.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a RedirectError", err)
	}
	if leaked.Load() != 0 {
		t.Fatal("the credentials reached the other host")
	}
	if strings.Contains(err.Error(), secretToken) {
		t.Fatalf("the error leaks the token: %v", err)
	}
}

func TestRedirectOnTheSameHostIsFollowed(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v2") {
			http.Redirect(w, r, srv.URL+"/v2"+r.URL.Path, http.StatusPermanentRedirect)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+secretToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"success":true,"body":{"status":"Success"}}`)
	}))
	defer srv.Close()
	st, err := newClient(t, srv.URL).TaskStatus(context.Background(), "t")
	if err != nil || st.State != haptik.StateSucceeded {
		t.Fatalf("TaskStatus = %+v, %v", st, err)
	}
}

func TestUploadBodyIsExactAndSized(t *testing.T) {
	var gotLen int64
	var gotCSV, gotDomain string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotLen = r.ContentLength
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Errorf("multipart: %v", err)
		}
		gotDomain = r.FormValue("domain_name")
		f, _, err := r.FormFile("csv_file")
		if err == nil {
			b, _ := io.ReadAll(f)
			gotCSV = string(b)
		}
		w.WriteHeader(http.StatusServiceUnavailable) // retried: the body must be sent whole again
	}))
	defer srv.Close()
	csv := csvOne + "big,\"" + strings.Repeat("x", 100_000) + "\",y\r\n"
	_, err := newClient(t, srv.URL, func(c *haptik.Config) { c.RetryMax = 1 }).UploadFAQ(context.Background(), "dom", []byte(csv))
	if err == nil {
		t.Fatal("want the 503")
	}
	if gotCSV != csv || gotDomain != "dom" || gotLen <= int64(len(csv)) {
		t.Fatalf("the retried upload carried %d bytes of CSV (want %d), domain %q, Content-Length %d",
			len(gotCSV), len(csv), gotDomain, gotLen)
	}
}

func TestRequestTimeout(t *testing.T) {
	emu, url := newEmulator(t, 0)
	emu.FailStatus(emulator.StatusFault{DelayMS: 500, Count: 10})
	start := time.Now()
	_, err := newClient(t, url, func(c *haptik.Config) {
		c.RetryMax = 1
		c.RequestTimeout = 50 * time.Millisecond
	}).TaskStatus(context.Background(), "t")
	var netErr *haptik.TransportError
	if !errors.As(err, &netErr) || netErr.Attempts != 2 || time.Since(start) > 400*time.Millisecond {
		t.Fatalf("err = %v after %s, want a transport error after 2 quick attempts", err, time.Since(start))
	}
}
