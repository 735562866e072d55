package provider

import (
	"strings"
	"testing"
)

// strict_content = true turns a content warning into an error at the same path, for terraform
// validate and plan alike, and sends nothing; turning it on for valid content uploads nothing.
func TestAccFAQDomain_strictContent(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	typo := bot1(`{"type":"TEXT","text":"Hi","data":{"quick_reply":[]}}`)
	const where = `nodes["n"].bot_says[0]: The HSL TEXT "data" has the key "quick_reply", which Haptik does not document; did you mean "quick_replies"?`

	cli.write(env.providerBlock() + domainConfig("acme_support", typo, ""))
	cli.init()
	out := cli.must("validate")
	if !wrapped("Warning: Unknown HSL Key", where).MatchString(out) || !strings.Contains(out, "Success! The configuration is valid") {
		t.Fatalf("without strict_content the typo is not a warning:\n%s", out)
	}

	cli.write(env.providerBlock() + domainConfig("acme_support", typo, "  strict_content = true\n"))
	for _, args := range [][]string{{"validate"}, {"plan", "-input=false"}} {
		cmd := args[0]
		out, err := cli.run(args...)
		if err == nil || !wrapped("Error: Unknown HSL Key", where,
			"This is an error because strict_content = true: change the content, or set strict_content = false to accept it as a warning.").MatchString(out) ||
			strings.Contains(out, "Warning: Unknown HSL Key") {
			t.Fatalf("with strict_content = true, terraform %s does not fail on the typo at its path (%v):\n%s", cmd, err, out)
		}
	}
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}

	// Fixed, the content applies; turning strict_content off again is an update that uploads nothing.
	fixed := bot1(`{"type":"TEXT","text":"Hi","data":{"quick_replies":[]}}`)
	cli.write(env.providerBlock() + domainConfig("acme_support", fixed, "  strict_content = true\n"))
	cli.must("apply", "-auto-approve", "-input=false")
	cli.write(env.providerBlock() + domainConfig("acme_support", fixed, "  strict_content = false\n"))
	if out := cli.must("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "0 added, 1 changed, 0 destroyed") {
		t.Fatalf("changing strict_content is not an update in place:\n%s", out)
	}
	if err := env.expectUploads("acme_support", 1); err != nil {
		t.Fatal(err)
	}
	if out, err := cli.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the apply is not empty: %v\n%s", err, out)
	}
}
