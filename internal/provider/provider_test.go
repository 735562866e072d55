package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

const (
	testToken    = "test-token-5f1c9e"
	testClientID = "test-client"
)

// testEnv is one emulated Haptik account served on loopback, and a provider configured for it.
type testEnv struct {
	t   *testing.T
	emu *emulator.Server
	url string
	// tune, when set, adjusts the client further (e.g. a short request timeout).
	tune func(*haptik.Config)
}

func newTestEnv(t *testing.T, domains ...string) *testEnv {
	t.Helper()
	emu := emulator.New(emulator.Config{Token: testToken, ClientID: testClientID, Domains: domains,
		TaskDuration: 150 * time.Millisecond})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, emu: emu, url: srv.URL}
}

// factories serves the provider in-process, polling and retrying fast so tests stay quick. Each
// Terraform command gets a new provider, as each gets a new plugin process in real use.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"haptik": func() (tfprotov6.ProviderServer, error) {
			return newServer(&haptikProvider{
				version: "test",
				poll:    fastPoll,
				tuneClient: func(c *haptik.Config) {
					c.RetryWaitMin, c.RetryWaitMax = 20*time.Millisecond, 200*time.Millisecond
					if e.tune != nil {
						e.tune(c)
					}
				},
			})
		},
	}
}

// providerBlock configures the provider for the emulator through its attributes.
func (e *testEnv) providerBlock() string {
	return fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = %q\n  token     = %q\n}\n",
		e.url, testClientID, testToken)
}

// testNode is a node as a test writes it.
type testNode struct {
	UserSays []string
	BotSays  []string
}

// domainConfig renders a haptik_faq_domain named "test" with the given nodes, plus extra HCL
// inside the resource block.
func domainConfig(domain string, nodes map[string]testNode, extra string) string {
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"haptik_faq_domain\" \"test\" {\n  domain_name = %s\n  nodes = {\n", hclString(domain))
	for _, n := range names {
		fmt.Fprintf(&b, "    %s = {\n      user_says = %s\n      bot_says  = %s\n    }\n",
			hclString(n), hclList(nodes[n].UserSays), hclList(nodes[n].BotSays))
	}
	fmt.Fprintf(&b, "  }\n%s}\n", extra)
	return b.String()
}

// hclString quotes s as an HCL string literal: HCL's escapes (\n \r \t \" \\ \uNNNN) and
// escaped template sequences.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = hclString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// expectActive checks that the emulator's active nodes of domain are exactly want.
func (e *testEnv) expectActive(domain string, want map[string]testNode) error {
	return sameNodes(fmt.Sprintf("active nodes of %q in the emulator", domain), e.emu.ActiveNodes(domain), want)
}

// expectLastUpload checks that the last upload the emulator accepted for domain, parsed back by
// the emulator's own CSV reader, holds exactly want.
func (e *testEnv) expectLastUpload(domain string, want map[string]testNode) error {
	ups := e.emu.AcceptedUploads(domain)
	if len(ups) == 0 {
		return fmt.Errorf("no upload to %q was accepted", domain)
	}
	rows, err := emulator.ParseCSV([]byte(ups[len(ups)-1].CSV))
	if err != nil {
		return fmt.Errorf("the emulator cannot parse the uploaded CSV: %w", err)
	}
	return sameNodes(fmt.Sprintf("last upload to %q parsed back", domain), rows, want)
}

// sameNodes compares the emulator's nodes with want, by name and content.
func sameNodes(what string, nodes []emulator.Node, want map[string]testNode) error {
	got := map[string]testNode{}
	for _, n := range nodes {
		got[n.Name] = testNode{UserSays: n.UserSays, BotSays: n.BotSays}
	}
	if len(want) == 0 && len(got) == 0 {
		return nil
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
	return nil
}

// faqNodes converts test nodes to the renderer's nodes.
func faqNodes(nodes map[string]testNode) []faqcsv.Node {
	out := make([]faqcsv.Node, 0, len(nodes))
	for name, n := range nodes {
		out = append(out, faqcsv.Node{Name: name, UserSays: n.UserSays, BotSays: n.BotSays})
	}
	return out
}

// expectUploads checks how many uploads to domain the emulator accepted.
func (e *testEnv) expectUploads(domain string, n int) error {
	if got := len(e.emu.AcceptedUploads(domain)); got != n {
		return fmt.Errorf("the emulator accepted %d upload(s) to %q, want %d", got, domain, n)
	}
	return nil
}

var fastPoll = haptik.PollPolicy{MinInterval: 50 * time.Millisecond, MaxInterval: time.Second, Fraction: 0.2}

// client returns a Haptik client for the emulator, for tests that act as a person using the API.
func (e *testEnv) client(t *testing.T) *haptik.Client {
	t.Helper()
	c, err := haptik.New(haptik.Config{BaseURL: e.url, ClientID: testClientID, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func emulatorTaskFault(msg string) emulator.TaskFault { return emulator.TaskFault{Message: msg} }

// expectPriorValue is a plan check on the state a plan starts from: the prior value of a
// top-level string attribute of the resource.
func expectPriorValue(address, attribute, want string) plancheck.PlanCheck {
	return priorValueCheck{address, attribute, want}
}

type priorValueCheck struct{ address, attribute, want string }

func (c priorValueCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[c.attribute]; got != c.want {
			resp.Error = fmt.Errorf("%s: prior %s is %v, want %q", c.address, c.attribute, got, c.want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.address)
}

// wrapped matches the given phrases, in order, in Terraform's output, which wraps long lines:
// each space in a phrase matches any run of whitespace.
func wrapped(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = wrapPhrase(p)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// wrapPhrase is the regular expression of one phrase that Terraform may have wrapped.
func wrapPhrase(p string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
}

func errorFault(status int, msg string) emulator.UploadFault {
	return emulator.UploadFault{Status: status, Message: msg}
}
