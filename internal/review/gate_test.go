package review

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

// buildCLI builds haptik-faq into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "haptik-faq")
	build := exec.CommandContext(context.Background(), "go", "build", "-o", bin, "./internal/cmd/haptik-faq")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building haptik-faq: %v\n%s", err, out)
	}
	return bin
}

// runCLI runs the built haptik-faq with args and returns its output and exit status.
func runCLI(t *testing.T, bin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), status
}

func activeNames(emu *emulator.Server, domain string) []string {
	var out []string
	for _, n := range emu.ActiveNodes(domain) {
		out = append(out, n.Name)
	}
	return out
}

// An import block that adopts a live domain and a create over one both upload content that
// deactivates every node of the domain the configuration does not list, nodes the plan cannot
// name: the review says so and -fail-on-deactivation fails. The destroy of an imported domain no
// apply uploaded to sends nothing, and the review says that too. The apply then shows each claim
// true in the emulator.
func TestAccReview_gateOnDomainsItCannotList(t *testing.T) {
	if os.Getenv("TF_ACC") != "1" {
		t.Skip("TF_ACC=1 runs the Terraform CLI")
	}
	tf, env := terraformEnv(t)
	cli := buildCLI(t)
	r, emu, plan := adoptScenario(t, tf, env)
	planPath := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(planPath, plan, 0o600); err != nil {
		t.Fatal(err)
	}

	md, stderr, status := runCLI(t, cli, "review", "-fail-on-deactivation", planPath)
	if status != 3 {
		t.Errorf("-fail-on-deactivation exited %d, want 3; stderr %q", status, stderr)
	}
	if !strings.Contains(stderr, "nodes it cannot name") {
		t.Errorf("stderr %q does not say the plan may deactivate nodes it cannot name", stderr)
	}
	sections := map[string]string{}
	for _, s := range strings.Split(md, "\n### ")[1:] {
		addr, _, _ := strings.Cut(s, " ")
		sections[strings.Trim(addr, "`")] = s
	}
	for addr, want := range map[string][]string{
		"haptik_faq_domain.live":  {"> [!CAUTION]", "Imported domain", "every node of domain `acme_live` this plan does not list"},
		"haptik_faq_domain.other": {"> [!CAUTION]", "New resource", "every node of domain `acme_other` this plan does not list"},
		"haptik_faq_domain.archive": {"was imported and no apply has uploaded to it", "sends nothing to Haptik",
			"keeps the domain's nodes as they are"},
	} {
		for _, w := range want {
			if !strings.Contains(sections[addr], w) {
				t.Errorf("the review of %s does not say %q:\n%s", addr, w, sections[addr])
			}
		}
	}
	if strings.Contains(md, "0 nodes active") || strings.Contains(sections["haptik_faq_domain.archive"], `"retain"`) {
		t.Errorf("the destroy of the imported domain is described as a retain:\n%s", md)
	}
	if !strings.Contains(md, "2 domains may deactivate nodes this plan cannot name") {
		t.Errorf("the headline does not count the domains that may deactivate unnamed nodes:\n%.600s", md)
	}

	// What the review says is what the apply does.
	r.run(false, "apply", "-auto-approve", "-input=false", "-no-color", "tfplan")
	for domain, want := range map[string][]string{
		"acme_live":    {"greeting"},
		"acme_other":   {"Gift Cards FAQ", "warranty"},
		"acme_archive": {"old_faq"},
	} {
		if got := activeNames(emu, domain); !slices.Equal(got, want) {
			t.Errorf("after the apply, domain %s has active nodes %v, want %v", domain, got, want)
		}
	}
}
