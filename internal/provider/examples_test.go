package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every example under examples/ works as written: each directory is applied against the emulator
// (the provider example, which names a real Haptik host, is validated), then planned again with no
// change; an import.sh is run as written against the applied domain.
func TestAccExamples(t *testing.T) {
	root := "../../examples"
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			dirs[filepath.Dir(p)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for d := range dirs {
		rel, _ := filepath.Rel(root, d)
		names = append(names, rel)
	}
	sort.Strings(names)
	if len(names) < 8 {
		t.Fatalf("found only %d example directories: %v", len(names), names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t)
			env.emu.SeedChats()
			t.Setenv(EnvBaseURL, env.url)
			t.Setenv(EnvClientID, testClientID)
			t.Setenv(EnvToken, testToken)
			cli := newTerraformCLI(t, env)
			switch {
			case strings.HasPrefix(name, "ephemeral-resources"):
				cli.skipUnless(featureEphemeralResources)
			case strings.HasPrefix(name, "actions"):
				cli.skipUnless(featureActions)
			}
			cli.copyExample(filepath.Join(root, name))
			// An import block by identity is the alternative to the one by ID (one configuration
			// cannot hold both): it is tried in its place below.
			byIdentity := filepath.Join(cli.dir, "import-by-identity.tf")
			identityExample, err := os.ReadFile(byIdentity)
			if err == nil {
				if err := os.Remove(byIdentity); err != nil {
					t.Fatal(err)
				}
			}
			if name == "gitops" {
				// Its backend "pg" is exercised by internal/scripts' TestAccGitOpsWorkflow_pgBackend
				// against a real PostgreSQL; here an override file keeps the state local.
				if err := os.WriteFile(filepath.Join(cli.dir, "backend_override.tf"), []byte("terraform {\n  backend \"local\" {}\n}\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				cli.must("init", "-input=false")
			} else {
				cli.init()
			}
			if name == "provider" {
				cli.must("validate")
				return
			}
			if strings.HasPrefix(name, "actions") {
				// The example names the action to invoke in its comment.
				cli.must("apply", "-auto-approve", "-input=false", "-invoke="+invokedAction(t, filepath.Join(root, name)))
				if len(env.emu.Handoffs()) != 1 {
					t.Fatalf("the action example made %d handoffs, want 1", len(env.emu.Handoffs()))
				}
				// trigger.tf: the apply that creates terraform_data.escalation moves the chat once,
				// a new var.escalation once more, and an apply that changes nothing not at all.
				for i, args := range [][]string{{}, {"-var=escalation=TICKET-1002"}, {"-var=escalation=TICKET-1002"}} {
					cli.must(append([]string{"apply", "-auto-approve", "-input=false"}, args...)...)
					if got, want := len(env.emu.Handoffs()), 2+min(i, 1); got != want {
						t.Fatalf("after apply %d of the action_trigger example there are %d handoffs, want %d", i+1, got, want)
					}
				}
				return
			}
			cli.must("apply", "-auto-approve", "-input=false")
			if strings.HasPrefix(name, "ephemeral-resources") && !env.readChats() {
				t.Fatal("the ephemeral resource example read no chat")
			}
			if len(env.emu.Uploads()) == 0 {
				t.Fatal("the example uploaded nothing")
			}
			if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
				t.Fatalf("the plan after applying the example is not empty: %v\n%s", err, out)
			}
			if ok, _ := cli.version().supports(featureResourceIdentity); ok && identityExample != nil {
				to := regexp.MustCompile(`to\s*=\s*(\S+)`).FindSubmatch(identityExample)
				if to == nil {
					t.Fatal("import-by-identity.tf has no import block")
				}
				if err := os.Remove(filepath.Join(cli.dir, "import-by-block.tf")); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(byIdentity, identityExample, 0o600); err != nil {
					t.Fatal(err)
				}
				cli.must("state", "rm", string(to[1]))
				out := cli.must("apply", "-auto-approve", "-input=false")
				if !strings.Contains(out, "1 imported, 0 added, 1 changed, 0 destroyed") {
					t.Fatalf("the import by identity is not an import and an in-place update:\n%s", out)
				}
			}
			script, err := os.ReadFile(filepath.Join(root, name, "import.sh"))
			if err != nil {
				return
			}
			for _, line := range strings.Split(string(script), "\n") {
				args := strings.Fields(line)
				if len(args) == 0 || args[0] != "terraform" {
					continue
				}
				cli.must("state", "rm", args[len(args)-2])
				cli.must(append(args[1:len(args)-2], "-input=false", args[len(args)-2], args[len(args)-1])...)
				out, _ := cli.run("plan", "-input=false")
				if !strings.Contains(out, "0 to add, 1 to change, 0 to destroy") {
					t.Fatalf("after %q the plan is not an in-place update:\n%s", line, out)
				}
			}
		})
	}
}

// invokedAction is the action address in the example's "-invoke=" comment.
func invokedAction(t *testing.T, dir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "action.tf"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`-invoke=(\S+)`).FindStringSubmatch(string(raw))
	if m == nil {
		t.Fatal("action.tf does not say how to invoke its action")
	}
	return m[1]
}

// copyExample copies an example directory into the working directory. An example that does not
// declare its provider (the registry's snippets) gets the declaration a root module would have.
func (c *terraformCLI) copyExample(src string) {
	c.t.Helper()
	declared := false
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tf") && strings.Contains(string(raw), "required_providers") {
			declared = true
		}
		dst := filepath.Join(c.dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, raw, 0o600)
	})
	if err != nil {
		c.t.Fatal(err)
	}
	if !declared {
		c.write("")
	}
}
