package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// exchange is one recorded GitHub API request and its answer (testdata/github/*.json). Bodies
// and headers name https://api.github.com; the replay serves them with its own URL there.
type exchange struct {
	Note    string `json:"note"`
	Request struct {
		Method       string   `json:"method"`
		Path         string   `json:"path"`
		BodyContains []string `json:"body_contains"`
		BodyExcludes []string `json:"body_excludes"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
}

// replay serves the exchanges of a recording in order, failing the test on any other request.
type replay struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	queue []exchange
}

func newReplay(t *testing.T, recording string) *replay {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "github", recording))
	if err != nil {
		t.Fatal(err)
	}
	r := &replay{t: t}
	if err := json.Unmarshal(b, &r.queue); err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *replay) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := req.Method + " " + req.URL.RequestURI()
	if len(r.queue) == 0 {
		r.t.Errorf("unexpected request %s after the recording ended", got)
		http.Error(w, `{"message":"not recorded"}`, http.StatusTeapot)
		return
	}
	ex := r.queue[0]
	r.queue = r.queue[1:]
	if want := ex.Request.Method + " " + ex.Request.Path; got != want {
		r.t.Errorf("request %s, recorded %s (%s)", got, want, ex.Note)
	}
	if a := req.Header.Get("Authorization"); a != "Bearer ghs_recorded" {
		r.t.Errorf("%s: Authorization %q", got, a)
	}
	if v := req.Header.Get("X-GitHub-Api-Version"); v != "2022-11-28" {
		r.t.Errorf("%s: X-GitHub-Api-Version %q", got, v)
	}
	body, _ := io.ReadAll(req.Body)
	if len(ex.Request.BodyContains)+len(ex.Request.BodyExcludes) > 0 {
		var sent struct {
			Body string `json:"body"`
		}
		if err := json.Unmarshal(body, &sent); err != nil {
			r.t.Errorf("%s: body %q is not {\"body\": ...}: %v", got, body, err)
		}
		for _, s := range ex.Request.BodyContains {
			if !strings.Contains(sent.Body, s) {
				r.t.Errorf("%s (%s): the comment lacks %q:\n%s", got, ex.Note, s, sent.Body)
			}
		}
		for _, s := range ex.Request.BodyExcludes {
			if strings.Contains(sent.Body, s) {
				r.t.Errorf("%s (%s): the comment still holds %q:\n%s", got, ex.Note, s, sent.Body)
			}
		}
	}
	for k, v := range ex.Response.Headers {
		w.Header().Set(k, strings.ReplaceAll(v, "https://api.github.com", r.srv.URL))
	}
	w.WriteHeader(ex.Response.Status)
	_, _ = w.Write(bytes.ReplaceAll(ex.Response.Body, []byte("https://api.github.com"), []byte(r.srv.URL)))
}

// done fails the test when exchanges of the recording were never requested.
func (r *replay) done() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ex := range r.queue {
		r.t.Errorf("recorded request %s %s never sent (%s)", ex.Request.Method, ex.Request.Path, ex.Note)
	}
}

func (r *replay) env(name string) string {
	return map[string]string{"GITHUB_TOKEN": "ghs_recorded", "GITHUB_REPOSITORY": "acme/faq-bot", "GITHUB_API_URL": r.srv.URL}[name]
}

// TestComment_lifecycle replays a pull request's review comment through failure, success,
// failure and success: the first run creates the workflow's own comment although another user
// planted a marker comment, and every later run replaces that same comment, so neither a stale
// summary nor a stale failure survives.
func TestComment_lifecycle(t *testing.T) {
	rp := newReplay(t, "lifecycle.json")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	separator, err := os.ReadFile(filepath.Join("testdata", "plan-separator.txt"))
	if err != nil {
		t.Fatal(err)
	}
	planFail := write("plan-1.txt", string(separator))
	write("faq/account.yaml", "# Account topics\nreset_password:\n  user_says:\n    - forgot | password\n")
	write("faq/billing.yaml", "refunds:\n  user_says: [money back]\n")
	summary := write("comment.md", "<!-- haptik-faq-review -->\n## FAQ changes in this plan\n\n**1 domain changes: 0 added, 0 edited, 1 deactivated.**\n")
	duplicate := write("plan-3.txt", `haptik_faq_domain.support: Refreshing state... [id=acme_support]

Planning failed. Terraform encountered an error while generating this plan.

Error: Resource precondition failed

  on main.tf line 42, in resource "haptik_faq_domain" "support":
  42:       condition     = length(local.duplicates) == 0
    ├────────────────
    │ local.duplicates is tuple with 1 element

Each node name may appear in one faq/*.yaml file only: refunds (in
faq/billing.yaml and faq/zz.yaml).

Error: Invalid User Says

  with haptik_faq_domain.support,
  on main.tf line 24, in resource "haptik_faq_domain" "support":
  24: resource "haptik_faq_domain" "support" {

nodes["reset_password"].user_says[0]: the user says is blank.
`)
	sources := filepath.Join(dir, "faq", "*.yaml")
	runs := []struct {
		args []string
		out  string
	}{
		{[]string{"-pr", "7", "-failure", planFail, "-sources", sources, "-link", "https://github.com/acme/faq-bot/actions/runs/901"}, "created comment https://github.com/acme/faq-bot/pull/7#issuecomment-2011"},
		{[]string{"-pr", "7", "-body", summary, "-link", "https://github.com/acme/faq-bot/actions/runs/902"}, "updated comment https://github.com/acme/faq-bot/pull/7#issuecomment-2011"},
		{[]string{"-pr", "7", "-failure", duplicate, "-sources", sources}, "updated comment"},
		{[]string{"-pr", "7", "-body", summary}, "updated comment"},
	}
	for i, r := range runs {
		var stdout, stderr bytes.Buffer
		if got := runComment(r.args, rp.env, rp.srv.Client(), &stdout, &stderr); got != 0 || !strings.Contains(stdout.String(), r.out) {
			t.Errorf("run %d: status %d, stdout %q (want %q), stderr %q", i+1, got, stdout.String(), r.out, stderr.String())
		}
	}
	rp.done()
}

// TestComment_personalToken replays a token whose user GET /user names: that user's marker
// comment is updated, never the one another user planted before it, and an unchanged body is not
// sent again.
func TestComment_personalToken(t *testing.T) {
	rp := newReplay(t, "personal-token.json")
	summary := filepath.Join(t.TempDir(), "comment.md")
	if err := os.WriteFile(summary, []byte("<!-- haptik-faq-review -->\n## FAQ changes in this plan\n\n**1 domain changes: 0 added, 0 edited, 2 deactivated.**\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"updated comment https://github.com/acme/faq-bot/pull/7#issuecomment-2020", "is already current"} {
		var stdout, stderr bytes.Buffer
		if got := runComment([]string{"-pr", "7", "-body", summary}, rp.env, rp.srv.Client(), &stdout, &stderr); got != 0 || !strings.Contains(stdout.String(), want) {
			t.Errorf("run %d: status %d, stdout %q (want %q), stderr %q", i+1, got, stdout.String(), want, stderr.String())
		}
	}
	rp.done()
}

func TestComment_errors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/user" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
			return
		}
		t.Errorf("unexpected %s %s", r.Method, r.URL)
	}))
	defer srv.Close()
	body := filepath.Join(t.TempDir(), "comment.md")
	if err := os.WriteFile(body, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	good := map[string]string{"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "acme/faq-bot", "GITHUB_API_URL": srv.URL}
	for _, tc := range []struct {
		args   []string
		env    map[string]string
		status int
		stderr string
	}{
		{[]string{"-pr", "7", "-body", body}, good, exitError, "GitHub answered 401 Unauthorized to GET /user: Bad credentials"},
		{[]string{"-body", body}, good, exitUsage, "-pr must be"},
		{[]string{"-pr", "7"}, good, exitUsage, "exactly one of -body and -failure"},
		{[]string{"-pr", "7", "-body", body, "-failure", body}, good, exitUsage, "exactly one of -body and -failure"},
		{[]string{"-pr", "7", "-body", body}, map[string]string{"GITHUB_REPOSITORY": "acme/faq-bot"}, exitUsage, "GITHUB_TOKEN is not set"},
		{[]string{"-pr", "7", "-body", body}, map[string]string{"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "faq-bot"}, exitUsage, "owner/name"},
		{[]string{"-pr", "7", "-body", body + ".missing"}, good, exitError, "no such file"},
	} {
		var stdout, stderr bytes.Buffer
		if got := runComment(tc.args, env(tc.env), srv.Client(), &stdout, &stderr); got != tc.status || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%v: status %d (want %d), stderr %q (want %q)", tc.args, got, tc.status, stderr.String(), tc.stderr)
		}
	}
}

// TestComment_nextPageElsewhere: a Link header pointing away from the API never receives the token.
func TestComment_nextPageElsewhere(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the token went to %s", r.URL)
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/user" {
			_, _ = io.WriteString(w, `{"login":"octo"}`)
			return
		}
		w.Header().Set("Link", "<"+other.URL+"/repos/acme/faq-bot/issues/7/comments?page=2>; rel=\"next\"")
		_, _ = io.WriteString(w, `[]`)
	}))
	defer api.Close()
	body := filepath.Join(t.TempDir(), "comment.md")
	if err := os.WriteFile(body, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "acme/faq-bot", "GITHUB_API_URL": api.URL}
	var stdout, stderr bytes.Buffer
	if got := runComment([]string{"-pr", "7", "-body", body}, func(k string) string { return env[k] }, api.Client(), &stdout, &stderr); got != exitError || !strings.Contains(stderr.String(), "is not under") {
		t.Errorf("status %d, stderr %q", got, stderr.String())
	}
}

func TestFailureBody(t *testing.T) {
	out, err := os.ReadFile(filepath.Join("testdata", "plan-separator.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	account := filepath.Join(dir, "account.yaml")
	if err := os.WriteFile(account, []byte("change_email:\n  user_says: [a]\n\"reset_password\":\n  user_says: [b]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	body := failureBody(string(out), true, []string{account}, "")
	for _, want := range []string{
		"<!-- haptik-faq-review -->\n",
		"The first errors:",
		"Error: Separator Inside User Says",
		`nodes["reset_password"].user_says[1]: "|" separates user says`,
		"Error: Invalid function argument",
		"- `reset_password`: `" + account + "` line 3",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the failure comment lacks %q:\n%s", want, body)
		}
	}
	// Warnings (the development override, the formula) are not errors.
	for _, not := range []string{"Provider development overrides", "Spreadsheet Formula"} {
		if strings.Contains(body, not) {
			t.Errorf("the failure comment quotes the warning %q:\n%s", not, body)
		}
	}
	if b := failureBody("", false, nil, "https://run"); !strings.Contains(b, "failed before the plan ran") || !strings.Contains(b, "(https://run)") {
		t.Errorf("no plan output: %s", b)
	}
	if b := failureBody("go: command not found\nexit status 127\n", true, nil, ""); !strings.Contains(b, "no `Error:` line") || !strings.Contains(b, "exit status 127") {
		t.Errorf("no Error line: %s", b)
	}
	if b := failureBody("Error: x\n\n```\ncode\n```\n", true, nil, ""); !strings.Contains(b, "````text\n") {
		t.Errorf("a fence inside the errors is not outrun: %s", b)
	}
	long := strings.Repeat("Error: one\n\ndetail\n", 100)
	if b := failureBody(long, true, nil, ""); strings.Count(b, "Error: one") > failureLines/2 || !strings.Contains(b, "…") {
		t.Errorf("%d errors quoted from 100", strings.Count(b, "Error: one"))
	}
}

func TestSummaryBody(t *testing.T) {
	if got := summaryBody("<!-- haptik-faq-review -->\nsummary\n", "https://run"); got != "<!-- haptik-faq-review -->\nsummary\n\n[Full plan output](https://run)\n" {
		t.Errorf("%q", got)
	}
	if got := summaryBody("no marker", ""); got != "<!-- haptik-faq-review -->\nno marker" {
		t.Errorf("%q", got)
	}
	huge := summaryBody("<!-- haptik-faq-review -->\n"+strings.Repeat("न", 70000), "https://run")
	if n := len([]rune(huge)); n > githubCommentLimit || !strings.HasSuffix(huge, "(https://run)\n") || !strings.Contains(huge, "cut here") {
		t.Errorf("%d characters, ends %q", n, huge[len(huge)-40:])
	}
}
