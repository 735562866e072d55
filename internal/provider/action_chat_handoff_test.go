package provider

import (
	"context"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

const handoffType = "haptik_chat_handoff"

// seedChats gives the emulated account business 7 (active) and 8 (inactive), teams Support
// (active) and Old (inactive), user ana of business 7 with conversation 3 (three messages), user
// bo of business 7 who never wrote, and user cy of business 8.
func (e *testEnv) seedChats() {
	e.emu.AddBusiness(7, true)
	e.emu.AddBusiness(8, false)
	e.emu.AddTeam("Support", true)
	e.emu.AddTeam("Old", false)
	at := time.Date(2020, 6, 22, 7, 24, 25, 0, time.UTC)
	e.emu.AddChat(7, "ana", 3,
		emulator.ChatMessage{Text: "hi", Sender: "user", MessageID: 101, At: at},
		emulator.ChatMessage{Text: "hello, how can I help?", Sender: "bot", MessageID: 102, At: at.Add(time.Second)},
		emulator.ChatMessage{Text: "Asha here", Sender: "agent(Asha)", MessageID: 103, At: at.Add(13 * time.Hour)},
	)
	e.emu.AddChat(7, "bo", 1, emulator.ChatMessage{Text: "welcome", Sender: "bot", MessageID: 104, At: at})
	e.emu.AddChat(8, "cy", 1, emulator.ChatMessage{Text: "hey", Sender: "user", MessageID: 105, At: at})
}

func (p *protocolServer) handoffConfig(attrs map[string]any) *tfprotov6.DynamicValue {
	return p.value(p.schema.ActionSchemas[handoffType].Schema.ValueType(), attrs)
}

// invoke runs InvokeAction and returns its progress messages and final diagnostics.
func (p *protocolServer) invoke(attrs map[string]any) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	stream, err := p.srv.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: handoffType, Config: p.handoffConfig(attrs)})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = e.Diagnostics
		}
	}
	if completed != 1 {
		p.t.Fatalf("%d completed events, want 1", completed)
	}
	return progress, diags
}

func TestChatHandoffAction_invoke(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)
	if _, ok := p.schema.ActionSchemas[handoffType]; !ok {
		t.Fatalf("no %s in the provider schema", handoffType)
	}
	progress, diags := p.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": 6})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	want := []string{`Moving the chat of user "ana" (business 7) to team "Support"`,
		`Haptik accepted: the chat moves to team "Support" in 6 seconds`}
	if strings.Join(progress, "\n") != strings.Join(want, "\n") {
		t.Errorf("progress = %q, want %q", progress, want)
	}
	// Without countdown the request carries none, and Haptik applies its default of 10.
	if _, diags := p.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7}); len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diagText(diags))
	}
	hs := e.emu.Handoffs()
	if len(hs) != 2 || hs[0] != (emulator.Handoff{TeamName: "Support", UserName: "ana", BusinessID: 7, Countdown: 6, ReceivedAt: hs[0].ReceivedAt}) ||
		hs[1].Countdown != 10 {
		t.Fatalf("emulator recorded %+v; want ana/7/Support with countdown 6, then 10", hs)
	}
	for _, r := range e.emu.Requests() {
		if !strings.Contains(r.UserAgent, "terraform-provider-haptik/test") {
			t.Errorf("request %s %s has User-Agent %q", r.Method, r.Path, r.UserAgent)
		}
	}
}

func TestChatHandoffAction_countdownCheckedBeforeSending(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)
	for _, cd := range []int{4, 11, 0, -1} {
		resp, err := p.srv.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
			ActionType: handoffType,
			Config:     p.handoffConfig(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": cd}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || attributeOf(resp.Diagnostics[0]) != "countdown" ||
			!strings.Contains(resp.Diagnostics[0].Detail, "must be a whole number from 5 to 10") {
			t.Errorf("countdown %d: diagnostics %s; want one error on countdown saying 5 to 10", cd, diagText(resp.Diagnostics))
		}
	}
	for _, tc := range []struct {
		attrs map[string]any
		attr  string
	}{
		{map[string]any{"team_name": "", "user_name": "ana", "business_id": 7}, "team_name"},
		{map[string]any{"team_name": "Support", "user_name": "", "business_id": 7}, "user_name"},
		{map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 0}, "business_id"},
	} {
		resp, err := p.srv.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
			ActionType: handoffType, Config: p.handoffConfig(tc.attrs)})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || attributeOf(resp.Diagnostics[0]) != tc.attr {
			t.Errorf("%v: diagnostics %s; want one error on %s", tc.attrs, diagText(resp.Diagnostics), tc.attr)
		}
	}
	for _, cd := range []int{5, 10} {
		resp, _ := p.srv.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
			ActionType: handoffType,
			Config:     p.handoffConfig(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": cd}),
		})
		if len(resp.Diagnostics) != 0 {
			t.Errorf("countdown %d refused: %s", cd, diagText(resp.Diagnostics))
		}
	}
	if n := len(e.emu.Requests()); n != 0 {
		t.Fatalf("%d requests reached Haptik during validation; want none", n)
	}
	// Even when Terraform skips validation, the client refuses before sending.
	_, diags := p.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": 3})
	if len(diags) != 1 || attributeOf(diags[0]) != "countdown" || len(e.emu.Requests()) != 0 {
		t.Fatalf("invoke with countdown 3: %s, %d requests; want an error on countdown and none", diagText(diags), len(e.emu.Requests()))
	}
}

// TestChatHandoffAction_refusals invokes the action for each documented refusal Haptik can
// answer once the configuration is valid.
func TestChatHandoffAction_refusals(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)
	for _, tc := range []struct {
		user, team string
		business   int
		attr, msg  string
	}{
		{"zed", "Support", 7, "user_name", `"invalid user_name"`},
		{"ana", "Support", 99, "business_id", `"invalid business_id provided"`},
		{"cy", "Support", 8, "business_id", `"business \"8\" is inactive"`},
		{"ana", "Sales", 7, "team_name", `"invalid team_name provided"`},
		{"ana", "Old", 7, "team_name", `"team \"Old\" is inactive"`},
		{"bo", "Support", 7, "user_name", `"user has not sent a message"`},
	} {
		_, diags := p.invoke(map[string]any{"team_name": tc.team, "user_name": tc.user, "business_id": tc.business})
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || attributeOf(diags[0]) != tc.attr ||
			!strings.Contains(diags[0].Detail, tc.msg) {
			t.Errorf("%s/%d/%s: %s; want one error on %s quoting %s", tc.user, tc.business, tc.team, diagText(diags), tc.attr, tc.msg)
		}
	}
	if n := len(e.emu.Handoffs()); n != 0 {
		t.Fatalf("%d handoffs accepted; want none", n)
	}
}

func TestChatHandoffAction_credentialsAndFailures(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)

	// A 500 may come after Haptik moved the chat: no retry, and a warning says so.
	e.emu.FailChats(emulator.UploadFault{Status: 500, Message: "internal error"})
	_, diags := p.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7})
	text := diagText(diags)
	if len(diags) != 2 || !strings.Contains(text, `"internal error"`) || !strings.Contains(text, "The Chat May Have Moved") ||
		len(e.emu.Requests()) != 1 {
		t.Fatalf("after a 500: %s (%d requests); want an error, a may-have-moved warning and 1 request", text, len(e.emu.Requests()))
	}

	// Wrong credentials: Haptik's words, the credential settings named, the token nowhere.
	bad := newTestEnv(t)
	bad.seedChats()
	pb := newProtocolServer(t, bad, false)
	cfg := pb.value(pb.schema.Provider.ValueType(), map[string]any{"base_url": bad.url, "client_id": testClientID, "token": "not-the-token-77"})
	if resp, _ := pb.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: cfg}); len(resp.Diagnostics) > 0 {
		t.Fatal(diagText(resp.Diagnostics))
	}
	_, diags = pb.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7})
	text = diagText(diags)
	if len(diags) != 1 || diags[0].Summary != "Haptik Refused the Credentials" || !strings.Contains(text, `"invalid token provided"`) ||
		strings.Contains(text, "not-the-token-77") || len(bad.emu.Requests()) != 1 {
		t.Fatalf("wrong token: %s; want one credentials error without the token, after 1 request", text)
	}

	// An unconfigured provider (settings unknown) says so instead of failing obscurely.
	pu := newProtocolServer(t, e, false)
	if _, diags = pu.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7}); len(diags) != 1 ||
		diags[0].Summary != "Provider Not Configured" {
		t.Fatalf("unconfigured: %s", diagText(diags))
	}
}

// TestChatHandoffAction_numbersOutOfRange: a fraction or a number beyond int64 in business_id or
// countdown gets a validation error naming the attribute and its range, and, should Terraform
// invoke without validating, the same error with nothing sent (never a truncated number).
func TestChatHandoffAction_numbersOutOfRange(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)
	huge, _, _ := big.ParseFloat("1e30", 10, 512, big.ToNearestEven)
	for _, tc := range []struct {
		attrs map[string]any
		want  string
	}{
		{map[string]any{"team_name": "Support", "user_name": "ana", "business_id": huge},
			"Attribute business_id value must be a whole number from 1 to 9223372036854775807, got: 1e+30."},
		{map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7.5},
			"Attribute business_id value must be a whole number from 1 to 9223372036854775807, got: 7.5."},
		{map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": huge},
			"Attribute countdown value must be a whole number from 5 to 10, got: 1e+30."},
		{map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7, "countdown": 5.5},
			"Attribute countdown value must be a whole number from 5 to 10, got: 5.5."},
	} {
		resp, err := p.srv.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
			ActionType: handoffType, Config: p.handoffConfig(tc.attrs)})
		if err != nil {
			t.Fatal(err)
		}
		_, diags := p.invoke(tc.attrs)
		for what, ds := range map[string][]*tfprotov6.Diagnostic{"validate": resp.Diagnostics, "invoke": diags} {
			if len(ds) != 1 || ds[0].Summary != "Invalid Attribute Value" || ds[0].Detail != tc.want {
				t.Errorf("%s %v: %s; want one error %q", what, tc.attrs, diagText(ds), tc.want)
			}
		}
	}
	if err := expectNoRequests(e); err != nil {
		t.Fatal(err)
	}
}

// grpcPlugin is a connection to the provider served over gRPC by tf6server, as Terraform
// reaches it: the layer that turns StopProvider into canceled contexts and streams the action's
// events. Messages are built from the tfplugin6 types that tf6server registers.
type grpcPlugin struct {
	t    *testing.T
	conn *grpc.ClientConn
}

func newGRPCPlugin(t *testing.T, e *testEnv) *grpcPlugin {
	t.Helper()
	rc := serveProvider(t, e)
	target := "passthrough:///" + rc.Addr.String()
	if rc.Addr.Network() == "unix" {
		target = "unix://" + rc.Addr.String()
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &grpcPlugin{t: t, conn: conn}
}

// msg is a new tfplugin6 message with the given fields (strings, bytes or messages).
func (g *grpcPlugin) msg(name string, fields map[string]any) protoreflect.Message {
	g.t.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName("tfplugin6." + name))
	if err != nil {
		g.t.Fatal(err)
	}
	m := mt.New()
	for k, v := range fields {
		m.Set(m.Descriptor().Fields().ByName(protoreflect.Name(k)), protoreflect.ValueOf(v))
	}
	return m
}

func (g *grpcPlugin) dynamic(dv *tfprotov6.DynamicValue) protoreflect.Message {
	return g.msg("DynamicValue", map[string]any{"msgpack": dv.MsgPack})
}

func (g *grpcPlugin) call(rpc string, req protoreflect.Message) protoreflect.Message {
	g.t.Helper()
	resp := g.msg(rpc+".Response", nil)
	if err := g.conn.Invoke(context.Background(), "/tfplugin6.Provider/"+rpc, req.Interface(), resp.Interface()); err != nil {
		g.t.Fatalf("%s: %v", rpc, err)
	}
	return resp
}

// field reads a field of m by name.
func field(m protoreflect.Message, name string) protoreflect.Value {
	return m.Get(m.Descriptor().Fields().ByName(protoreflect.Name(name)))
}

// grpcEvents is what an InvokeAction stream delivered: progress messages, and the diagnostics of
// each completed event ("summary: detail").
type grpcEvents struct {
	progress  []string
	completed [][]string
}

// invokeAction starts InvokeAction and returns a channel that yields its events once the stream ends.
func (g *grpcPlugin) invokeAction(config *tfprotov6.DynamicValue) <-chan grpcEvents {
	g.t.Helper()
	stream, err := g.conn.NewStream(context.Background(), &grpc.StreamDesc{ServerStreams: true}, "/tfplugin6.Provider/InvokeAction")
	if err != nil {
		g.t.Fatal(err)
	}
	req := g.msg("InvokeAction.Request", map[string]any{"action_type": handoffType, "config": g.dynamic(config)})
	if err := stream.SendMsg(req.Interface()); err != nil {
		g.t.Fatal(err)
	}
	if err := stream.CloseSend(); err != nil {
		g.t.Fatal(err)
	}
	out := make(chan grpcEvents, 1)
	go func() {
		var evs grpcEvents
		for {
			ev := g.msg("InvokeAction.Event", nil)
			if err := stream.RecvMsg(ev.Interface()); err != nil {
				if !errors.Is(err, io.EOF) {
					evs.completed = append(evs.completed, []string{"stream error: " + err.Error()})
				}
				out <- evs
				return
			}
			if ev.Has(ev.Descriptor().Fields().ByName("progress")) {
				evs.progress = append(evs.progress, field(field(ev, "progress").Message(), "message").String())
				continue
			}
			var diags []string
			list := field(field(ev, "completed").Message(), "diagnostics").List()
			for i := range list.Len() {
				d := list.Get(i).Message()
				diags = append(diags, field(d, "summary").String()+": "+field(d, "detail").String())
			}
			evs.completed = append(evs.completed, diags)
		}
	}()
	return out
}

// TestChatHandoffAction_interruptedIsAnError stops the provider (what Terraform does on Ctrl-C)
// while Haptik has the handoff request and has not answered: the action must end with an error
// that says the chat may or may not have moved. Terraform reads a stream that ends without a
// completed event as success ("Apply complete!"), and tf6server drops every event once
// StopProvider has canceled its contexts, so the error must be delivered before StopProvider
// returns.
func TestChatHandoffAction_interruptedIsAnError(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	arrived := make(chan struct{}, 1)
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == haptik.HandoffPath {
			_, _ = io.Copy(io.Discard, r.Body) // so the server notices when the client hangs up
			arrived <- struct{}{}
			<-r.Context().Done() // Haptik holds the request until the client gives up
			return
		}
		e.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(hanging.Close)
	// The client takes a moment to return once its request is canceled, as one closing a TLS
	// connection may: the error must not depend on the action winning a race with tf6server.
	e.tune = func(c *haptik.Config) {
		c.HTTPClient = &http.Client{Transport: slowToStop{http.DefaultTransport}}
	}

	g := newGRPCPlugin(t, e)
	p := newProtocolServer(t, e, false) // for the schema, to encode values
	configured := g.call("ConfigureProvider", g.msg("ConfigureProvider.Request", map[string]any{"terraform_version": "1.14.9",
		"config": g.dynamic(p.value(p.schema.Provider.ValueType(),
			map[string]any{"base_url": hanging.URL, "client_id": testClientID, "token": testToken}))}))
	if n := field(configured, "diagnostics").List().Len(); n != 0 {
		t.Fatalf("ConfigureProvider: %d diagnostics", n)
	}

	events := g.invokeAction(p.handoffConfig(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7}))
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the handoff request never reached Haptik")
	}
	g.call("StopProvider", g.msg("StopProvider.Request", nil))
	var evs grpcEvents
	select {
	case evs = <-events:
	case <-time.After(10 * time.Second):
		t.Fatal("the action did not end after StopProvider")
	}
	want := []string{`Handoff Interrupted: The Chat May Have Moved: Terraform was interrupted while the request to move ` +
		`the chat of user "ana" to team "Support" was with Haptik, before Haptik answered, so the chat may or may not have ` +
		`moved. Check the chat in Haptik before invoking the action again.`}
	if len(evs.completed) != 1 || strings.Join(evs.completed[0], "\n") != want[0] {
		t.Fatalf("events after StopProvider: progress %q, completed %q; want one completed event with %q",
			evs.progress, evs.completed, want)
	}
	if n := len(e.emu.Handoffs()); n != 0 {
		t.Fatalf("%d handoffs reached the emulator; want none", n)
	}
}

// slowToStop is a transport that returns 200 ms late from a request whose context has ended.
type slowToStop struct{ http.RoundTripper }

func (s slowToStop) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.RoundTripper.RoundTrip(r)
	if r.Context().Err() != nil {
		time.Sleep(200 * time.Millisecond)
	}
	return resp, err
}

// TestChatHandoffAction_interruptedBeforeSending: an invocation whose context has already ended
// sends nothing and says so.
func TestChatHandoffAction_interruptedBeforeSending(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	p := newProtocolServer(t, e, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stream, err := p.srv.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: handoffType,
		Config: p.handoffConfig(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7})})
	if err != nil {
		t.Fatal(err)
	}
	var diags []*tfprotov6.Diagnostic
	for ev := range stream.Events {
		if c, ok := ev.Type.(tfprotov6.CompletedInvokeActionEventType); ok {
			diags = c.Diagnostics
		}
	}
	want := `Handoff Interrupted: Terraform was interrupted before the request to move the chat of user "ana" to ` +
		`team "Support" was sent, so Haptik was not asked and the chat did not move. Invoke the action again to move it.` + "\n"
	if got := diagText(diags); got != want || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Fatalf("diagnostics %q; want one error %q", got, want)
	}
	if err := expectNoRequests(e); err != nil {
		t.Fatal(err)
	}
}

// With the provider's settings missing, configuring succeeds (plans need no credentials), and
// invoking the handoff fails naming the settings, with nothing sent.
func TestChatHandoffAction_missingSettings(t *testing.T) {
	e := newTestEnv(t)
	e.seedChats()
	t.Setenv(EnvBaseURL, "")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvToken, "")
	p := newProtocolServer(t, e, false)
	resp, err := p.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: p.value(p.schema.Provider.ValueType(), nil), TerraformVersion: "1.14.0"})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider without settings: %v %s", err, diagText(resp.Diagnostics))
	}
	_, diags := p.invoke(map[string]any{"team_name": "Support", "user_name": "ana", "business_id": 7})
	if len(diags) != 1 || diags[0].Summary != "Missing Haptik Settings" || !strings.Contains(diags[0].Detail, "cannot move the chat without them") {
		t.Fatalf("invoke without settings: %s", diagText(diags))
	}
	if err := expectNoRequests(e); err != nil {
		t.Fatal(err)
	}
}
