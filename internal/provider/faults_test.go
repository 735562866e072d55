package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// The fault matrix: whatever the network or Haptik does, the apply converges or fails with a
// message that says what happened, and state never claims unconfirmed content.
func TestAccFaults_matrix(t *testing.T) {
	cases := []struct {
		name string
		// setup injects the faults before the apply.
		setup func(env *testEnv)
		extra string
		// wantErr, when set, is the failure expected; otherwise the apply must converge.
		wantErr *regexp.Regexp
		// check asserts the emulator's record after the apply.
		check func(env *testEnv) error
	}{
		{
			name: "upload answered 500, 502 and 503, then accepted",
			setup: func(env *testEnv) {
				env.emu.FailUploads(emulator.UploadFault{Status: 500, Message: "internal error"})
				env.emu.FailUploads(emulator.UploadFault{Status: 502, RawBody: "<html><h1>502 Bad Gateway</h1></html>"})
				env.emu.FailUploads(emulator.UploadFault{Status: 503, Message: "maintenance"})
			},
			check: func(env *testEnv) error {
				if n := env.uploadRequests("d"); n != 4 {
					return fmt.Errorf("%d upload requests, want 4", n)
				}
				return env.expectUploads("d", 1)
			},
		},
		{
			name: "429 with Retry-After",
			setup: func(env *testEnv) {
				env.emu.FailUploads(emulator.UploadFault{Status: 429, Message: "slow down", RetryAfter: "1"})
			},
			check: func(env *testEnv) error {
				ups := env.emu.Uploads()
				if len(ups) != 2 {
					return fmt.Errorf("%d upload requests, want 2", len(ups))
				}
				if waited := ups[1].ReceivedAt.Sub(ups[0].ReceivedAt); waited < time.Second {
					return fmt.Errorf("retried after %s, before Retry-After's 1 s", waited)
				}
				return env.expectUploads("d", 1)
			},
		},
		{
			name: "status polls failing for a while: 5xx, resets, proxy pages, slow answers, 429",
			setup: func(env *testEnv) {
				env.tune = func(c *haptik.Config) { c.RequestTimeout = 300 * time.Millisecond }
				env.emu.FailStatus(emulator.StatusFault{Status: 503, Message: "maintenance", Count: 6})
				env.emu.FailStatus(emulator.StatusFault{Reset: true, Count: 6})
				env.emu.FailStatus(emulator.StatusFault{Status: 502, RawBody: "<html>Bad Gateway</html>", Count: 6})
				env.emu.FailStatus(emulator.StatusFault{DelayMS: 1000, Count: 6})
				env.emu.FailStatus(emulator.StatusFault{Status: 429, Message: "slow down", Count: 6})
			},
			check: func(env *testEnv) error { return env.expectUploads("d", 1) },
		},
		{
			name: "upload answered with a page that is not JSON",
			setup: func(env *testEnv) {
				env.emu.FailUploads(emulator.UploadFault{Status: 200, RawBody: "<html>Welcome to the captive portal</html>"})
			},
			wantErr: wrapped("Unexpected Answer from Haptik", "the response body is not JSON: <html>Welcome to the captive portal</html>", "A proxy between Terraform and Haptik may have answered instead"),
			check:   func(env *testEnv) error { return env.expectUploads("d", 0) },
		},
		{
			name: "upload answered with JSON of the wrong shape",
			setup: func(env *testEnv) {
				env.emu.FailUploads(emulator.UploadFault{Status: 200, RawBody: `{"success":true,"body":{"id":7}}`})
			},
			wantErr: wrapped("Unexpected Answer from Haptik", "Haptik's answer (HTTP 200)", "the response body has no task_id"),
		},
		{
			name: "status answered with JSON of the wrong shape",
			setup: func(env *testEnv) {
				env.emu.FailStatus(emulator.StatusFault{Status: 200, RawBody: `{"success":true,"body":{"state":"done"}}`})
			},
			wantErr: regexp.MustCompile(`(?s)Unexpected Answer from Haptik.*task\s+[0-9a-f-]{36}.*\(HTTP\s+200\)\s+was\s+not\s+what.*the\s+response\s+body\s+has\s+no\s+status`),
		},
		{
			name:  "an accepted upload whose task never finishes",
			setup: func(env *testEnv) { env.emu.SetTaskDuration(time.Hour) },
			extra: "  timeouts = { create = \"2s\" }\n",
			// A create is saved tainted and replaced, never resumed, so the message must not promise that
			// the task is waited for.
			wantErr: regexp.MustCompile(`(?s)` + wrapPhrase("Timed Out Waiting for Haptik") + `.*task\s+[0-9a-f-]{36},\s.*` +
				wrapPhrase(`Its last status was "In Progress".`) + ".*" + wrapPhrase("within its timeout of 2s") + ".*" +
				wrapPhrase("saved in state unconfirmed (confirmed = false) and tainted: the next plan replaces it")),
			check: func(env *testEnv) error {
				if n := len(env.emu.ActiveNodes("d")); n != 0 {
					return fmt.Errorf("%d nodes active", n)
				}
				return env.expectUploads("d", 1)
			},
		},
		{
			name: "retries used up",
			setup: func(env *testEnv) {
				env.emu.FailUploads(emulator.UploadFault{Status: 503, Message: "maintenance", Count: 100})
			},
			wantErr: wrapped("Haptik Unavailable", `Haptik answered HTTP 503: "maintenance".`, "The request was sent 5 times, with backoff between attempts (honoring Retry-After)"),
			check: func(env *testEnv) error {
				if n := env.uploadRequests("d"); n != 5 {
					return fmt.Errorf("%d upload requests, want 5", n)
				}
				return env.expectUploads("d", 0)
			},
		},
		{
			name: "credentials revoked while polling",
			setup: func(env *testEnv) {
				env.emu.FailStatus(emulator.StatusFault{Status: 401, Message: "invalid token provided", Count: 100})
			},
			wantErr: wrapped("Haptik Refused the Credentials", `HTTP 401: "invalid token provided"`, "nothing was retried", "token (or HAPTIK_TOKEN)"),
			check: func(env *testEnv) error {
				if n := len(env.emu.Requests()); n != 2 {
					return fmt.Errorf("%d requests, want the upload and one status request", n)
				}
				return nil
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			tc.setup(env)
			cfg := env.providerBlock() + domainConfig("d", oneNode, tc.extra)
			var checkErr error
			steps := []resource.TestStep{{Config: cfg, ExpectError: tc.wantErr}}
			if tc.wantErr == nil {
				steps[0].ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_task_id"), knownvalue.StringFunc(env.expectTaskSucceeded)),
				}
				steps[0].Check = func(*terraform.State) error {
					if tc.check != nil {
						if err := tc.check(env); err != nil {
							return err
						}
					}
					return env.expectActive("d", oneNode)
				}
			} else {
				// Nothing was saved (nothing reached Haptik), or a tainted unconfirmed state (Haptik may
				// hold the upload): either way the next plan creates the domain again.
				// A tainted state is destroyed at the end of the test: check the failed apply's record
				// first, then clear the faults and let Haptik's tasks finish.
				steps = append(steps, resource.TestStep{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
					PreConfig: func() {
						if tc.check != nil {
							checkErr = tc.check(env)
						}
						env.emu.SetTaskDuration(0)
						env.emu.FinishRunningTasks()
						env.emu.Reset()
					}})
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
			if checkErr != nil {
				t.Fatal(checkErr)
			}
		})
	}
}

// An update that times out after Haptik accepted the upload is resumed by the next apply of the
// same content: no second upload.
func TestAccFaults_resumeAfterTimeout(t *testing.T) {
	env := newTestEnv(t)
	short := "  timeouts = { update = \"2s\" }\n"
	cfgV2 := env.providerBlock() + domainConfig("d", nodesV2, short)
	var pendingTask string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.providerBlock() + domainConfig("d", nodesV1, short)},
			{
				PreConfig: func() { env.emu.SetTaskDuration(time.Hour) },
				Config:    cfgV2,
				ExpectError: wrapped("Timed Out Waiting for Haptik", "marked unconfirmed (confirmed = false)",
					"While Haptik still reports the task in progress, the next apply of the same content waits for it instead of uploading again."),
			},
			{
				// The task is still running when the next apply of the same content starts: it only waits
				// for it, and Haptik finishes it during that wait.
				PreConfig: func() {
					ups := env.emu.AcceptedUploads("d")
					pendingTask = ups[len(ups)-1].TaskID
					env.emu.SetTaskDuration(0)
					env.finishTaskOnceResumed(pendingTask)
				},
				Config: cfgV2,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_task_id"), knownvalue.StringFunc(func(id string) error {
						if id != pendingTask {
							return fmt.Errorf("last_task_id %s, want the resumed task %s", id, pendingTask)
						}
						return nil
					})),
				},
				Check: func(*terraform.State) error {
					if err := env.expectUploads("d", 2); err != nil {
						return fmt.Errorf("resuming uploaded again: %w", err)
					}
					return env.expectActive("d", nodesV2)
				},
			},
		},
	})
}

// A remembered task is not resumed when the content changed or the task failed.
func TestAccFaults_resumeOnlyTheSameContent(t *testing.T) {
	env := newTestEnv(t)
	short := "  timeouts = { update = \"2s\" }\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.providerBlock() + domainConfig("d", nodesV1, short)},
			{
				PreConfig:   func() { env.emu.SetTaskDuration(time.Hour) },
				Config:      env.providerBlock() + domainConfig("d", nodesV2, short),
				ExpectError: wrapped("Timed Out Waiting for Haptik"),
			},
			{
				// Changed content: upload again. (The emulator runs a domain's tasks in order, so the
				// remembered one is finished first; it succeeds, but holds other content.)
				PreConfig: func() {
					env.emu.FinishRunningTasks()
					env.emu.SetTaskDuration(0)
				},
				Config: env.providerBlock() + domainConfig("d", oneNode, short),
				Check: func(*terraform.State) error {
					if err := env.expectUploads("d", 3); err != nil {
						return err
					}
					return env.expectActive("d", oneNode)
				},
			},
			{
				// A remembered task that then fails: upload again.
				PreConfig: func() {
					env.emu.SetTaskDuration(time.Hour)
					env.emu.FailNextTask(emulator.TaskFault{Message: "Error at node refunds"})
				},
				Config:      env.providerBlock() + domainConfig("d", nodesV1, short),
				ExpectError: wrapped("Timed Out Waiting for Haptik"),
			},
			{
				PreConfig: func() {
					env.emu.FinishRunningTasks() // the remembered task ends in its error
					env.emu.SetTaskDuration(0)
				},
				Config: env.providerBlock() + domainConfig("d", nodesV1, short),
				Check: func(*terraform.State) error {
					if err := env.expectUploads("d", 5); err != nil {
						return err
					}
					return env.expectActive("d", nodesV1)
				},
			},
		},
	})
}

// Refused credentials are never retried, the message names the credential and its variable, and
// the token is not echoed anywhere in Terraform's output.
func TestAccFaults_credentials(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	const wrongToken = "wrong-token-7d1f0c"
	cfg := func(clientID, token string) string {
		return fmt.Sprintf("provider \"haptik\" {\n  base_url = %q\n  client_id = %q\n  token = %q\n}\n", env.url, clientID, token) +
			domainConfig("d", oneNode, "")
	}
	cli.write(cfg(testClientID, wrongToken))
	cli.init()
	out, err := cli.run("apply", "-auto-approve", "-input=false")
	if err == nil || !wrapped("Error: Haptik Refused the Credentials", `HTTP 401: "invalid token provided"`, "nothing was retried",
		"client_id (or HAPTIK_CLIENT_ID) and token (or HAPTIK_TOKEN)").MatchString(out) {
		t.Fatalf("apply with a wrong token: %v\n%s", err, out)
	}
	if strings.Contains(out, wrongToken) {
		t.Fatalf("the output echoes the token:\n%s", out)
	}
	cli.write(cfg("someone-else", testToken))
	out, err = cli.run("apply", "-auto-approve", "-input=false")
	if err == nil || !wrapped("Error: Haptik Refused the Credentials", `HTTP 403: "invalid client_id in headers"`).MatchString(out) {
		t.Fatalf("apply with a wrong client id: %v\n%s", err, out)
	}
	if strings.Contains(out, testToken) {
		t.Fatalf("the output echoes the token:\n%s", out)
	}
	if n := len(env.emu.Requests()); n != 2 {
		t.Fatalf("%d requests, want one per refused apply (no retries)", n)
	}
}

// A redirect to another host is not followed, so the credentials never reach it.
func TestAccFaults_redirectToAnotherHost(t *testing.T) {
	env := newTestEnv(t)
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer other.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	cfg := fmt.Sprintf("provider \"haptik\" {\n  base_url = %q\n  client_id = %q\n  token = %q\n}\n", redirector.URL, testClientID, testToken) +
		domainConfig("d", oneNode, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: wrapped("Haptik Redirected to Another Host", "the request was not sent there with your credentials"),
		}},
	})
	if reached.Load() != 0 {
		t.Fatal("the other host received a request")
	}
}

func TestAccProvider_plainHTTPIsRefused(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: "provider \"haptik\" {\n  base_url = \"http://haptik.example.com\"\n  client_id = \"c\"\n  token = \"t\"\n}\n" +
				domainConfig("d", oneNode, ""),
			ExpectError: wrapped("Invalid Haptik Base URL", `"http://haptik.example.com" uses plain http, which would send your Haptik token unencrypted to haptik.example.com`, "allow_insecure_http = true"),
		}},
	})
}

func TestCheckBaseURL(t *testing.T) {
	for _, tc := range []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"https://staging.haptikapi.com", false, true},
		{"http://127.0.0.1:8089", false, true},
		{"http://localhost:8089", false, true},
		{"http://[::1]:8089", false, true},
		{"http://haptik.internal", false, false},
		{"http://haptik.internal", true, true},
		{"ftp://host", true, false},
		{"not a url", true, false},
		{"http://127.0.0.1:8089 ", false, false},
		{" https://staging.haptikapi.com", false, false},
	} {
		if got := checkBaseURL(tc.url, tc.allow) == ""; got != tc.ok {
			t.Errorf("checkBaseURL(%q, %v) ok = %v, want %v", tc.url, tc.allow, got, tc.ok)
		}
	}
	// White space is named as what is wrong, not the URL's form.
	if why := checkBaseURL("http://127.0.0.1:8089\n", false); !strings.Contains(why, "white space at its start or end") {
		t.Errorf("a trailing line break: %s", why)
	}
}

// Many domains applied with high parallelism: never two uploads to one domain at once (two
// resources share one), and never more at once than max_concurrent_uploads.
func TestAccFaults_concurrency(t *testing.T) {
	env := newTestEnv(t)
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"haptik\" {\n  base_url = %q\n  client_id = %q\n  token = %q\n  max_concurrent_uploads = 2\n}\n",
		env.url, testClientID, testToken)
	for i := range 8 {
		fmt.Fprintf(&b, "resource \"haptik_faq_domain\" \"d%d\" {\n  domain_name = \"domain_%d\"\n  deletion_policy = \"retain\"\n"+
			"  nodes = { n = { user_says = [\"q%d\"], bot_says = [\"a\"] } }\n}\n", i, i, i)
	}
	// A second resource for domain_0: a misconfiguration, but its uploads must still not interleave.
	b.WriteString("resource \"haptik_faq_domain\" \"twin\" {\n  domain_name = \"domain_0\"\n  deletion_policy = \"retain\"\n" +
		"  nodes = { n = { user_says = [\"q0\"], bot_says = [\"a\"] } }\n}\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: b.String(),
			Check: func(*terraform.State) error {
				st := env.emu.Stats()
				if st.Overlaps != 0 || st.MaxInFlight > 2 || st.MaxInFlight < 2 {
					return fmt.Errorf("emulator stats %+v: want no overlap and at most (and, with 9 uploads, exactly) 2 at once", st)
				}
				return nil
			},
		}},
	})
}

// Ctrl-C while waiting for Haptik stops the apply promptly with a clear message; the next apply of
// the same content resumes the task instead of uploading again.
func TestAccFaults_interrupt(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	env.emu.SetTaskDuration(time.Hour)
	cli.write(env.providerBlock() + domainConfig("d", nodesV2, ""))
	cmd, out := cli.start("apply", "-auto-approve", "-input=false")
	deadline := time.Now().Add(30 * time.Second)
	for len(env.emu.AcceptedUploads("d")) < 2 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the update never reached Haptik:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // polling by now
	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("an interrupted apply succeeded:\n%s", out)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("terraform did not stop within 10 s of Ctrl-C:\n%s", out)
	}
	if took := time.Since(interrupted); took > 5*time.Second {
		t.Errorf("stopping took %s", took)
	}
	ups := env.emu.AcceptedUploads("d")
	task := ups[len(ups)-1].TaskID
	if !wrapped("Error: Interrupted While Waiting for Haptik", "task "+task, "Terraform was interrupted before Haptik confirmed the upload",
		"marked unconfirmed (confirmed = false)", "While Haptik still reports the task in progress, the next apply of the same content waits for it").MatchString(out.String()) {
		t.Fatalf("the interrupted apply does not say what happened:\n%s", out)
	}

	// The task is still running when the next apply starts: it waits for it, and Haptik
	// finishes it during that wait.
	env.emu.SetTaskDuration(0)
	env.finishTaskOnceResumed(task)
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectUploads("d", 2); err != nil {
		t.Fatalf("the apply after the interrupt uploaded again: %v", err)
	}
	if err := env.expectActive("d", nodesV2); err != nil {
		t.Fatal(err)
	}
	if plan := cli.must("plan", "-input=false", "-detailed-exitcode"); !strings.Contains(plan, "No changes.") {
		t.Fatalf("the plan after resuming is not empty:\n%s", plan)
	}
}

// A replacement with create_before_destroy uploads the new content first; destroying the old
// instance afterwards must not deactivate it.
func TestAccFaults_createBeforeDestroyKeepsNewContent(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, "  lifecycle {\n    create_before_destroy = true\n  }\n"))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")
	out := cli.must("apply", "-auto-approve", "-input=false", "-replace=haptik_faq_domain.test")
	if !wrapped("Warning: Domain Not Deactivated", `Domain "d" received new content from another haptik_faq_domain in this apply`).MatchString(out) {
		t.Fatalf("the replacement does not explain why the domain was kept:\n%s", out)
	}
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatalf("the replacement wiped the new content: %v", err)
	}
	if err := env.expectUploads("d", 2); err != nil {
		t.Fatal(err)
	}
}

// A password, a query or a fragment in base_url never reaches a diagnostic: configure refuses
// them (the client says which part), and the message quotes the URL without them.
func TestAccProvider_baseURLSecretsNotShown(t *testing.T) {
	env := newTestEnv(t)
	for _, tc := range []struct{ url, part string }{
		{strings.Replace(env.url, "http://", "http://user:pw-5ecret@", 1), "password"},
		{env.url + "/?tenant=acme&key=q-5ecret", "query"},
		{env.url + "/#frag-5ecret", "fragment"},
	} {
		out := checkBaseURL("http://haptik.internal/?key=q-5ecret", false) + shownURL(tc.url)
		if strings.Contains(out, "5ecret") {
			t.Errorf("%s shown: %s", tc.part, out)
		}
		cli := newTerraformCLI(t, env)
		cli.write(fmt.Sprintf("provider \"haptik\" {\n  base_url = %q\n  client_id = %q\n  token = %q\n}\n",
			tc.url, testClientID, testToken) + domainConfig("d", oneNode, ""))
		cli.init()
		out, err := cli.run("plan", "-input=false")
		// Terraform quotes the configuration's line itself; the provider's message must not.
		detail := out[max(strings.Index(out, "cannot be used"), 0):]
		if err == nil || !wrapped("Invalid Haptik Base URL", tc.part).MatchString(out) || strings.Contains(detail, "5ecret") {
			t.Errorf("plan with a %s in base_url: %v\n%s", tc.part, err, out)
		}
	}
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}
