//go:build unix

package scripts

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow file that runWorkflowJob runs.
type workflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		If    string            `yaml:"if"`
		Env   map[string]string `yaml:"env"`
		Steps []workflowStep    `yaml:"steps"`
	} `yaml:"jobs"`
}

type workflowStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

func readWorkflow(t *testing.T, path string) *workflow {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &w
}

// runner runs a workflow's jobs on this machine the way a GitHub-hosted runner does: each run
// step's script with bash --noprofile --norc -eo pipefail in the workspace, the workflow's, job's
// and step's env, ${{ }} expressions replaced from values, GITHUB_ENV and GITHUB_PATH honored,
// and a step without if: skipped once one has failed (if: always() runs anyway). Actions (uses:)
// are the test's to stand in for: checkout, setup-terraform, setup-go and upload-artifact need
// nothing here (the workspace is the test's, terraform and go are on PATH).
type runner struct {
	t  *testing.T
	wf *workflow
	// source is the repository's content: every job starts with a fresh copy of it, as
	// actions/checkout gives it.
	source string
	values map[string]string // expression → value
	// env is what GitHub sets for every step (GITHUB_REPOSITORY, GITHUB_API_URL).
	env []string
	// replace stands in for the step with this id (the install step).
	replace map[string]func(githubEnv, githubPath string)
}

// jobResult is what one job run did.
type jobResult struct {
	ok        bool
	workspace string
	outcomes  map[string]string // step id or name → success, failure or skipped
	env       map[string]string // the job's environment (workflow env, job env), expressions replaced
	log       strings.Builder
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func (r *runner) expand(s string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		expr := expression.FindStringSubmatch(m)[1]
		v, ok := r.values[expr]
		if !ok {
			r.t.Fatalf("the workflow uses ${{ %s }}, which this test gives no value", expr)
		}
		return v
	})
}

func (r *runner) runJob(name, wantIf string) *jobResult {
	t := r.t
	t.Helper()
	job, ok := r.wf.Jobs[name]
	if !ok {
		t.Fatalf("the workflow has no job %q", name)
	}
	if job.If != wantIf {
		t.Fatalf("job %s runs if %q, want %q", name, job.If, wantIf)
	}
	res := &jobResult{ok: true, workspace: t.TempDir(), outcomes: map[string]string{}, env: map[string]string{}}
	copyDir(t, r.source, res.workspace)
	for k, v := range r.wf.Env {
		res.env[k] = r.expand(v)
	}
	for k, v := range job.Env {
		res.env[k] = r.expand(v)
	}
	temp := t.TempDir()
	githubEnv, githubPath := filepath.Join(temp, "github_env"), filepath.Join(temp, "github_path")
	var path []string
	for i, step := range job.Steps {
		label := step.ID
		if label == "" {
			label = step.Name
		}
		if label == "" {
			label = step.Uses
		}
		if label == "" {
			label = fmt.Sprintf("step %d", i+1)
		}
		switch step.If {
		case "":
			if !res.ok {
				res.outcomes[label] = "skipped"
				continue
			}
		case "always()":
		default:
			t.Fatalf("%s: if: %q is not understood by this test", label, step.If)
		}
		if f, ok := r.replace[step.ID]; ok {
			f(githubEnv, githubPath)
			res.outcomes[label] = "success"
			continue
		}
		if step.Uses != "" {
			switch action, _, _ := strings.Cut(step.Uses, "@"); action {
			case "actions/checkout", "hashicorp/setup-terraform", "actions/setup-go", "actions/upload-artifact":
			default:
				t.Fatalf("%s: the action %s is not stood in for by this test", label, step.Uses)
			}
			res.outcomes[label] = "success"
			continue
		}
		// What earlier steps appended to GITHUB_ENV and GITHUB_PATH.
		if b, err := os.ReadFile(githubEnv); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					res.env[k] = v
				}
			}
		}
		path = path[:0]
		if b, err := os.ReadFile(githubPath); err == nil {
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if line != "" {
					path = append([]string{line}, path...)
				}
			}
		}
		if step.Run == "" {
			res.outcomes[label] = "success"
			continue
		}
		env := cleanEnv("TF_", "HAPTIK_", "PG", "GITHUB_", "RUNNER_", "CI")
		for i, kv := range env {
			if strings.HasPrefix(kv, "PATH=") {
				env[i] = "PATH=" + strings.Join(append(path, strings.TrimPrefix(kv, "PATH=")), ":")
			}
		}
		env = append(env, "CI=true", "GITHUB_ACTIONS=true", "CHECKPOINT_DISABLE=1", "HOME="+temp,
			"RUNNER_TEMP="+temp, "GITHUB_ENV="+githubEnv, "GITHUB_PATH="+githubPath, "GITHUB_WORKSPACE="+res.workspace)
		env = append(env, r.env...)
		for k, v := range res.env {
			env = append(env, k+"="+v)
		}
		for k, v := range step.Env {
			env = append(env, k+"="+r.expand(v))
		}
		script := filepath.Join(temp, fmt.Sprintf("step-%d.sh", i+1))
		if err := os.WriteFile(script, []byte(r.expand(step.Run)), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir, cmd.Env = res.workspace, env
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&res.log, "--- %s/%s (%v)\n%s\n", name, label, err, out)
		if err != nil {
			res.outcomes[label] = "failure"
			res.ok = false
		} else {
			res.outcomes[label] = "success"
		}
	}
	return res
}

// fakeGitHub serves the issue-comment API for one pull request of one repository, answering as
// GitHub does for a workflow's GITHUB_TOKEN: GET /user is refused, comments are written as
// github-actions[bot], lists are paginated with Link headers.
type fakeGitHub struct {
	srv      *httptest.Server
	mu       sync.Mutex
	token    string
	comments []fakeComment
	nextID   int64
	writes   []string // "POST id" or "PATCH id"
}

type fakeComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"user"`
	HTMLURL string `json:"html_url"`
}

func newFakeGitHub(t *testing.T, token string) *fakeGitHub {
	g := &fakeGitHub{token: token, nextID: 5000}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGitHub) add(login, body string) fakeComment {
	g.nextID++
	c := fakeComment{ID: g.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.com/acme/faq-bot/pull/7#issuecomment-%d", g.nextID)}
	c.User.Login, c.User.Type = login, "User"
	if strings.HasSuffix(login, "[bot]") {
		c.User.Type = "Bot"
	}
	g.comments = append(g.comments, c)
	return c
}

func (g *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.Header.Get("Authorization") != "Bearer "+g.token {
		reply(http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
			reply(http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request."})
			return
		}
	}
	const list = "/repos/acme/faq-bot/issues/7/comments"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/user":
		reply(http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration"})
	case r.Method == http.MethodGet && r.URL.Path == list:
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if per <= 0 || per > 100 {
			per = 30
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		lo, hi := min((page-1)*per, len(g.comments)), min(page*per, len(g.comments))
		if hi < len(g.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=%d&page=%d>; rel="next"`, g.srv.URL, list, per, page+1))
		}
		reply(http.StatusOK, g.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == list:
		c := g.add("github-actions[bot]", in.Body)
		g.writes = append(g.writes, fmt.Sprintf("POST %d", c.ID))
		reply(http.StatusCreated, c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/acme/faq-bot/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/acme/faq-bot/issues/comments/"), 10, 64)
		for i := range g.comments {
			if g.comments[i].ID == id {
				if g.comments[i].User.Login != "github-actions[bot]" {
					reply(http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration"})
					return
				}
				g.comments[i].Body = in.Body
				g.writes = append(g.writes, fmt.Sprintf("PATCH %d", id))
				reply(http.StatusOK, g.comments[i])
				return
			}
		}
		reply(http.StatusNotFound, map[string]string{"message": "Not Found"})
	default:
		reply(http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

// reviewComments are the marker comments, by author.
func (g *fakeGitHub) reviewComments() map[string][]fakeComment {
	g.mu.Lock()
	defer g.mu.Unlock()
	byAuthor := map[string][]fakeComment{}
	for _, c := range g.comments {
		if strings.HasPrefix(c.Body, "<!-- haptik-faq-review -->") {
			byAuthor[c.User.Login] = append(byAuthor[c.User.Login], c)
		}
	}
	return byAuthor
}

// copyDir copies the files under src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
