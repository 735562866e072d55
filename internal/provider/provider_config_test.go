package provider

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

func TestAccProvider_fromEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvClientID, testClientID)
	t.Setenv(EnvToken, testToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: "provider \"haptik\" {}\n" + domainConfig("d", oneNode, ""),
			Check:  func(*terraform.State) error { return env.expectActive("d", oneNode) },
		}},
	})
}

func TestAccProvider_attributesWinOverEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, "http://127.0.0.1:1")
	t.Setenv(EnvClientID, "wrong-client")
	t.Setenv(EnvToken, "wrong-token")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + domainConfig("d", oneNode, ""),
			Check:  func(*terraform.State) error { return env.expectActive("d", oneNode) },
		}},
	})
}

func TestAccProvider_missingSettings(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, "")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvToken, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: "provider \"haptik\" {}\n" + domainConfig("d", oneNode, ""),
				ExpectError: wrapped("Missing Haptik Settings", "3 of them are not set",
					`Set "base_url" in the provider block, or set the HAPTIK_BASE_URL environment variable.`,
					`Set "client_id" in the provider block, or set the HAPTIK_CLIENT_ID environment variable.`,
					`Set "token" in the provider block, or set the HAPTIK_TOKEN environment variable.`),
			},
			{
				Config:      fmt.Sprintf("provider \"haptik\" {\n  base_url = %q\n  client_id = \"c\"\n}\n", env.url) + domainConfig("d", oneNode, ""),
				ExpectError: wrapped("Missing Haptik Settings", "1 of them is not set", `Set "token" in the provider block, or set the HAPTIK_TOKEN environment variable.`),
			},
			{
				Config:      "provider \"haptik\" {\n  base_url = \"not a url\"\n  client_id = \"c\"\n  token = \"t\"\n}\n" + domainConfig("d", oneNode, ""),
				ExpectError: wrapped("Invalid Haptik Base URL", `"not a url"`),
			},
		},
	})
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// Provider settings that come from another resource are unknown at plan time; the plan must
// still work and the apply must use the values once known.
func TestAccProvider_unknownAtPlanTime(t *testing.T) {
	env := newTestEnv(t)
	config := fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input = %q
}

provider "haptik" {
  base_url  = terraform_data.endpoint.output
  client_id = %q
  token     = %q
}
`, env.url, testClientID, testToken) + domainConfig("d", oneNode, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			Check:  func(*terraform.State) error { return env.expectActive("d", oneNode) },
		}},
	})
}

// A max_concurrent_uploads beyond int64 or with a fraction gets a validation error naming it and
// its range, with nothing sent.
func TestAccProvider_maxConcurrentUploadsOutOfRange(t *testing.T) {
	env := newTestEnv(t)
	block := func(v string) string {
		return strings.Replace(env.providerBlock(), "}", "  max_concurrent_uploads = "+v+"\n}", 1) + domainConfig("d", oneNode, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: block("1e30"), ExpectError: wrapped("Invalid Attribute Value",
				"Attribute max_concurrent_uploads value must be a whole number from 1 to 64, got: 1e+30")},
			{Config: block("2.5"), ExpectError: wrapped("Invalid Attribute Value",
				"Attribute max_concurrent_uploads value must be a whole number from 1 to 64, got: 2.5")},
			{Config: block("65"), ExpectError: wrapped("Invalid Attribute Value",
				"Attribute max_concurrent_uploads value must be a whole number from 1 to 64, got: 65")},
		},
	})
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// A token or client ID read with file() ends with the line break the file has: the provider
// removes that one line break, so the apply works.
func TestAccProvider_credentialsFromFiles(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tokenFile, clientFile := write("token.txt", testToken+"\n"), write("client.txt", testClientID+"\r\n")
	fromFiles := fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = file(%q)\n  token     = file(%q)\n}\n",
		env.url, clientFile, tokenFile)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: fromFiles + domainConfig("d", oneNode, ""),
			Check:  func(*terraform.State) error { return env.expectActive("d", oneNode) },
		}},
	})
	// The same through the environment, as `HAPTIK_TOKEN=$(cat token.txt)` does not but a CI
	// secret pasted with its line break does.
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvClientID, testClientID+"\n")
	t.Setenv(EnvToken, testToken+"\r\n")
	two := map[string]testNode{"n": {UserSays: []string{"hi"}, BotSays: []string{"hello again"}}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: "provider \"haptik\" {}\n" + domainConfig("e", two, ""),
			Check:  func(*terraform.State) error { return env.expectActive("e", two) },
		}},
	})
}

// TestAccProvider_badCredentialsRefused: a blank, padded or multi-line token or client ID is
// refused at configure time, naming the setting, its environment variable and what is wrong,
// never its value, and an apply sends nothing to Haptik.
func TestAccProvider_badCredentialsRefused(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	block := func(clientID, token string) string {
		return fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = %s\n  token     = %s\n}\n",
			env.url, hclString(clientID), hclString(token)) + domainConfig("d", oneNode, "")
	}
	for _, tc := range []struct {
		name, config string
		env          map[string]string
		secrets      []string
		want         *regexp.Regexp
	}{
		{"blank token", block(testClientID, "   "), nil, nil, wrapped("Error: Invalid Haptik Credentials",
			"Nothing was sent to Haptik: the provider cannot use these settings as they are.",
			`"token" (set in the provider block) is blank: it holds nothing but whitespace or line breaks; set it to the token Haptik gave you.`,
			"The values are not shown here. One line break at the end, as file() reads it from a file, is removed; nothing else is changed.")},
		{"leading space", block(testClientID, " padded-secret-1"), nil, []string{"padded-secret-1"}, wrapped("Error: Invalid Haptik Credentials",
			`"token" (set in the provider block) starts with a space, which Haptik would take as part of the token; remove it.`)},
		{"trailing tab", block(testClientID, "padded-secret-2\t"), nil, []string{"padded-secret-2"}, wrapped("Error: Invalid Haptik Credentials",
			`"token" (set in the provider block) ends with a tab, which Haptik would take as part of the token; remove it.`)},
		{"inner line break", block(testClientID, "inner\nsecret-3"), nil, []string{"secret-3", "inner"}, wrapped("Error: Invalid Haptik Credentials",
			`"token" (set in the provider block) contains a line break (character 6), so it is not one line of text; check that it holds the token and nothing else.`)},
		{"two problems in one error", block(" client ", testToken+"\n\n"), nil, []string{testToken}, wrapped("Error: Invalid Haptik Credentials",
			`"client_id" (set in the provider block) starts with a space and ends with a space, which Haptik would take as part of the client ID; remove them.`,
			`"token" (set in the provider block) ends with a line break, which Haptik would take as part of the token; remove it.`)},
		{"from the environment", "provider \"haptik\" {}\n" + domainConfig("d", oneNode, ""),
			map[string]string{EnvBaseURL: env.url, EnvClientID: "cli\u0007ent", EnvToken: "env-secret-4\u00a0"}, []string{"env-secret-4"},
			wrapped("Error: Invalid Haptik Credentials",
				`HAPTIK_CLIENT_ID (the fallback of "client_id", which the provider block does not set) contains the control character U+0007 (character 4)`,
				`HAPTIK_TOKEN (the fallback of "token", which the provider block does not set) ends with the whitespace character U+00A0`)},
		{"missing and invalid together", "provider \"haptik\" {\n  token = \" padded-secret-5\"\n}\n" + domainConfig("d", oneNode, ""),
			map[string]string{EnvBaseURL: env.url, EnvClientID: ""}, []string{"padded-secret-5"},
			wrapped("Error: Missing or Invalid Haptik Settings",
				"The provider needs a Haptik base URL, client ID and token to reach the API. Nothing was sent to Haptik:",
				`Set "client_id" in the provider block, or set the HAPTIK_CLIENT_ID environment variable.`,
				`"token" (set in the provider block) starts with a space`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The provider runs in this process: it reads this process's environment.
			for _, k := range []string{EnvBaseURL, EnvClientID, EnvToken} {
				t.Setenv(k, tc.env[k])
			}
			cli.write(tc.config)
			cli.init()
			out, err := cli.run("apply", "-input=false", "-auto-approve")
			if err == nil || !tc.want.MatchString(out) {
				t.Fatalf("apply: %v; want an error matching %s, got:\n%s", err, tc.want, out)
			}
			for _, s := range tc.secrets {
				if strings.Contains(out, s) {
					t.Errorf("the output contains %q:\n%s", s, out)
				}
			}
		})
	}
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}
}

// TestAccProvider_caFile reaches a Haptik host whose certificate this machine does not trust:
// refused, with the x509 hint, without ca_file; working with ca_file naming its authority; and a
// ca_file that cannot be used is refused at plan time, naming ca_file.
func TestAccProvider_caFile(t *testing.T) {
	env := newTestEnv(t)
	tlsSrv := httptest.NewTLSServer(env.emu)
	t.Cleanup(tlsSrv.Close)
	dir := t.TempDir()
	caFile, notPEM := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "not.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := func(extra string) string {
		return fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = %q\n  token     = %q\n%s}\n",
			tlsSrv.URL, testClientID, testToken, extra) + domainConfig("d", oneNode, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: config(fmt.Sprintf("  ca_file = %q\n", notPEM)), ExpectError: wrapped("Invalid Haptik CA File",
				fmt.Sprintf(`The ca_file %q holds no PEM certificate`, notPEM))},
			{Config: config(fmt.Sprintf("  ca_file = %q\n", filepath.Join(dir, "missing.pem"))), ExpectError: wrapped(
				"Invalid Haptik CA File", "cannot be read: no such file or directory.")},
			{Config: config(""), ExpectError: wrapped("certificate signed by unknown authority", "set the SSL_CERT_FILE", "Or set ca_file in the provider block")},
			{
				Config: config(fmt.Sprintf("  ca_file = %q\n", caFile)),
				Check:  func(*terraform.State) error { return env.expectActive("d", oneNode) },
			},
		},
	})
}

// A plan sends nothing to Haptik, so it needs no credentials: a pull-request job can plan
// without the production token. Where something would be sent, the missing settings are the
// error, and nothing is sent.
func TestAccProvider_planNeedsNoCredentials(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, "")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvToken, "")
	cli := newTerraformCLI(t, env)
	cli.init()
	withCredentials := env.providerBlock() + domainConfig("d", oneNode, "")
	without := "provider \"haptik\" {}\n" + domainConfig("d", oneNode, "")

	cli.write(without)
	cli.must("validate")
	cli.planShows("1 to add")
	cli.fails([]string{"Error: Missing Haptik Settings", "3 of them are not set", `Set "base_url"`, "HAPTIK_TOKEN",
		"Plans need none of them", "Nothing was sent."}, "apply", "-auto-approve", "-input=false")
	if err := expectNoRequests(env); err != nil {
		t.Fatal(err)
	}

	// With the domain applied, a plan of a change and a no-change plan need no credentials either.
	cli.write(withCredentials)
	cli.must("apply", "-auto-approve", "-input=false")
	requests := len(env.emu.Requests())
	cli.write(without)
	cli.noChanges()
	cli.write("provider \"haptik\" {}\n" + domainConfig("d", map[string]testNode{"n": {UserSays: []string{"hi"}, BotSays: []string{"changed"}}}, ""))
	cli.planShows("1 to change")
	if n := len(env.emu.Requests()); n != requests {
		t.Fatalf("plans without credentials sent %d request(s)", n-requests)
	}
	cli.write(withCredentials)
}
