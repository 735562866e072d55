// Package scripts holds the shell scripts behind the GNUmakefile's targets; its tests run them as
// a user would.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestAccMakeInstall_offlineMirror runs `make install` into a temporary plugins directory and
// installs the provider from there with the CLI configuration it prints, with the network cut
// (every request goes to a closed proxy) and no dev_overrides: terraform init, version, providers
// and validate all see the version make install stamped, which is never "dev". As in the provider's
// tests, TF_ACC_PROVIDER_HOST names the registry host the CLI resolves "faqops/haptik" to
// (registry.opentofu.org for OpenTofu).
func TestAccMakeInstall_offlineMirror(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs make install and the Terraform CLI; set TF_ACC=1")
	}
	tf := terraformPath(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	version := expectedVersion(t, root)
	if version == "dev" || !regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`).MatchString(version) {
		t.Fatalf("expected version %q is not a semantic version", version)
	}

	host := "registry.terraform.io"
	if v := os.Getenv("TF_ACC_PROVIDER_HOST"); v != "" {
		host = strings.TrimSuffix(v, "/")
	}
	providerAddr := host + "/faqops/haptik"

	plugins := t.TempDir()
	out := run(t, root, nil, "make", "--no-print-directory", "install", "PLUGINS_DIR="+plugins, "PROVIDER_HOST="+host)
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	bin := filepath.Join(plugins, providerAddr, version, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-haptik_v"+version+exe)
	if !strings.Contains(out, bin) {
		t.Errorf("make install does not name the installed binary %s:\n%s", bin, out)
	}
	if got := strings.TrimSpace(run(t, root, nil, bin, "-version")); got != version {
		t.Errorf("%s -version = %q, want %q", bin, got, version)
	}
	versions, err := os.ReadDir(filepath.Join(plugins, providerAddr))
	if err != nil || len(versions) != 1 {
		t.Fatalf("the mirror holds %v (%v), want just %s", versions, err, version)
	}

	// The CLI configuration is the block make install printed, as a user would paste it.
	block := regexp.MustCompile(`(?ms)^provider_installation \{\n.*?^\}\n`).FindString(out)
	if block == "" {
		t.Fatalf("make install printed no provider_installation block:\n%s", out)
	}
	if !strings.Contains(block, `path    = "`+plugins+`"`) || !strings.Contains(block, `include = ["`+providerAddr+`"]`) ||
		strings.Contains(block, "dev_overrides") {
		t.Fatalf("the printed block does not use the mirror %s alone:\n%s", plugins, block)
	}
	work := t.TempDir()
	cliConfig := filepath.Join(work, "cli.tfrc")
	if err := os.WriteFile(cliConfig, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	env := offlineEnv(cliConfig)

	// The network is really cut: a provider that only the registry has cannot be installed.
	registryOnly := filepath.Join(work, "registry-only")
	writeConfig(t, registryOnly, `terraform {
  required_providers {
    null = { source = "hashicorp/null" }
  }
}
`)
	if out, err := runErr(t, registryOnly, env, tf, "init", "-input=false", "-backend=false", "-no-color"); err == nil {
		t.Fatalf("terraform init installed hashicorp/null with the network cut:\n%s", out)
	}

	module := filepath.Join(work, "module")
	writeConfig(t, module, `terraform {
  required_providers {
    haptik = { source = "faqops/haptik", version = "`+version+`" }
  }
}

provider "haptik" {}

output "answer" {
  value = provider::haptik::hsl_text("Pick one", ["Yes", "No"])
}
`)
	out = run(t, module, env, tf, "init", "-input=false", "-backend=false", "-no-color")
	if !strings.Contains(out, "Installed faqops/haptik v"+version) {
		t.Errorf("terraform init did not install faqops/haptik v%s:\n%s", version, out)
	}
	if out := run(t, module, env, tf, "version"); !strings.Contains(out, "+ provider "+providerAddr+" v"+version+"\n") {
		t.Errorf("terraform version does not show the provider at v%s:\n%s", version, out)
	}
	if out := run(t, module, env, tf, "providers", "-no-color"); !strings.Contains(out, "provider["+providerAddr+"] "+version+"\n") {
		t.Errorf("terraform providers does not show the provider at %s:\n%s", version, out)
	}
	// validate starts the installed binary for its schema and the function's signature.
	run(t, module, env, tf, "validate", "-no-color")
}

// expectedVersion is what make install must stamp, worked out here from git and the CHANGELOG.
func expectedVersion(t *testing.T, root string) string {
	t.Helper()
	var version string
	if describe, err := runErr(t, root, nil, "git", "describe", "--tags", "--match", "v[0-9]*"); err == nil {
		version = strings.TrimPrefix(strings.TrimSpace(describe), "v")
	} else {
		changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+)`).FindSubmatch(changelog)
		if m == nil {
			t.Fatal("no '## X.Y.Z' heading in CHANGELOG.md")
		}
		version = string(m[1]) + "-dev+g" + strings.TrimSpace(run(t, root, nil, "git", "rev-parse", "--short", "HEAD"))
	}
	if strings.TrimSpace(run(t, root, nil, "git", "status", "--porcelain", "--untracked-files=no")) != "" {
		if strings.Contains(version, "+") {
			version += ".dirty"
		} else {
			version += "+dirty"
		}
	}
	return version
}

// offlineEnv is the environment with cliConfig as the only CLI configuration, no checkpoint calls,
// no plugin cache or reattached providers, and every HTTP request sent to a proxy that is not
// there (port 9, discard).
func offlineEnv(cliConfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_REATTACH_PROVIDERS", "TF_DATA_DIR",
			"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9")
}

// terraformPath is the CLI to test with: TF_ACC_TERRAFORM_PATH, as plugin-testing uses, or the
// terraform on PATH.
func terraformPath(t *testing.T) string {
	t.Helper()
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		return tf
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset")
	}
	return tf
}

func writeConfig(t *testing.T, dir, config string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs a command in dir (env nil: this process's environment) and fails the test when it fails.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(t, dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runErr(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(t.Context(), name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}
