package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// With TF_LOG=TRACE, the token and the Authorization header appear nowhere in Terraform's log,
// whether the token is set in the provider block or in HAPTIK_TOKEN, on success and on failure.
// The provider runs as a real plugin process (dev_overrides), so its logs reach the log file the
// way they do for users.
func TestAccProvider_tokenNeverLogged(t *testing.T) {
	tf := terraformBinary(t)
	binDir := t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(binDir, "terraform-provider-haptik"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(t.TempDir(), "dev.tfrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(
		"provider_installation {\n  dev_overrides {\n    \"faqops/haptik\" = %q\n  }\n  direct {}\n}\n", binDir)), 0o600); err != nil {
		t.Fatal(err)
	}

	env := newTestEnv(t)
	const header = "terraform {\n  required_providers {\n    haptik = { source = \"faqops/haptik\" }\n  }\n}\n"
	for _, tc := range []struct {
		name, provider string
		env            []string
		wantErr        bool
	}{
		{name: "token in the provider block", provider: env.providerBlock()},
		{name: "token from HAPTIK_TOKEN", provider: fmt.Sprintf("provider \"haptik\" {\n  base_url = %q\n}\n", env.url),
			env: []string{EnvClientID + "=" + testClientID, EnvToken + "=" + testToken}},
		{name: "a refused upload", provider: env.providerBlock(), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			domain := strings.ReplaceAll(tc.name, " ", "_")
			if tc.wantErr {
				env.emu.FailUploads(errorFault(400, "invalid request body"))
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(header+tc.provider+domainConfig(domain, nodesV1, "")), 0o600); err != nil {
				t.Fatal(err)
			}
			logPath := filepath.Join(dir, "terraform.log")
			cmd := exec.CommandContext(t.Context(), tf, "apply", "-auto-approve", "-input=false", "-no-color")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), append(tc.env, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath,
				"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS=")...)
			out, err := cmd.CombinedOutput()
			if (err != nil) != tc.wantErr {
				t.Fatalf("apply: %v\n%s", err, out)
			}
			raw, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			log := string(raw)
			if !strings.Contains(log, "Haptik API request") {
				t.Fatal("the log holds no provider request logs, so it proves nothing")
			}
			for _, secret := range []string{testToken, "Bearer "} {
				if i := strings.Index(log, secret); i >= 0 {
					t.Fatalf("the TRACE log contains %q: ...%s...", secret, log[max(0, i-300):min(len(log), i+100)])
				}
				if strings.Contains(string(out), secret) {
					t.Fatalf("the output contains %q:\n%s", secret, out)
				}
			}
		})
	}
}
