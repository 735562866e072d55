//go:build unix

package scripts

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAccMakeEmulator_readyCLIConfig runs `make emulator` as the README says to, and applies the
// quickstart example in another directory with nothing but the two export lines it prints.
func TestAccMakeEmulator_readyCLIConfig(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs make emulator and the Terraform CLI; set TF_ACC=1")
	}
	tf := terraformPath(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.Context(): its cancellation would SIGKILL make alone before the cleanup's Ctrl-C.
	cmd := exec.CommandContext(context.Background(), "make", "--no-print-directory", "emulator", "EMULATOR_LISTEN=127.0.0.1:0")
	cmd.Dir = root
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	t.Cleanup(func() {
		// Ctrl-C, as a person stops it: the whole process group gets SIGINT.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		select {
		case err := <-stopped:
			t.Logf("make emulator stopped: %v", err)
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Error("make emulator did not stop on SIGINT")
		}
	})

	exportLine := regexp.MustCompile(`^\s*export (.*)$`)
	var exports []string
	exportLines := 0
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
		stopped <- cmd.Wait()
	}()
	var out strings.Builder
	deadline := time.After(3 * time.Minute) // the first run builds both binaries
	for exportLines < 2 {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("make emulator ended before printing two export lines:\n%s", out.String())
			}
			out.WriteString(line + "\n")
			if strings.Contains(line, "Haptik emulator listening on") {
				deadline = time.After(5 * time.Second) // the lines follow at once
			}
			if m := exportLine.FindStringSubmatch(line); m != nil {
				exports = append(exports, strings.Fields(m[1])...)
				exportLines++
			}
		case <-deadline:
			t.Fatalf("make emulator printed no export lines:\n%s", out.String())
		}
	}
	go func() { // keep draining so the emulator never blocks on its output
		for range lines {
		}
	}()
	want := map[string]bool{"HAPTIK_BASE_URL": true, "HAPTIK_CLIENT_ID": true, "HAPTIK_TOKEN": true, "TF_CLI_CONFIG_FILE": true}
	for _, kv := range exports {
		name, _, _ := strings.Cut(kv, "=")
		delete(want, name)
	}
	if len(want) > 0 {
		t.Fatalf("the export lines set %v but not %v:\n%s", exports, want, out.String())
	}

	work := t.TempDir()
	example, err := os.ReadFile(filepath.Join(root, "examples/quickstart/main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), example, 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HAPTIK_") && !strings.HasPrefix(name, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"), exports...)
	apply := run(t, work, env, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(apply, "Apply complete! Resources: 1 added") || !strings.Contains(apply, "faqops/haptik in "+filepath.Join(root, "bin")) {
		t.Errorf("the quickstart did not apply through the emulator and bin/emulator.tfrc:\n%s", apply)
	}
}
