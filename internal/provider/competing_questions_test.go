package provider

import (
	"strings"
	"testing"
)

// competingConfig has one competing pair: reset and reset_again hold the same question written
// differently only in case and punctuation; the everyday questions make "how", "do" and "my"
// common words of the domain.
func competingConfig(setting string) string {
	return `
resource "haptik_faq_domain" "test" {
  domain_name = "d"
` + setting + `
  nodes = {
    track       = { user_says = ["how do I track my order", "how can I track my parcel"], bot_says = ["t"] }
    pay         = { user_says = ["how do I pay my bill", "how can I pay by card"], bot_says = ["p"] }
    address     = { user_says = ["how do I change my address", "how can I update my address"], bot_says = ["a"] }
    close       = { user_says = ["how do I close my account", "how can I delete my account"], bot_says = ["c"] }
    reset       = { user_says = ["how do I reset my password", "forgot password"], bot_says = ["r"] }
    reset_again = { user_says = ["password assistance", "How do I reset my password?"], bot_says = ["r2"] }
  }
}
`
}

const competingPair = `nodes["reset"].user_says[0] "how do I reset my password" and
nodes["reset_again"].user_says[1] "How do I reset my password?" (1.00)`

// By default terraform validate warns, offline, naming both user says by their paths; with
// check = "error" the plan fails with the same text; with check = "off" nothing is said.
func TestAccCompetingQuestions_cli(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(competingConfig(""))
	cli.init()
	out := cli.must("validate")
	// Terraform wraps long lines; compare with the line breaks as spaces.
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Warning: Competing Questions", strings.Join(strings.Fields(competingPair), " "),
		`with haptik_faq_domain.test, on main.tf line`} {
		if !strings.Contains(flat, want) {
			t.Errorf("terraform validate output lacks %q:\n%s", want, out)
		}
	}

	cli.write(competingConfig(`  competing_questions = { check = "error" }`))
	out, err := cli.run("plan", "-input=false")
	flat = strings.Join(strings.Fields(out), " ")
	if err == nil || !strings.Contains(flat, "Error: Competing Questions") || !strings.Contains(flat, strings.Join(strings.Fields(competingPair), " ")) {
		t.Errorf("check = \"error\": want a failed plan naming the pair, got %v:\n%s", err, out)
	}

	cli.write(competingConfig(`  competing_questions = { check = "off" }`))
	if out := cli.must("validate"); strings.Contains(out, "Competing") {
		t.Errorf("check = \"off\" still reports:\n%s", out)
	}
	cli.write(competingConfig(`  competing_questions = { threshold = 1.5 }`))
	if out, err := cli.run("validate"); err == nil || !strings.Contains(out, "Invalid Competing Questions Threshold") {
		t.Errorf("threshold 1.5: %v\n%s", err, out)
	}
}
