package provider

// What Haptik's answers can carry into Terraform's output, state and private state: task ids
// that are not tokens, megabytes of status text, an empty task id, and connections that never
// opened. Each test runs the real CLI against the emulator (or nothing at all).

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// acceptedWithTaskID is an upload answer of HTTP 200 whose task id is id.
func acceptedWithTaskID(id string) emulator.UploadFault {
	b, _ := json.Marshal(map[string]any{"success": true, "body": map[string]string{"task_id": id}})
	return emulator.UploadFault{Status: 200, RawBody: string(b)}
}

// statePrivate is the private state Terraform saved for the resource (decoded), and the whole
// state file.
func statePrivate(t *testing.T, cli *terraformCLI) (private []byte, file string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(cli.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Private string `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 1 || len(st.Resources[0].Instances) != 1 {
		t.Fatalf("want one resource instance in state:\n%s", raw)
	}
	p, err := base64.StdEncoding.DecodeString(st.Resources[0].Instances[0].Private)
	if err != nil {
		t.Fatal(err)
	}
	return p, string(raw)
}

// appliedV1 is a working directory whose domain "d" holds nodesV1, confirmed, with v2 written as
// the next configuration.
func appliedV1(t *testing.T, env *testEnv, providerV2 string) *terraformCLI {
	t.Helper()
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")
	cli.write(providerV2 + domainConfig("d", nodesV2, ""))
	return cli
}

var confirmedTrue = regexp.MustCompile(`(?m)^\s*confirmed\s*=\s*true$`)
var confirmedFalse = regexp.MustCompile(`(?m)^\s*confirmed\s*=\s*false$`)

// A task id with terminal escape codes is refused before it is polled or stored: the update is
// unconfirmed (Haptik answered 200, so it may have taken the upload), and neither Terraform's
// output nor `terraform state show` nor the state file replays the codes.
func TestAccServerText_escapeCodesInTaskID(t *testing.T) {
	env := newTestEnv(t)
	cli := appliedV1(t, env, env.providerBlock())
	before := cli.must("state", "show", addr)
	requests := len(env.emu.Requests())
	env.emu.FailUploads(acceptedWithTaskID("\x1b[2J\x1b[H\x1b[32mApply complete!\x1b]0;pwned\x07"))
	out, err := cli.run("apply", "-auto-approve", "-input=false")
	if err == nil || !wrapped("Error: Unexpected Answer from Haptik", "Haptik's answer (HTTP 200)",
		`holds the character "\x1b" at byte 1`, "so the client did not poll for it", "marked unconfirmed (confirmed = false)").MatchString(out) {
		t.Fatalf("apply with an escape-code task id: %v\n%s", err, out)
	}
	show := cli.must("state", "show", addr)
	private, file := statePrivate(t, cli)
	for what, text := range map[string]string{"the apply's output": out, "state show": show, "the state file": file,
		"private state": string(private)} {
		if strings.ContainsAny(text, "\x1b\x07") {
			t.Errorf("%s replays the escape codes: %q", what, text)
		}
	}
	if !confirmedFalse.MatchString(show) {
		t.Errorf("the state is not marked unconfirmed:\n%s", show)
	}
	lastTask := regexp.MustCompile(`last_task_id\s*=\s*"[^"]*"`)
	if a, b := lastTask.FindString(before), lastTask.FindString(show); a == "" || a != b {
		t.Errorf("last_task_id went from %s to %s; want the confirmed task kept", a, b)
	}
	if n := len(env.emu.Requests()) - requests; n != 1 {
		t.Errorf("%d requests to Haptik, want the refused upload alone (no poll)", n)
	}
}

// A 1 MB task id and a 900 KB status text are quoted, capped and counted: the diagnostic stays
// small and says how much was left out, and private state does not keep the text.
func TestAccServerText_hugeAnswersAreCapped(t *testing.T) {
	huge := "\x1b[31mnode 1 failed: " + strings.Repeat("the text goes on and on. ", 36_000)
	for name, fault := range map[string]func(*emulator.Server){
		"1 MB task id": func(e *emulator.Server) { e.FailUploads(acceptedWithTaskID(strings.Repeat("7", 1_000_000))) },
		"900 KB status text": func(e *emulator.Server) {
			b, _ := json.Marshal(map[string]any{"success": true, "body": map[string]string{"status": huge}})
			e.FailStatus(emulator.StatusFault{Status: 200, RawBody: string(b)})
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t)
			cli := appliedV1(t, env, env.providerBlock())
			fault(env.emu)
			out, err := cli.run("apply", "-auto-approve", "-input=false")
			if err == nil || !regexp.MustCompile(`…\s+\d{6}\s+more\s+bytes`).MatchString(out) || len(out) > 20_000 {
				t.Fatalf("apply: %v; want a short diagnostic counting what it left out, got %d bytes:\n%.3000s", err, len(out), out)
			}
			private, file := statePrivate(t, cli)
			if len(private) > 6_000 || len(file) > 20_000 || strings.Contains(out+file, "\x1b") {
				t.Errorf("private state is %d bytes and the state file %d bytes; want them small and without escape codes",
					len(private), len(file))
			}
			if show := cli.must("state", "show", addr); !confirmedFalse.MatchString(show) {
				t.Errorf("the state is not marked unconfirmed:\n%s", show)
			}
		})
	}
}

// An empty task id in an accepted answer names the real HTTP status, not "HTTP 0".
func TestAccServerText_emptyTaskIDNamesTheStatus(t *testing.T) {
	env := newTestEnv(t)
	env.emu.FailUploads(acceptedWithTaskID(""))
	cfg := env.providerBlock() + domainConfig("d", oneNode, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: wrapped("Unexpected Answer from Haptik", "Haptik's answer (HTTP 200)", "the task_id is empty")},
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
		},
	})
}

// A connection that never opened (refused, https against a plain-http server) sent nothing:
// "nothing reached Haptik", the state stays confirmed as it was, and the next plan shows the same
// change as before the apply.
func TestAccServerText_connectionNeverOpened(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := "http://" + ln.Addr().String()
	_ = ln.Close()
	for name, url := range map[string]func(env *testEnv) string{
		"connection refused": func(*testEnv) string { return closedPort },
		"https against http": func(env *testEnv) string { return strings.Replace(env.url, "http://", "https://", 1) },
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t)
			cli := appliedV1(t, env, fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = %q\n  token     = %q\n}\n",
				url(env), testClientID, testToken))
			uploads := len(env.emu.Uploads())
			planBefore := cli.must("plan", "-input=false")
			out, err := cli.run("apply", "-auto-approve", "-input=false")
			if err == nil || !wrapped("Error: Could Not Connect to Haptik", "nothing reached Haptik",
				"Terraform state was not changed").MatchString(out) || strings.Contains(out, "may hold") {
				t.Fatalf("apply: %v\n%s", err, out)
			}
			if plainHTTP := wrapped("answered an https:// request in plain HTTP", "write its URL with http://").MatchString(out); plainHTTP != (name == "https against http") {
				t.Errorf("the plain-http answer is named %v, want %v:\n%s", plainHTTP, name == "https against http", out)
			}
			if show := cli.must("state", "show", addr); !confirmedTrue.MatchString(show) {
				t.Errorf("the state is no longer confirmed:\n%s", show)
			}
			if planAfter := cli.must("plan", "-input=false"); planAfter != planBefore {
				t.Errorf("the plan changed after nothing reached Haptik.\nbefore:\n%s\nafter:\n%s", planBefore, planAfter)
			}
			if n := len(env.emu.Uploads()); n != uploads {
				t.Errorf("%d uploads reached the emulator", n-uploads)
			}
		})
	}
}

// A pending-upload record an older version wrote, with an escape-code task id and a 900 KB
// status, is quoted when it is read: the plan's unconfirmed warning is short and clean, and the
// apply does not poll that id but uploads again and converges.
func TestAccServerText_olderPendingRecordIsQuoted(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")
	uploads := len(env.emu.AcceptedUploads("d"))
	record, _ := json.Marshal(map[string]any{"pending_upload": map[string]any{
		"domain": "d", "content_sha256": shaOf(nodesV1), "task_id": "\x1b[2J\x1b[31mtask",
		"status": "its task ended with the status \"\x1b[31m" + strings.Repeat("failed. ", 112_000) + "\""}})
	editState(t, cli, func(instance map[string]any) {
		instance["attributes"].(map[string]any)["confirmed"] = false
		instance["private"] = base64.StdEncoding.EncodeToString(record)
	})

	out := cli.planShows("Warning: Haptik's Content Is Unconfirmed", `Task \x1b[2J\x1b[31mtask`)
	if strings.Contains(out, "\x1b") || len(out) > 20_000 || !regexp.MustCompile(`…\s+\d{6}\s+more\s+bytes`).MatchString(out) {
		t.Fatalf("the plan (%d bytes) replays the record unquoted:\n%.3000q", len(out), out)
	}
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
	if n := len(env.emu.AcceptedUploads("d")) - uploads; n != 1 {
		t.Errorf("%d uploads, want one", n)
	}
	if private, _ := statePrivate(t, cli); len(private) != 0 {
		t.Errorf("private state after the upload succeeded: %s", private)
	}
	cli.noChanges()
}
