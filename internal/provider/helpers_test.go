// The provider's test harness: an emulated Haptik account and a provider configured for it,
// configuration builders, checks of the emulator's record, and a protocol-level client.

package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

// protocolServer is the provider's protocol server, as Terraform reaches it, configured for the
// emulator unless configure is false.
type protocolServer struct {
	t      *testing.T
	srv    actionProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtocolServer(t *testing.T, e *testEnv, configure bool) *protocolServer {
	t.Helper()
	ps, err := e.factories()["haptik"]()
	if err != nil {
		t.Fatal(err)
	}
	// tf6server serves actions only to a server with these methods, found by type assertion.
	srv, ok := ps.(actionProviderServer)
	if !ok {
		t.Fatalf("%T does not serve actions", ps)
	}
	ctx := context.Background()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, schema.Diagnostics)
	}
	p := &protocolServer{t: t, srv: srv, schema: schema}
	if configure {
		cfg := p.value(schema.Provider.ValueType(), map[string]any{"base_url": e.url, "client_id": testClientID, "token": testToken})
		resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg, TerraformVersion: "1.14.0"})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
		}
	}
	return p
}

// value encodes an object of type typ: strings, numbers (int, float64, *big.Float) and nils by
// attribute name, every other attribute null.
func (p *protocolServer) value(typ tftypes.Type, attrs map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	vals := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes {
		switch v := attrs[name].(type) {
		case string:
			vals[name] = tftypes.NewValue(at, v)
		case int:
			vals[name] = tftypes.NewValue(at, int64(v))
		case float64, *big.Float:
			vals[name] = tftypes.NewValue(at, v)
		default:
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

func diagText(ds []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

// attributeOf is the attribute a diagnostic points at, or "".
func attributeOf(d *tfprotov6.Diagnostic) string {
	if d.Attribute == nil || len(d.Attribute.Steps()) == 0 {
		return ""
	}
	name, _ := d.Attribute.Steps()[0].(tftypes.AttributeName)
	return string(name)
}

// expectTaskSucceeded checks that the emulator has a task with this id and that it succeeded.
func (e *testEnv) expectTaskSucceeded(id string) error {
	task, ok := e.emu.Task(id)
	if !ok {
		return fmt.Errorf("the emulator has no task %q", id)
	}
	if !task.Done || task.Status != "all nodes has been created successfully" {
		return fmt.Errorf("task %s is %q (done=%v), want success", id, task.Status, task.Done)
	}
	return nil
}

// seedDomain gives domain content in the emulator directly through Haptik's API, as if someone
// had uploaded a CSV by hand, and waits for the task.
func seedDomain(t *testing.T, env *testEnv, domain string, nodes map[string]testNode) {
	t.Helper()
	c := env.client(t)
	id, err := c.UploadFAQ(context.Background(), domain, faqcsv.RenderBytes(faqNodes(nodes)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(context.Background(), id, fastPoll); err != nil {
		t.Fatal(err)
	}
}

// shaOf is the content_sha256 the provider must report for nodes.
func shaOf(nodes map[string]testNode) string {
	return faqcsv.SHA256(faqcsv.RenderBytes(faqNodes(nodes)))
}

func expectNoRequests(env *testEnv) error {
	if reqs := env.emu.Requests(); len(reqs) != 0 {
		return fmt.Errorf("the emulator received %d request(s), want none: %+v", len(reqs), reqs)
	}
	return nil
}

func bot1(answers ...string) map[string]testNode {
	return map[string]testNode{"n": {UserSays: []string{"q"}, BotSays: answers}}
}

// uploadRequests counts the upload requests the emulator received for domain, accepted or not.
func (e *testEnv) uploadRequests(domain string) int {
	n := 0
	for _, u := range e.emu.Uploads() {
		if u.Domain == domain {
			n++
		}
	}
	return n
}

var oneNode = map[string]testNode{"n": {UserSays: []string{"hi"}, BotSays: []string{"hello"}}}

// readChats reports whether a chat history request succeeded.
func (e *testEnv) readChats() bool {
	for _, r := range e.emu.Requests() {
		if r.Path == haptik.ChatHistoryPath && r.HTTPStatus == 200 {
			return true
		}
	}
	return false
}

// finishTaskOnceResumed lets Haptik finish the running tasks once the provider has asked for
// task's status again (a resuming apply checks the task first), so that the apply finds the task
// still in progress and waits for it, however long the plan before it takes.
func (e *testEnv) finishTaskOnceResumed(task string) {
	polls := func() int {
		n := 0
		for _, r := range e.emu.Requests() {
			if strings.Contains(r.Path, task) {
				n++
			}
		}
		return n
	}
	before := polls()
	go func() {
		for deadline := time.Now().Add(time.Minute); polls() == before && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		e.emu.FinishRunningTasks()
	}()
}
