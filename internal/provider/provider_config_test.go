package provider

import (
	"fmt"
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
