package review

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// The plan JSONs under testdata/ come from the real Terraform CLI running a freshly built provider
// against the in-process emulator. TestPlansFromTerraform (TF_ACC=1) produces them again and fails
// when they differ from the committed ones; with -update it writes them, and the golden files.
var update = flag.Bool("update", false, "rewrite testdata/ (plan JSONs with TF_ACC=1, and the golden renderings)")

const (
	emuToken    = "review-token"
	emuClientID = "review-client"
)

// tfRun is one Terraform working directory pointed at the emulator and a built provider.
type tfRun struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// terraformEnv builds the provider into a temporary directory and returns the environment that
// makes Terraform use it through dev_overrides, with no init and no registry.
func terraformEnv(t *testing.T) (bin string, env []string) {
	t.Helper()
	bin = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC=1 needs terraform on PATH or TF_ACC_TERRAFORM_PATH")
		}
	}
	pdir := t.TempDir()
	build := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(pdir, "terraform-provider-haptik"), ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(pdir, "dev.tfrc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"faqops/haptik\" = %q\n  }\n  direct {}\n}\n", pdir)
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return bin, []string{"CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1"}
}

// newRun starts an emulator for this run and a working directory.
func newRun(t *testing.T, bin string, env []string) (*tfRun, *emulator.Server) {
	t.Helper()
	emu := emulator.New(emulator.Config{Token: emuToken, ClientID: emuClientID, TaskDuration: 10 * time.Millisecond})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	var keep []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "HAPTIK_") && !strings.HasPrefix(kv, "CHECKPOINT_") {
			keep = append(keep, kv)
		}
	}
	keep = append(keep, env...)
	keep = append(keep, "HAPTIK_BASE_URL="+srv.URL, "HAPTIK_CLIENT_ID="+emuClientID, "HAPTIK_TOKEN="+emuToken)
	return &tfRun{t: t, bin: bin, dir: t.TempDir(), env: keep}, emu
}

func (r *tfRun) config(hcl string) { r.file("main.tf", []byte(hcl)) }

func (r *tfRun) file(name string, content []byte) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), content, 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// run runs terraform with args and returns its standard output; wantErr says whether it must fail.
func (r *tfRun) run(wantErr bool, args ...string) []byte {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if (err != nil) != wantErr {
		r.t.Fatalf("terraform %s: error %v (want error: %v)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, wantErr, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

func (r *tfRun) apply(hcl string) {
	r.t.Helper()
	r.config(hcl)
	r.run(false, "apply", "-auto-approve", "-input=false", "-no-color")
}

// planJSON plans hcl and returns `terraform show -json` of the saved plan.
func (r *tfRun) planJSON(hcl string) []byte {
	r.t.Helper()
	r.config(hcl)
	r.run(false, "plan", "-input=false", "-no-color", "-out=tfplan")
	return r.run(false, "show", "-json", "tfplan")
}
