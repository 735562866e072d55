package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraformCLI runs the real Terraform CLI against the provider served from this test process,
// for what plugin-testing cannot assert: the warnings a person reads in a plan.
type terraformCLI struct {
	t   *testing.T
	dir string
	bin string
	env []string
}

const providerAddr = "registry.terraform.io/faqops/haptik"

func newTerraformCLI(t *testing.T, env *testEnv) *terraformCLI {
	t.Helper()
	bin := terraformBinary(t)

	rc := serveProvider(t, env)
	info, err := json.Marshal(map[string]any{providerAddr: map[string]any{
		"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return &terraformCLI{t: t, dir: t.TempDir(), bin: bin, env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(info), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=", "TF_IN_AUTOMATION=1")}
}

// serveProvider serves the provider from this test process over gRPC, as Terraform reaches a
// plugin, until the test ends, and returns where to reach it.
func serveProvider(t *testing.T, env *testEnv) *plugin.ReattachConfig {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	factory := env.factories()["haptik"]
	go func() {
		err := tf6server.Serve(providerAddr, func() tfprotov6.ProviderServer {
			s, _ := factory()
			return s
		}, tf6server.WithDebug(ctx, reattach, closed), tf6server.WithoutLogStderrOverride(),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	rc := <-reattach
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	return rc
}

// terraformBinary skips the test unless TF_ACC is set, and returns the Terraform CLI to run:
// TF_ACC_TERRAFORM_PATH, as plugin-testing uses, or the terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the Terraform CLI; set TF_ACC=1")
	}
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset")
	}
	return bin
}

// write replaces the working directory's main.tf with config, declaring the provider's source in
// providers.tf.
func (c *terraformCLI) write(config string) {
	c.t.Helper()
	const header = "terraform {\n  required_providers {\n    haptik = { source = \"faqops/haptik\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(c.dir, "providers.tf"), []byte(header), 0o600); err != nil {
		c.t.Fatal(err)
	}
	if config == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(config), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs terraform with args (plus -no-color) and returns its combined output.
func (c *terraformCLI) run(args ...string) (string, error) {
	c.t.Helper()
	args = append(append([]string{}, args...), "-no-color")
	cmd := exec.CommandContext(c.t.Context(), c.bin, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// must runs terraform and fails the test when it fails.
func (c *terraformCLI) must(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("terraform %v: %v\n%s", args, err, out)
	}
	return out
}

// minorVersion is the minor version of the Terraform CLI (11 for 1.11.4).
func (c *terraformCLI) minorVersion() int {
	c.t.Helper()
	m := regexp.MustCompile(`Terraform v1\.(\d+)\.`).FindStringSubmatch(c.must("version"))
	if m == nil {
		c.t.Fatal("cannot read the Terraform version")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// init runs terraform init; the reattached provider needs no download.
func (c *terraformCLI) init() { c.must("init", "-input=false", "-backend=false") }

// start runs terraform in the background; the returned buffer collects its output.
func (c *terraformCLI) start(args ...string) (*exec.Cmd, *syncBuffer) {
	c.t.Helper()
	args = append(append([]string{}, args...), "-no-color")
	cmd := exec.CommandContext(c.t.Context(), c.bin, args...)
	out := &syncBuffer{}
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = c.dir, c.env, out, out
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	return cmd, out
}

// syncBuffer is a bytes.Buffer safe for a process writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
