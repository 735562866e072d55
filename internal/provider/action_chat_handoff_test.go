package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
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
