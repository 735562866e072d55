package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const faqDomainType = "haptik_faq_domain"

// NewServer returns the provider's protocol server: the framework's, except that the resource
// RPCs of haptik_faq_domain are served by fastServer.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return newFastServer(&haptikProvider{version: version}) }
}

// fastServer serves haptik_faq_domain's resource RPCs by calling the resource's own methods
// (ValidateConfig, ModifyPlan, the upload) on values decoded once. The framework's server wraps
// the request context once per value it visits in its plan and state transforms and logs through
// the growing chain, which is quadratic in the number of values: minutes for a 10,000-node plan.
// Everything else, the schema included, is the framework's.
type fastServer struct {
	tfprotov6.ProviderServer
	// actions is the framework server's action RPCs. tfprotov6.ProviderServer does not include
	// them yet, so embedding alone would hide them from tf6server, which finds them by type
	// assertion.
	actions  tfprotov6.ActionServer
	provider *haptikProvider
	schema   schema.Schema
	typ      tftypes.Type
}

var _ tfprotov6.ActionServer = (*fastServer)(nil)

func newFastServer(p *haptikProvider) (tfprotov6.ProviderServer, error) {
	fw, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		return nil, err
	}
	actions, ok := fw.(tfprotov6.ActionServer)
	if !ok {
		return nil, fmt.Errorf("the framework's server (%T) serves no actions", fw)
	}
	var resp resource.SchemaResponse
	(&faqDomainResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return &fastServer{ProviderServer: fw, actions: actions, provider: p, schema: resp.Schema,
		typ: resp.Schema.Type().TerraformType(context.Background())}, nil
}

func (s *fastServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return s.actions.ValidateActionConfig(ctx, req)
}

func (s *fastServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return s.actions.PlanAction(ctx, req)
}

func (s *fastServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return s.actions.InvokeAction(ctx, req)
}

// res is the resource with the provider's configuration, as the framework would hand it over.
func (s *fastServer) res() *faqDomainResource { return &faqDomainResource{data: s.provider.data} }

func (s *fastServer) decode(v *tfprotov6.DynamicValue) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return tftypes.NewValue(s.typ, nil), diags
	}
	val, err := v.Unmarshal(s.typ)
	if err != nil {
		diags.AddError("Unreadable Value", "The provider could not decode a value from Terraform: "+err.Error())
	}
	return val, diags
}

func (s *fastServer) encode(v tftypes.Value, diags *diag.Diagnostics) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(s.typ, v)
	if err != nil {
		diags.AddError("Unencodable Value", "The provider could not encode a value for Terraform: "+err.Error())
		return nil
	}
	return &dv
}

func (s *fastServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.ValidateResourceConfig(ctx, req)
	}
	var diags diag.Diagnostics
	encoded := s.msgpack(req.Config, &diags)
	if !diags.HasError() {
		// The schema's validators, on the configuration without its nodes (none of them is about
		// nodes), so that only a small value is decoded.
		small, err := withComputed(encoded, map[string]func([]byte) []byte{"nodes": appendNull})
		cfg, d := s.decode(&tfprotov6.DynamicValue{MsgPack: small})
		diags.Append(d...)
		if err != nil {
			diags.AddError("Unreadable Configuration", "The provider could not read the configuration: "+err.Error())
		} else if !d.HasError() {
			s.runStringValidators(ctx, tfsdk.Config{Schema: s.schema, Raw: cfg}, path.Empty(), s.schema.Attributes, &diags)
		}
		// The content rules, on the encoding itself (the framework's ValidateConfig does the same).
		addEncodedProblems(encoded, &diags)
	}
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: toProtoDiagnostics(diags)}, nil
}

func appendNull(b []byte) []byte { return append(b, 0xc0) }

// runStringValidators runs the validators the schema declares on string attributes, at the top
// level and inside single nested attributes (timeouts), as the framework would.
func (s *fastServer) runStringValidators(ctx context.Context, config tfsdk.Config, at path.Path,
	attrs map[string]schema.Attribute, diags *diag.Diagnostics,
) {
	for name, a := range attrs {
		p := at.AtName(name)
		switch a := a.(type) {
		case schema.StringAttribute:
			if len(a.Validators) == 0 {
				continue
			}
			var v types.String
			if d := config.GetAttribute(ctx, p, &v); d.HasError() || v.IsNull() || v.IsUnknown() {
				continue
			}
			for _, val := range a.Validators {
				var resp validator.StringResponse
				val.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: v, Config: config}, &resp)
				diags.Append(resp.Diagnostics...)
			}
		case schema.SingleNestedAttribute:
			// Reading inside a null or unknown object yields null or unknown, which is skipped.
			s.runStringValidators(ctx, config, p, a.Attributes, diags)
		}
	}
}

func (s *fastServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	}
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate}
	var diags diag.Diagnostics
	var prior, proposed, config []byte
	if !isNull(req.PriorState) {
		prior = s.msgpack(req.PriorState, &diags)
	}
	if !isNull(req.ProposedNewState) {
		proposed = s.msgpack(req.ProposedNewState, &diags)
		config = s.msgpack(req.Config, &diags)
	}
	if diags.HasError() {
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}
	// On the encodings, as the framework's ModifyPlan does too (see plan.go).
	planned, replace, err := planEncoded(prior, proposed, config, &diags)
	switch {
	case err != nil:
		diags.AddError("Unreadable Plan", "The provider could not read the plan: "+err.Error())
	case planned == nil:
		resp.PlannedState = s.encode(tftypes.NewValue(s.typ, nil), &diags)
	default:
		resp.PlannedState = &tfprotov6.DynamicValue{MsgPack: planned}
	}
	if replace {
		// domain_name identifies the domain: a new one replaces the resource.
		resp.RequiresReplace = []*tftypes.AttributePath{tftypes.NewAttributePath().WithAttributeName("domain_name")}
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

func (s *fastServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.ApplyResourceChange(ctx, req)
	}
	resp := &tfprotov6.ApplyResourceChangeResponse{NewState: req.PriorState, Private: req.PlannedPrivate}
	r := s.res()
	private := newPrivateData(req.PlannedPrivate)
	var diags diag.Diagnostics
	if isNull(req.PlannedState) {
		prior, d := s.decode(req.PriorState)
		diags.Append(d...)
		if !diags.HasError() {
			var resp2 resource.DeleteResponse
			r.Delete(ctx, resource.DeleteRequest{State: tfsdk.State{Schema: s.schema, Raw: prior}}, &resp2)
			diags.Append(resp2.Diagnostics...)
		}
		if !diags.HasError() {
			resp.NewState = s.encode(tftypes.NewValue(s.typ, nil), &diags)
			resp.Private = nil
		}
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}
	// Create or update, on the planned state's encoding (see apply.go): the values are not decoded.
	planned := s.msgpack(req.PlannedState, &diags)
	if !diags.HasError() {
		if state := r.applyEncoded(ctx, planned, isNull(req.PriorState), private, &diags); state != nil {
			resp.NewState = &tfprotov6.DynamicValue{MsgPack: state}
		}
		resp.Private = private.bytes()
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

// isNull reports whether v is absent or encodes null.
func isNull(v *tfprotov6.DynamicValue) bool {
	return v == nil || (len(v.MsgPack) == 1 && v.MsgPack[0] == 0xc0) || (len(v.MsgPack) == 0 && (len(v.JSON) == 0 || string(v.JSON) == "null"))
}

// msgpack returns v's MessagePack encoding, converting a JSON-encoded value (which Terraform does
// not send for plans, but the protocol allows).
func (s *fastServer) msgpack(v *tfprotov6.DynamicValue, diags *diag.Diagnostics) []byte {
	if len(v.MsgPack) > 0 {
		return v.MsgPack
	}
	val, d := s.decode(v)
	diags.Append(d...)
	if d.HasError() {
		return nil
	}
	enc, err := tfprotov6.NewDynamicValue(s.typ, val)
	if err != nil {
		diags.AddError("Unreadable Value", "The provider could not encode a value from Terraform: "+err.Error())
	}
	return enc.MsgPack
}

func (s *fastServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	// No read API: the state stays as it is.
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *fastServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.UpgradeResourceState(ctx, req)
	}
	var diags diag.Diagnostics
	resp := &tfprotov6.UpgradeResourceStateResponse{}
	val, err := req.RawState.UnmarshalWithOpts(s.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		diags.AddError("Unreadable State", "The stored state of haptik_faq_domain could not be read: "+err.Error())
	} else {
		resp.UpgradedState = s.encode(val, &diags)
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

func (s *fastServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	if req.TypeName != faqDomainType {
		return s.ProviderServer.ImportResourceState(ctx, req)
	}
	var iresp resource.ImportStateResponse
	iresp.State = tfsdk.State{Schema: s.schema, Raw: tftypes.NewValue(s.typ, nil)}
	s.res().ImportState(ctx, resource.ImportStateRequest{ID: req.ID}, &iresp)
	diags := iresp.Diagnostics
	resp := &tfprotov6.ImportResourceStateResponse{}
	if !diags.HasError() {
		resp.ImportedResources = []*tfprotov6.ImportedResource{{TypeName: faqDomainType, State: s.encode(iresp.State.Raw, &diags)}}
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

// privateData is the resource's private state: a JSON object of keys to JSON values.
type privateData struct{ keys map[string]json.RawMessage }

func newPrivateData(raw []byte) *privateData {
	p := &privateData{keys: map[string]json.RawMessage{}}
	_ = json.Unmarshal(raw, &p.keys) // unreadable private state is treated as empty
	return p
}

func (p *privateData) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p.keys[key], nil
}

func (p *privateData) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(p.keys, key)
	} else {
		p.keys[key] = value
	}
	return nil
}

func (p *privateData) bytes() []byte {
	if len(p.keys) == 0 {
		return nil
	}
	b, _ := json.Marshal(p.keys) // raw JSON values: cannot fail
	return b
}

// toProtoDiagnostics converts framework diagnostics, attribute paths included.
func toProtoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = toTFPath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

func toTFPath(p path.Path) *tftypes.AttributePath {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch st := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(st))
		case path.PathStepElementKeyString:
			tp = tp.WithElementKeyString(string(st))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(st))
		default:
			return tp
		}
	}
	return tp
}
