package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// echoFactories adds the echo provider, which copies its `data` into the state of an `echo`
// resource: the one way a test can look at an ephemeral value.
func (e *testEnv) echoFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	f := e.factories()
	f["echo"] = echoprovider.NewProviderServer()
	return f
}

func transcriptConfig(e *testEnv, attrs string) string { return echoConfig(e, attrs, "chat") }

// echoConfig echoes the transcript into the echo resource named echo; the echo resource keeps
// what it first stored, so a step that reads something else uses another name.
func echoConfig(e *testEnv, attrs, echo string) string {
	return e.providerBlock() + fmt.Sprintf(`
ephemeral "haptik_chat_transcript" "chat" {
%s
}

provider "echo" {
  data = ephemeral.haptik_chat_transcript.chat
}

resource "echo" %q {}
`, attrs, echo)
}

func message(text, sender, id, ts string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"text": knownvalue.StringExact(text), "sender": knownvalue.StringExact(sender),
		"message_id": knownvalue.StringExact(id), "timestamp": knownvalue.StringExact(ts),
	})
}

func TestAccChatTranscript_echo(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	data := func(p string) tfjsonpath.Path { return tfjsonpath.New("data").AtMapKey(p) }
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.echoFactories(),
		Steps: []resource.TestStep{
			{
				Config: transcriptConfig(e, "  user_name = \"ana\"\n  business_id = 7\n  conversation_no = 3"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.chat", data("messages"), knownvalue.ListExact([]knownvalue.Check{
						message("hi", "user", "101", "2020-06-22T07:24:25Z"),
						message("hello, how can I help?", "bot", "102", "2020-06-22T07:24:26Z"),
						message("Asha here", "agent(Asha)", "103", "2020-06-22T20:24:25Z"),
					})),
					statecheck.ExpectKnownValue("echo.chat", data("transcript"),
						knownvalue.StringExact("user: hi\nbot: hello, how can I help?\nagent(Asha): Asha here\n")),
					statecheck.ExpectKnownValue("echo.chat", data("limit"), knownvalue.Null()),
				},
				Check: e.expectOnlyHistoryRequests(),
			},
			{
				// limit keeps the latest messages.
				Config: echoConfig(e, "  user_name = \"ana\"\n  business_id = 7\n  conversation_no = 3\n  limit = 1", "latest"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.latest", data("messages"), knownvalue.ListExact([]knownvalue.Check{
						message("Asha here", "agent(Asha)", "103", "2020-06-22T20:24:25Z"),
					})),
					statecheck.ExpectKnownValue("echo.latest", data("transcript"), knownvalue.StringExact("agent(Asha): Asha here\n")),
				},
			},
		},
	})
}

// expectOnlyHistoryRequests checks that the emulator saw chat history reads, and nothing else.
func (e *testEnv) expectOnlyHistoryRequests() resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := e.emu.Requests()
		if len(reqs) == 0 {
			return fmt.Errorf("no request reached Haptik")
		}
		for _, r := range reqs {
			if r.Method != "GET" || r.Path != haptik.ChatHistoryPath || r.HTTPStatus != 200 {
				return fmt.Errorf("unexpected request %s %s (HTTP %d)", r.Method, r.Path, r.HTTPStatus)
			}
		}
		return nil
	}
}

// TestAccChatTranscript_errors shows each documented get_chat_history refusal that a valid
// configuration can meet, on the attribute it is about, and the plan-time checks that stop a
// request from being sent at all.
func TestAccChatTranscript_errors(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	attrs := func(user string, business, conversation int, extra string) string {
		return fmt.Sprintf("  user_name = %q\n  business_id = %d\n  conversation_no = %d\n%s", user, business, conversation, extra)
	}
	step := func(config string, want ...string) resource.TestStep {
		return resource.TestStep{Config: config, ExpectError: wrapped(want...)}
	}
	badToken := strings.Replace(transcriptConfig(e, attrs("ana", 7, 3, "")), testToken, "wrong-token-31", 1)
	badClient := strings.Replace(transcriptConfig(e, attrs("ana", 7, 3, "")), testClientID, "wrong-client", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.echoFactories(),
		Steps: []resource.TestStep{
			step(transcriptConfig(e, attrs("zed", 7, 3, "")), "Haptik Refused the user_name", `"invalid user_name"`, "Check user_name."),
			step(transcriptConfig(e, attrs("bo", 7, 1, "")), "Haptik Refused the user_name", `"user has not sent a message"`,
				"only knows a user once they have written to the bot"),
			step(badToken, "Haptik Refused the Credentials", `"invalid token"`, "Check the provider's client_id"),
			step(badClient, "Haptik Refused the Credentials", `"invalid client_id"`),
			step(transcriptConfig(e, attrs("ana", 7, 3, "  limit = 0")), "limit", "value must be a whole number from 1 to"),
			step(transcriptConfig(e, attrs("ana", 0, 3, "")), "business_id", "value must be a whole number from 1 to"),
			step(transcriptConfig(e, attrs("", 7, 3, "")), "user_name", "string length must be at least 1"),
			step(transcriptConfig(e, attrs("ana", 7, -1, "")), "conversation_no", "value must be a whole number from 0 to"),
		},
	})
	for _, r := range e.emu.Requests() {
		if r.HTTPStatus == 200 {
			t.Errorf("a request succeeded: %+v", r)
		}
	}
	if n := len(e.emu.Requests()); n != 4 {
		t.Errorf("%d requests reached Haptik; want 4 (one per refusal; the plan-time checks send none)", n)
	}
	for _, r := range e.emu.Requests() {
		if strings.Contains(r.UserAgent, "wrong-token-31") {
			t.Errorf("token in a request's User-Agent")
		}
	}
}

// TestAccChatTranscript_neverInStateOrPlan reads a transcript during plan and apply (the
// emulator's record proves it) and finds no trace of the chat in the saved plan or the state.
func TestAccChatTranscript_neverInStateOrPlan(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	cli := newTerraformCLI(t, e)
	cli.skipUnless(featureEphemeralResources)
	cli.write(e.providerBlock() + `
ephemeral "haptik_chat_transcript" "chat" {
  user_name       = "ana"
  business_id     = 7
  conversation_no = 3
}

resource "haptik_faq_domain" "faq" {
  domain_name = "support"
  nodes = {
    greeting = { user_says = ["hi"], bot_says = ["Hello!"] }
  }
  lifecycle {
    precondition {
      condition     = length(ephemeral.haptik_chat_transcript.chat.messages) == 3
      error_message = "The chat should have three messages."
    }
  }
}
`)
	cli.init()
	cli.must("plan", "-out=tfplan", "-input=false")
	afterPlan := len(e.emu.Requests())
	cli.must("apply", "-input=false", "tfplan")
	if afterPlan == 0 || len(e.emu.Requests()) == afterPlan {
		t.Fatalf("history requests: %d after plan, %d after apply; want some in each", afterPlan, len(e.emu.Requests()))
	}
	planJSON := cli.must("show", "-json", "tfplan")
	state, err := os.ReadFile(filepath.Join(cli.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"saved plan": planJSON, "state": string(state)} {
		for _, secret := range []string{"hello, how can I help?", "Asha here", "agent(Asha)", "2020-06-22"} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s contains %q", what, secret)
			}
		}
	}
	if !regexp.MustCompile(`"haptik_faq_domain"`).MatchString(string(state)) {
		t.Fatal("the state has no haptik_faq_domain: the check above looked at the wrong file")
	}
}

// TestAccChatTranscript_numbersOutOfRange shows that a fraction or a number beyond int64 gets a
// validation error naming the attribute and its range, at plan time, with nothing sent.
func TestAccChatTranscript_numbersOutOfRange(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	step := func(attrs string, want ...string) resource.TestStep {
		return resource.TestStep{Config: transcriptConfig(e, attrs), ExpectError: wrapped(want...)}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: e.echoFactories(),
		Steps: []resource.TestStep{
			step("  user_name = \"ana\"\n  business_id = 7\n  conversation_no = 3\n  limit = 1e30",
				"Invalid Attribute Value", "Attribute limit value must be a whole number from 1 to 9223372036854775807, got: 1e+30"),
			step("  user_name = \"ana\"\n  business_id = 7\n  conversation_no = 1.5",
				"Invalid Attribute Value", "Attribute conversation_no value must be a whole number from 0 to 9223372036854775807, got: 1.5"),
			step("  user_name = \"ana\"\n  business_id = -1e30\n  conversation_no = 3",
				"Invalid Attribute Value", "Attribute business_id value must be a whole number from 1 to 9223372036854775807, got: -1e+30"),
		},
	})
	if err := expectNoRequests(e); err != nil {
		t.Fatal(err)
	}
}
