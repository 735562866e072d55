//go:build unix

package scripts

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// TestAccGitOpsWorkflow_pgBackend runs the GitOps example's workflow (examples/gitops) as GitHub
// would, job by job, against the emulator and a real PostgreSQL holding the state through
// Terraform's pg backend, with the roles of examples/gitops/state-roles.sql:
//
//   - a merge: the apply job (the state's owner, Haptik's credentials) uploads the content;
//   - the plan job's read-only role can plan, but an apply with it fails to write the state and
//     leaves it as it was;
//   - a pull request that removes a node: the plan job (read-only role, no Haptik variable, so
//     nothing reaches Haptik) posts a review naming the removed node, as the workflow's own
//     comment beside a marker comment another user planted;
//   - a push that removes more nodes than max_deactivations: the plan fails and the same comment
//     is replaced by the error; a push that fixes it brings the summary back;
//   - the merge: the apply job updates the domain in place, the emulator's record shows the upload
//     without the node, and a plan afterwards has nothing to do.
//
// The install step is stood in for by the provider and haptik-faq built from this checkout, the
// provider in a filesystem mirror (the real step builds both from the commit the lock file
// names, or downloads haptik-faq of the release the lock file names).
func TestAccGitOpsWorkflow_pgBackend(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the GitOps workflow with the Terraform CLI and PostgreSQL; set TF_ACC=1")
	}
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" && h != "registry.terraform.io" {
		t.Skipf("TF_ACC_PROVIDER_HOST=%s: the GitOps workflow installs the provider for Terraform's registry address", h)
	}
	tf := terraformPath(t)
	skipWithoutPgBackend(t, tf)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(root, "examples", "gitops")

	pg := startPostgres(t)
	pg.psql(t, "-d", "postgres", "-v", "writer_password=writer-secret", "-v", "reader_password=reader-secret",
		"-f", filepath.Join(example, "state-roles.sql"))
	writer := pg.connStr("faq_state_writer", "writer-secret", "faq_state")
	reader := pg.connStr("faq_state_reader", "reader-secret", "faq_state")
	stateSerial := func() int {
		t.Helper()
		out := pg.psql(t, "-d", "faq_state", "-tA", "-c", "SELECT data FROM terraform_remote_state.states WHERE name = 'default'")
		var st struct {
			Serial int `json:"serial"`
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("the state row is not a state: %v\n%s", err, out)
		}
		return st.Serial
	}

	em := emulator.New(emulator.Config{Token: "e2e-token", ClientID: "e2e-client"})
	haptik := httptest.NewServer(em)
	defer haptik.Close()

	// The install step's result: haptik-faq on PATH, and the provider in a filesystem mirror, here
	// as the release the example's "~> 0.1" selects.
	bin, mirror := t.TempDir(), t.TempDir()
	host := "registry.terraform.io"
	if v := os.Getenv("TF_ACC_PROVIDER_HOST"); v != "" {
		host = strings.TrimSuffix(v, "/")
	}
	addr := host + "/faqops/haptik"
	providerBin := filepath.Join(mirror, addr, "0.1.0", runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-haptik_v0.1.0")
	run(t, root, nil, "go", "build", "-ldflags", "-X main.version=0.1.0", "-o", providerBin, ".")
	run(t, root, nil, "go", "build", "-o", bin+"/", "./internal/cmd/haptik-faq")
	tfrc := filepath.Join(bin, "haptik.tfrc")
	if err := os.WriteFile(tfrc, []byte(`provider_installation {
  filesystem_mirror {
    path    = "`+mirror+`"
    include = ["`+addr+`"]
  }
  direct {
    exclude = ["`+addr+`"]
  }
}
`), 0o600); err != nil {
		t.Fatal(err)
	}

	gh := newFakeGitHub(t, "ghs_e2e")
	// A long discussion (the workflow's comment lands on the second page), with a planted marker
	// comment by another user.
	for i := range 100 {
		if i == 2 {
			gh.add("mallory-fork", "<!-- haptik-faq-review -->\n## FAQ changes in this plan\n\nNo FAQ content changes.")
			continue
		}
		gh.add("alice-content", "Looks good to me.")
	}
	planted := gh.reviewComments()["mallory-fork"]

	source := t.TempDir()
	copyDir(t, filepath.Join(example, "faq"), filepath.Join(source, "faq"))
	mainTF, err := os.ReadFile(filepath.Join(example, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(source, "main.tf"), mainTF, 0o600); err != nil {
		t.Fatal(err)
	}
	edit := func(file, from, to string) {
		t.Helper()
		p := filepath.Join(source, "faq", file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), from) {
			t.Fatalf("%s does not hold %q", file, from)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), from, to, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	r := &runner{
		t:      t,
		wf:     readWorkflow(t, filepath.Join(example, "github-workflow.yml")),
		source: source,
		values: map[string]string{
			"secrets.STATE_READER_CONN_STR":    reader,
			"secrets.STATE_WRITER_CONN_STR":    writer,
			"vars.HAPTIK_BASE_URL":             haptik.URL,
			"secrets.HAPTIK_CLIENT_ID":         "e2e-client",
			"secrets.HAPTIK_TOKEN":             "e2e-token",
			"github.token":                     "ghs_e2e",
			"github.event.pull_request.number": "7",
			"github.server_url":                "https://github.com",
			"github.repository":                "acme/faq-bot",
		},
		env: []string{"GITHUB_REPOSITORY=acme/faq-bot", "GITHUB_API_URL=" + gh.srv.URL},
		replace: map[string]func(string, string){
			"install": func(githubEnv, githubPath string) {
				appendFile(t, githubPath, bin+"\n")
				appendFile(t, githubEnv, "TF_CLI_CONFIG_FILE="+tfrc+"\n")
			},
		},
	}
	job := func(name string, runID string, wantOK bool) *jobResult {
		t.Helper()
		r.values["github.run_id"] = runID
		want := map[string]string{"plan": "github.event_name == 'pull_request'", "apply": "github.event_name == 'push'"}[name]
		res := r.runJob(name, want)
		if res.ok != wantOK {
			t.Fatalf("job %s (run %s) ok = %v, want %v; steps %v\n%s", name, runID, res.ok, wantOK, res.outcomes, res.log.String())
		}
		return res
	}
	ourComment := func() fakeComment {
		t.Helper()
		byAuthor := gh.reviewComments()
		if got := byAuthor["mallory-fork"]; len(got) != 1 || got[0] != planted[0] {
			t.Fatalf("the planted comment changed: %+v", got)
		}
		ours := byAuthor["github-actions[bot]"]
		if len(ours) != 1 {
			t.Fatalf("the workflow's review comments: %+v", ours)
		}
		return ours[0]
	}
	terraform := func(dir string, env []string, args ...string) (string, error) {
		t.Helper()
		return runErr(t, dir, env, tf, args...)
	}

	// The first merge: the apply job creates the domain and the state.
	job("apply", "1001", true)
	if got := nodeNames(em.ActiveNodes("acme_support")); !slices.Equal(got, []string{"change_email", "invoices", "refunds", "reset_password"}) {
		t.Fatalf("after the first apply the emulator holds %v", got)
	}
	serial := stateSerial()

	// The plan job's role reads the state but cannot write it: a plan works, an apply fails at
	// the state write and the state stays as it was. (deletion_policy changes nothing in Haptik,
	// so this apply sends nothing there and needs no Haptik credentials.)
	readerEnv := append(cleanEnv("TF_", "HAPTIK_", "PG"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+tfrc,
		"PG_CONN_STR="+reader, "PG_SKIP_SCHEMA_CREATION=true", "PG_SKIP_TABLE_CREATION=true", "PG_SKIP_INDEX_CREATION=true")
	ro := t.TempDir()
	copyDir(t, source, ro)
	if out, err := terraform(ro, readerEnv, "init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init with the read-only role: %v\n%s", err, out)
	}
	if out, err := terraform(ro, readerEnv, "plan", "-input=false", "-lock=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("terraform plan -lock=false with the read-only role after the apply: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(ro, "readonly_override.tf"), []byte(`resource "haptik_faq_domain" "support" {
  deletion_policy = "retain"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	requests := len(em.Requests())
	out, err := terraform(ro, readerEnv, "apply", "-input=false", "-auto-approve", "-no-color")
	if err == nil || !strings.Contains(out, "permission denied for table states") {
		t.Fatalf("an apply with the read-only role did not fail to write the state (%v):\n%s", err, out)
	}
	// It took the state's lock first: advisory locks need no privilege, which is why the plan job
	// passes -lock=false (the guide says so).
	if strings.Contains(out, "Error acquiring the state lock") {
		t.Fatalf("the read-only role could not take the advisory lock:\n%s", out)
	}
	if got := stateSerial(); got != serial {
		t.Fatalf("the read-only role's apply changed the state's serial from %d to %d", serial, got)
	}
	if got := len(em.Requests()); got != requests {
		t.Fatalf("the read-only apply sent %d requests to Haptik", got-requests)
	}

	// A pull request removes a node: the review names it, and nothing reaches Haptik.
	edit("billing.yaml", "invoices:\n  user_says:\n    - Where are my invoices?\n  bot_says:\n    - Invoices are under Settings > Billing > Invoices.\n", "")
	plan := job("plan", "1002", true)
	for k := range plan.env {
		if strings.HasPrefix(k, "HAPTIK_") {
			t.Errorf("the plan job has %s in its environment", k)
		}
	}
	if got := len(em.Requests()); got != requests {
		t.Errorf("the plan job sent %d requests to Haptik", got-requests)
	}
	first := ourComment()
	for _, want := range []string{"0 added, 0 edited, 1 deactivated", "⛔ Deactivated", "`invoices`", "Where are my invoices?",
		"[Full plan output](https://github.com/acme/faq-bot/actions/runs/1002)"} {
		if !strings.Contains(first.Body, want) {
			t.Errorf("the review lacks %q:\n%s", want, first.Body)
		}
	}

	// A push that removes two more nodes than max_deactivations allows: the plan fails, and the
	// same comment now shows the error instead of the summary.
	account, err := os.ReadFile(filepath.Join(source, "faq", "account.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(source, "faq", "account.yaml")); err != nil {
		t.Fatal(err)
	}
	plan = job("plan", "1003", false)
	if plan.outcomes["Post or update the review comment"] != "success" {
		t.Fatalf("the comment step did not run after the failed plan: %v\n%s", plan.outcomes, plan.log.String())
	}
	failed := ourComment()
	if failed.ID != first.ID {
		t.Errorf("the failure is comment %d, the summary was %d", failed.ID, first.ID)
	}
	for _, want := range []string{"The plan failed", "Error: Too Many Nodes Would Be Deactivated", `max_deactivations = 2`,
		`"change_email"`, `"reset_password"`, "[Full plan output](https://github.com/acme/faq-bot/actions/runs/1003)"} {
		if !strings.Contains(failed.Body, want) {
			t.Errorf("the failure comment lacks %q:\n%s", want, failed.Body)
		}
	}
	if strings.Contains(failed.Body, "⛔ Deactivated") {
		t.Errorf("the failure comment still holds the summary:\n%s", failed.Body)
	}

	// The fix: the summary is back in the same comment.
	if err := os.WriteFile(filepath.Join(source, "faq", "account.yaml"), account, 0o600); err != nil {
		t.Fatal(err)
	}
	job("plan", "1004", true)
	if again := ourComment(); again.ID != first.ID || !strings.Contains(again.Body, "`invoices`") || strings.Contains(again.Body, "The plan failed") {
		t.Errorf("after the fix, comment %d (first %d):\n%s", again.ID, first.ID, again.Body)
	}
	if want := []string{"POST " + itoa(first.ID), "PATCH " + itoa(first.ID), "PATCH " + itoa(first.ID)}; !slices.Equal(gh.writes, want) {
		t.Errorf("comment writes %v, want %v", gh.writes, want)
	}

	// The merge: the apply job updates the domain in place.
	apply := job("apply", "1005", true)
	if !strings.Contains(apply.log.String(), "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.") {
		t.Errorf("the merge did not update in place:\n%s", apply.log.String())
	}
	uploads := em.AcceptedUploads("acme_support")
	if len(uploads) != 2 || strings.Contains(uploads[1].CSV, "invoices") || !strings.Contains(uploads[1].CSV, "refunds") {
		t.Fatalf("the emulator's uploads: %+v", uploads)
	}
	if got := nodeNames(em.ActiveNodes("acme_support")); !slices.Equal(got, []string{"change_email", "refunds", "reset_password"}) {
		t.Errorf("after the merge the emulator holds %v", got)
	}
	if got := stateSerial(); got <= serial {
		t.Errorf("the merge's apply left the state's serial at %d", got)
	}
	// The apply converged: a plan of the merged content (the writer's, in the apply's workspace)
	// has nothing to do.
	writerEnv := append(cleanEnv("TF_", "HAPTIK_", "PG"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+tfrc, "PG_CONN_STR="+writer)
	if out, err := terraform(apply.workspace, writerEnv, "plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 {
			t.Errorf("the plan after the merge is not empty:\n%s", out)
		} else {
			t.Errorf("terraform plan after the merge: %v\n%s", err, out)
		}
	}
}

func nodeNames(nodes []emulator.Node) []string {
	var names []string
	for _, n := range nodes {
		names = append(names, n.Name)
	}
	slices.Sort(names)
	return names
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// skipWithoutPgBackend skips when the engine under test was built without the pg backend: the
// Terraform 1.14 that make engines builds from the Go module proxy lacks the remote-state
// backends (their modules are not served there). Terraform releases and OpenTofu have it, and
// make test runs this test on the terraform on PATH.
func skipWithoutPgBackend(t *testing.T, tf string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("terraform {\n  backend \"pg\" {}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), tf, "init", "-input=false", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=", "PG_CONN_STR=postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	out, _ := cmd.CombinedOutput()
	if v, _ := exec.CommandContext(t.Context(), tf, "version").Output(); strings.HasPrefix(string(v), "OpenTofu") {
		t.Skipf("%s: the GitOps workflow and its guide use Terraform (the runner's setup-terraform)", tf)
	}
	if strings.Contains(string(out), `no backend type named "pg"`) {
		t.Skipf("%s has no pg backend (a build without the remote-state backends); make test runs this test on the terraform on PATH", tf)
	}
}
