package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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

func newTerraformCLI(t *testing.T, env *testEnv) *terraformCLI {
	t.Helper()
	bin := terraformBinary(t)
	addrs := providerAddrs(os.Getenv)

	rc := serveProvider(t, env)
	providers := map[string]any{}
	for _, addr := range addrs {
		providers[addr] = map[string]any{
			"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		}
	}
	info, err := json.Marshal(providers)
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
		err := tf6server.Serve(providerAddrs(os.Getenv)[0], func() tfprotov6.ProviderServer {
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

// providerAddrs are the addresses TF_REATTACH_PROVIDERS serves the provider under test by, built
// as plugin-testing v1.16.0 builds them (helper/resource/plugin.go): the host is
// TF_ACC_PROVIDER_HOST (registry.terraform.io when unset; OpenTofu users set
// registry.opentofu.org, where OpenTofu resolves "faqops/haptik"), the namespace "faqops", which
// every configuration here declares, and also TF_ACC_PROVIDER_NAMESPACE when that is set.
func providerAddrs(getenv func(string) string) []string {
	host := "registry.terraform.io"
	if v := getenv("TF_ACC_PROVIDER_HOST"); v != "" {
		host = strings.TrimSuffix(v, "/")
	}
	addrs := []string{host + "/faqops/haptik"}
	if ns := strings.TrimSuffix(getenv("TF_ACC_PROVIDER_NAMESPACE"), "/"); ns != "" && ns != "faqops" {
		addrs = append(addrs, host+"/"+ns+"/haptik")
	}
	return addrs
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

// skipUnless skips the test when the CLI under test lacks feature.
func (c *terraformCLI) skipUnless(f cliFeature) {
	c.t.Helper()
	v := c.version()
	if ok, why := v.supports(f); !ok {
		c.t.Skip(why)
	}
}

// version is what the CLI under test says it is, read once per binary.
func (c *terraformCLI) version() cliVersion {
	c.t.Helper()
	cliVersionsMu.Lock()
	defer cliVersionsMu.Unlock()
	if v, ok := cliVersions[c.bin]; ok {
		return v
	}
	output := func(args ...string) []byte {
		cmd := exec.CommandContext(c.t.Context(), c.bin, args...)
		cmd.Dir, cmd.Env = c.dir, c.env
		out, err := cmd.Output()
		if err != nil {
			c.t.Fatalf("%s %v: %v\n%s", c.bin, args, err, out)
		}
		return out
	}
	v, err := readCLIVersion(output("version"), output("version", "-json"))
	if err != nil {
		c.t.Fatalf("%s: %v", c.bin, err)
	}
	cliVersions[c.bin] = v
	return v
}

var (
	cliVersionsMu sync.Mutex
	cliVersions   = map[string]cliVersion{}
)

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

// cliVersion is the CLI under test as it describes itself. Terraform and OpenTofu both print
// {"terraform_version": "1.12.6", ...} for `version -json`; only the first line of `version`
// ("Terraform v1.14.9", "OpenTofu v1.12.6") says which engine it is.
type cliVersion struct {
	engine              string // "Terraform", "OpenTofu"
	major, minor, patch int
}

func (v cliVersion) String() string {
	return fmt.Sprintf("%s %d.%d.%d", v.engine, v.major, v.minor, v.patch)
}

var (
	versionNumber = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)`)
	versionLine   = regexp.MustCompile(`^(\S+) v(\d+\.\d+\.\d+)`)
)

// readCLIVersion reads the output of `version` (text) and of `version -json` (doc): the number
// from the JSON, which both engines print alike, and the engine's name from the text, which must
// name the same version.
func readCLIVersion(text, doc []byte) (cliVersion, error) {
	var parsed struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		return cliVersion{}, fmt.Errorf("reading `version -json`: %w", err)
	}
	n := versionNumber.FindStringSubmatch(parsed.Version)
	if n == nil {
		return cliVersion{}, fmt.Errorf("`version -json` has no terraform_version of the form 1.2.3: %s", doc)
	}
	first, _, _ := strings.Cut(string(text), "\n")
	line := versionLine.FindStringSubmatch(first)
	if line == nil || line[2] != n[0] {
		return cliVersion{}, fmt.Errorf("`version` begins %q, not \"<engine> v%s\"", first, n[0])
	}
	v := cliVersion{engine: line[1]}
	for i, p := range []*int{&v.major, &v.minor, &v.patch} {
		*p, _ = strconv.Atoi(n[i+1])
	}
	return v, nil
}

// cliFeature is a language feature the CLI under test may lack. since is the first version of
// each engine that has it; an engine that is not listed does not have it yet.
type cliFeature struct {
	name  string
	since map[string][2]int
}

var (
	featureEphemeralResources = cliFeature{"ephemeral resources", map[string][2]int{"Terraform": {1, 10}, "OpenTofu": {1, 11}}}
	featureActions            = cliFeature{"actions", map[string][2]int{"Terraform": {1, 14}}}
	// Import blocks by identity: Terraform 1.12, OpenTofu 1.12 (opentofu#3671).
	featureResourceIdentity = cliFeature{"import blocks by identity", map[string][2]int{"Terraform": {1, 12}, "OpenTofu": {1, 12}}}
)

// supports says whether v has f, and if not, why.
func (v cliVersion) supports(f cliFeature) (bool, string) {
	since, ok := f.since[v.engine]
	if !ok {
		return false, fmt.Sprintf("%s has no %s", v, f.name)
	}
	if v.major < since[0] || v.major == since[0] && v.minor < since[1] {
		return false, fmt.Sprintf("%s need %s %d.%d or later; this is %s", f.name, v.engine, since[0], since[1], v)
	}
	return true, ""
}
