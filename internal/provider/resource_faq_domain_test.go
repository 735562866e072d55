package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

const addr = "haptik_faq_domain.test"

var (
	nodesV1 = map[string]testNode{
		"reset_password": {UserSays: []string{"How do I reset my password?", "forgot password"},
			BotSays: []string{"Open Settings > Security.", `{"type":"TEXT"}`}},
		"opening_hours": {UserSays: []string{"When are you open?"}, BotSays: []string{"9 to 5, Monday to Friday."}},
		"refunds":       {UserSays: []string{"refund", "money back"}, BotSays: []string{"Refunds take 5 days."}},
	}
	// nodesV2 drops refunds, edits opening_hours and adds shipping.
	nodesV2 = map[string]testNode{
		"reset_password": nodesV1["reset_password"],
		"opening_hours":  {UserSays: []string{"When are you open?", "hours"}, BotSays: []string{"9 to 6, every day."}},
		"shipping":       {UserSays: []string{"Where is my parcel?"}, BotSays: []string{"Track it under Orders."}},
	}
)

func TestAccFAQDomain_lifecycle(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	cfgV1 := env.providerBlock() + domainConfig("acme_support", nodesV1, "")
	cfgV2 := env.providerBlock() + domainConfig("acme_support", nodesV2, "")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.ActiveNodes("acme_support")); n != 0 {
				return fmt.Errorf("after destroy %d node(s) are still active", n)
			}
			ups := env.emu.AcceptedUploads("acme_support")
			if last := ups[len(ups)-1].CSV; last != faqcsv.Header+"\r\n" {
				return fmt.Errorf("destroy uploaded %q, want a header-only CSV", last)
			}
			return env.expectUploads("acme_support", 3)
		},
		Steps: []resource.TestStep{
			{
				Config: cfgV1,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("node_count"), knownvalue.Int64Exact(3)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringExact(shaOf(nodesV1))),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("last_task_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("acme_support")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("deletion_policy"), knownvalue.StringExact("deactivate")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_task_id"), knownvalue.StringFunc(env.expectTaskSucceeded)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringFunc(func(sha string) error {
						ups := env.emu.AcceptedUploads("acme_support")
						if got := faqcsv.SHA256([]byte(ups[len(ups)-1].CSV)); got != sha {
							return fmt.Errorf("state says %s but the emulator received CSV with SHA-256 %s", sha, got)
						}
						return nil
					})),
				},
				Check: func(*terraform.State) error {
					if err := env.expectLastUpload("acme_support", nodesV1); err != nil {
						return err
					}
					for _, r := range env.emu.Requests() {
						if !strings.HasPrefix(r.UserAgent, "terraform-provider-haptik/test Terraform/1.") {
							return fmt.Errorf("%s %s came with User-Agent %q", r.Method, r.Path, r.UserAgent)
						}
					}
					return env.expectActive("acme_support", nodesV1)
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "acme_support",
				ImportStateVerify: true,
				// Haptik cannot read nodes back: an import knows only the domain.
				ImportStateVerifyIgnore: []string{"nodes", "node_count", "content_sha256", "last_task_id", "confirmed"},
			},
			{
				// Forget the domain without touching Haptik, as a team adopting an existing bot would
				// start from...
				Config: env.providerBlock() + "removed {\n  from = haptik_faq_domain.test\n  lifecycle {\n    destroy = false\n  }\n}\n",
				Check: func(*terraform.State) error {
					if err := env.expectUploads("acme_support", 1); err != nil {
						return err
					}
					return env.expectActive("acme_support", nodesV1)
				},
			},
			{
				// ...then import it with `terraform import` and keep the imported state.
				Config:             cfgV1,
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      "acme_support",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != "acme_support" || states[0].Attributes["domain_name"] != "acme_support" {
						return fmt.Errorf("imported %+v", states)
					}
					return nil
				},
			},
			{
				// From the imported state (no nodes known), the change is an in-place update.
				Config: cfgV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectPriorValue(addr, "domain_name", "acme_support"),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringExact(shaOf(nodesV2))),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("last_task_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("node_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("last_task_id"), knownvalue.StringFunc(env.expectTaskSucceeded)),
				},
				Check: func(*terraform.State) error {
					if err := env.expectLastUpload("acme_support", nodesV2); err != nil {
						return err
					}
					if err := env.expectActive("acme_support", nodesV2); err != nil {
						return err
					}
					for _, n := range env.emu.Nodes("acme_support") {
						if n.Name == "refunds" && n.Active {
							return fmt.Errorf("the removed node refunds is still active")
						}
					}
					return env.expectUploads("acme_support", 2)
				},
			},
			{
				Config: cfgV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: func(*terraform.State) error { return env.expectUploads("acme_support", 2) },
			},
		},
	})
}

func TestAccFAQDomain_importBlock(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	// The domain already holds content that Terraform never saw, including a node the
	// configuration does not name.
	seedDomain(t, env, "acme_support", map[string]testNode{
		"legacy_node":   {UserSays: []string{"old question"}, BotSays: []string{"old answer"}},
		"opening_hours": {UserSays: []string{"hours?"}, BotSays: []string{"Ask again later."}},
	})
	importBlock := "import {\n  to = haptik_faq_domain.test\n  id = \"acme_support\"\n}\n"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + importBlock + domainConfig("acme_support", nodesV1, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// An import is followed by an in-place update that uploads the configured nodes.
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringExact(shaOf(nodesV1))),
			}},
			Check: func(*terraform.State) error {
				if err := env.expectActive("acme_support", nodesV1); err != nil {
					return err
				}
				for _, n := range env.emu.Nodes("acme_support") {
					if n.Name == "legacy_node" && n.Active {
						return fmt.Errorf("legacy_node, absent from the configuration, is still active")
					}
				}
				return env.expectUploads("acme_support", 2)
			},
		}},
	})
}

func TestAccFAQDomain_contentRoundTrip(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	// Haptik's own sample row, verbatim from its documentation.
	const sampleHSL = `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"Talk to an Agent","is_default":0,"type":"TEXT_ONLY","payload":{"link":"","message":"Talk to an Agent","gogo_message":""}}]},"isNew":false}`
	nodes := map[string]testNode{
		"Bad Feedbacks": {UserSays: []string{"this is useless", "bad bot"},
			BotSays: []string{"I'm sorry to hear that. Let me connect you to someone who can help.", sampleHSL}},
		"quoting": {UserSays: []string{`He said "hi", then left`, "a, b, and c"},
			BotSays: []string{"Line one\nLine two\n\nLine four", `"quoted" answer, with comma`, "  leading and trailing spaces  "}},
		"scripts": {UserSays: []string{"पासवर्ड कैसे बदलें?", "如何重置密码", "كيف أعيد تعيين كلمة المرور"},
			BotSays: []string{"Ελληνικά, русский, 日本語 — all fine.", "Emoji 👍🏽🎉 and ZWJ 👩‍💻"}},
		"templates": {UserSays: []string{"${not_interpolated} and %{ not_a_directive }"},
			BotSays: []string{"Tabs\tinside, backslash \\ and a trailing newline\n"}},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + domainConfig("acme_support", nodes, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("nodes").AtMapKey("Bad Feedbacks").AtMapKey("bot_says").AtSliceIndex(1),
					knownvalue.StringExact(sampleHSL)),
			},
			Check: func(*terraform.State) error {
				if err := env.expectLastUpload("acme_support", nodes); err != nil {
					return err
				}
				return env.expectActive("acme_support", nodes)
			},
		}},
	})
}

func TestAccFAQDomain_fromJSONAndYAML(t *testing.T) {
	env := newTestEnv(t)
	want := map[string]testNode{
		"reset_password": {UserSays: []string{"forgot password", "reset password"}, BotSays: []string{"Open Settings.", "42"}},
		"opening_hours":  {UserSays: []string{"hours"}, BotSays: []string{"9 to 5."}},
	}
	config := env.providerBlock() + `
locals {
  from_json = jsondecode(<<-EOT
    {"reset_password": {"user_says": ["forgot password", "reset password"], "bot_says": ["Open Settings.", 42]}}
  EOT
  )
  from_yaml = yamldecode(<<-EOT
    opening_hours:
      user_says: [hours]
      bot_says:
        - "9 to 5."
  EOT
  )
}

resource "haptik_faq_domain" "test" {
  domain_name = "from_files"
  nodes       = merge(local.from_json, local.from_yaml)
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringExact(shaOf(want))),
			}},
			Check: func(*terraform.State) error { return env.expectLastUpload("from_files", want) },
		}},
	})
}

func TestAccFAQDomain_failedTaskKeepsPriorState(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	cfgV1 := env.providerBlock() + domainConfig("acme_support", nodesV1, "")
	cfgV2 := env.providerBlock() + domainConfig("acme_support", nodesV2, "")
	const haptikSays = "Error while creating node shipping: answer could not be saved"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: cfgV1},
			{
				PreConfig: func() { env.emu.FailNextTask(emulatorTaskFault(haptikSays)) },
				Config:    cfgV2,
				ExpectError: regexp.MustCompile(`(?s)` + wrapPhrase("Haptik Upload Task Failed") +
					`.*task\s+[0-9a-f-]{36}\s.*` + wrapPhrase(haptikSays)),
			},
			{
				// The failed apply saved nothing: the plan still shows the whole change, from the
				// content the last successful apply uploaded.
				Config: cfgV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectPriorValue(addr, "content_sha256", shaOf(nodesV1)),
				}},
				Check: func(*terraform.State) error {
					if err := env.expectUploads("acme_support", 3); err != nil {
						return err
					}
					return env.expectActive("acme_support", nodesV2)
				},
			},
		},
	})
}

func TestAccFAQDomain_rejectedUploadKeepsPriorState(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	cfgV1 := env.providerBlock() + domainConfig("acme_support", nodesV1, "")
	cfgV2 := env.providerBlock() + domainConfig("acme_support", nodesV2, "")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				// An unknown domain is refused by Haptik itself; nothing is created.
				Config:      env.providerBlock() + domainConfig("no_such_domain", nodesV1, ""),
				ExpectError: wrapped("Haptik Rejected the Upload", `HTTP 400: "invalid doman"`),
			},
			{
				Config:             env.providerBlock() + domainConfig("no_such_domain", nodesV1, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: cfgV1},
			{
				PreConfig: func() {
					env.emu.FailUploads(errorFault(400, "invalid request body: node answer too long"))
				},
				Config:      cfgV2,
				ExpectError: wrapped("Haptik Rejected the Upload", `HTTP 400: "invalid request body: node answer too long"`, "state was not changed"),
			},
			{
				Config: cfgV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectPriorValue(addr, "content_sha256", shaOf(nodesV1)),
				}},
				Check: func(*terraform.State) error { return env.expectActive("acme_support", nodesV2) },
			},
		},
	})
}

func TestAccFAQDomain_retainOnDestroy(t *testing.T) {
	env := newTestEnv(t, "acme_support")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy: func(*terraform.State) error {
			// retain only forgets the domain: no upload on destroy, nodes stay active.
			if err := env.expectUploads("acme_support", 1); err != nil {
				return err
			}
			return env.expectActive("acme_support", nodesV1)
		},
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + domainConfig("acme_support", nodesV1, "  deletion_policy = \"retain\"\n"),
		}},
	})
}

func TestAccFAQDomain_domainChangeReplaces(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.providerBlock() + domainConfig("first", nodesV1, "")},
			{
				Config: env.providerBlock() + domainConfig("second", nodesV1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error {
					if n := len(env.emu.ActiveNodes("first")); n != 0 {
						return fmt.Errorf("the replaced domain still has %d active node(s)", n)
					}
					return env.expectActive("second", nodesV1)
				},
			},
		},
	})
}

func TestAccFAQDomain_timeoutsOnlyChangeDoesNotUpload(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.providerBlock() + domainConfig("d", nodesV1, "")},
			{
				Config: env.providerBlock() + domainConfig("d", nodesV1, "  timeouts = { update = \"5m\" }\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("last_task_id"), knownvalue.NotNull()),
				}},
				Check: func(*terraform.State) error { return env.expectUploads("d", 1) },
			},
		},
	})
}
