package provider

import (
	"strings"
	"testing"
)

// A null element of user_says or bot_says is refused by terraform validate at the element's path,
// and the plan fails the same way, instead of the plan failing with "Unreadable Plan", which read
// as a bug in the provider. A null that comes from a variable (unknown to terraform validate) is
// refused by the plan.
func TestAccFAQDomain_nullListElements(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + `resource "haptik_faq_domain" "test" {
  domain_name = "acme_support"
  nodes = {
    hours = {
      user_says = [null, "opening hours"]
      bot_says  = ["We open at nine."]
    }
    refunds = {
      user_says = ["refund"]
      bot_says  = ["Refunds take five days.", null]
    }
  }
}
`)
	cli.init()
	for _, cmd := range []string{"validate", "plan"} {
		out, err := cli.run(cmd)
		if err == nil {
			t.Fatalf("terraform %s accepts null list elements:\n%s", cmd, out)
		}
		if strings.Contains(out, "Unreadable") || strings.Contains(out, "bug in the provider") {
			t.Fatalf("terraform %s reports null elements as a provider bug:\n%s", cmd, out)
		}
		for _, want := range []*struct{ path, what string }{
			{`nodes["hours"].user_says[0]`, "user says"},
			{`nodes["refunds"].bot_says[1]`, "bot says"},
		} {
			if !wrapped("Null "+titleWords(want.what), want.path+": ").MatchString(out) {
				t.Errorf("terraform %s does not refuse the null at %s:\n%s", cmd, want.path, out)
			}
		}
	}

	cli.write(env.providerBlock() + `variable "missing" {
  type    = string
  default = null
}

resource "haptik_faq_domain" "test" {
  domain_name = "acme_support"
  nodes = {
    refunds = {
      user_says = ["refund"]
      bot_says  = ["Refunds take five days.", var.missing]
    }
  }
}
`)
	cli.must("validate") // the variable is unknown to validate
	out, err := cli.run("plan", "-input=false")
	if err == nil || strings.Contains(out, "Unreadable") ||
		!wrapped("Null Bot Says", `nodes["refunds"].bot_says[1]: The bot says is null`).MatchString(out) {
		t.Fatalf("the plan does not refuse the null from a variable at its path (%v):\n%s", err, out)
	}
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// titleWords is "User Says" for "user says".
func titleWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
