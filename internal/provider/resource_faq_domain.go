package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/faqupload"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// faqDomainServer serves haptik_faq_domain over the plugin protocol. Every decision about the
// resource is made in package faqdomain, on the encodings Terraform sends; this server only
// translates RPCs, diagnostics and private state, and hands uploads to package faqupload.
type faqDomainServer struct {
	// The mux routes to this server only the RPCs of the types it declares, one resource and no
	// data source, ephemeral resource or function, so those families' RPCs never reach it and
	// stay unimplemented.
	tfprotov6.DataSourceServer
	tfprotov6.EphemeralResourceServer
	tfprotov6.FunctionServer
	tfprotov6.ResourceServer

	// uploads is the configured provider, which the framework server's ConfigureProvider sets up.
	uploads uploaderSource
	// registry holds the domains this operation's plans claimed and its applies wrote.
	registry faqdomain.Registry
}

// uploaderSource is what faqDomainServer needs of the configured provider: an uploader through
// its client, and the context that masks its token in logs (nil, with an error in diags, when the
// provider cannot upload).
type uploaderSource interface {
	uploader(ctx context.Context, registry *faqdomain.Registry, diags *faqdomain.Diagnostics) (context.Context, *faqupload.Uploader)
}

// capabilities: destroys are planned too (for their warning), and config generation and moves
// are answered.
var capabilities = &tfprotov6.ServerCapabilities{PlanDestroy: true, MoveResourceState: true, GenerateResourceConfig: true}

func (s *faqDomainServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return &tfprotov6.GetMetadataResponse{ServerCapabilities: capabilities,
		Resources: []tfprotov6.ResourceMetadata{{TypeName: faqdomain.TypeName}}}, nil
}

func (s *faqDomainServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return &tfprotov6.GetProviderSchemaResponse{ServerCapabilities: capabilities,
		ResourceSchemas: map[string]*tfprotov6.Schema{faqdomain.TypeName: faqdomain.Schema()}}, nil
}

// GetResourceIdentitySchemas declares the resource's identity, its domain_name (Terraform 1.12
// and later ask for it; earlier versions never do and see no identity anywhere).
func (s *faqDomainServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{
		IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{faqdomain.TypeName: faqdomain.IdentitySchema()}}, nil
}

func (s *faqDomainServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{}, nil
}

// ValidateProviderConfig, ConfigureProvider and StopProvider are the framework server's to
// answer: it validates and configures the provider, and an interrupt cancels each RPC's context.
func (s *faqDomainServer) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{}, nil
}

// ConfigureProvider starts every Terraform operation (the mux calls the framework's first, which
// configures the provider): the plans' claims on domains and the domains written start afresh,
// so a provider process that serves several operations (a debug session) judges each on its own.
func (s *faqDomainServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	s.registry.Reset()
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (s *faqDomainServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (s *faqDomainServer) ValidateResourceConfig(_ context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	config, diags := msgpackOf(req.Config)
	if !diags.HasError() {
		diags = faqdomain.Validate(config)
	}
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: toProto(diags)}, nil
}

func (s *faqDomainServer) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate}
	var prior, proposed, config []byte
	var diags faqdomain.Diagnostics
	if !isNull(req.PriorState) {
		prior, diags = msgpackOf(req.PriorState)
	}
	if !isNull(req.ProposedNewState) && !diags.HasError() {
		proposed, diags = msgpackOf(req.ProposedNewState)
		if !diags.HasError() {
			config, diags = msgpackOf(req.Config)
		}
	}
	if diags.HasError() {
		resp.Diagnostics = toProto(diags)
		return resp, nil
	}
	private := readPrivate(req.PriorPrivate)
	plan, diags := faqdomain.PlanChange(prior, proposed, config, private.Pending())
	if !diags.HasError() {
		resp.PlannedState = dynamicValue(plan.State)
		// None for a destroy, or while the domain is known only at apply (the apply reports it).
		resp.PlannedIdentity = identityData(faqdomain.Identity(plan.State))
	}
	if plan.Creates != nil {
		// For the destroy half of a replacement, which Terraform hands this plan's private state.
		resp.PlannedPrivate = private.WithCreates(plan.Creates).Bytes()
	}
	switch {
	case plan.State != nil && !plan.RequiresReplace:
		if domain, ok := domainOf(plan.State); ok {
			if d := s.registry.Claim(domain, config, prior); d != nil {
				diags = append(diags, *d)
			}
		} else if !diags.HasError() {
			diags = append(diags, s.registry.ClaimUnknown(config))
		}
	case plan.Deactivates != "" && !diags.HasError():
		// Only a destroy that deactivates can empty the domain under another resource.
		if d := s.registry.ClaimDestroy(plan.Deactivates, prior); d != nil {
			diags = append(diags, *d)
		}
	}
	if plan.RequiresReplace {
		resp.RequiresReplace = []*tftypes.AttributePath{tftypes.NewAttributePath().WithAttributeName(faqdomain.AttrDomainName)}
	}
	resp.Diagnostics = toProto(diags)
	return resp, nil
}

func (s *faqDomainServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp := &tfprotov6.ApplyResourceChangeResponse{NewState: req.PriorState, Private: req.PlannedPrivate}
	var prior, planned []byte
	var diags faqdomain.Diagnostics
	if !isNull(req.PriorState) {
		prior, diags = msgpackOf(req.PriorState)
	}
	var config []byte
	if !isNull(req.PlannedState) && !diags.HasError() {
		if planned, diags = msgpackOf(req.PlannedState); !diags.HasError() {
			config, diags = msgpackOf(req.Config)
		}
	}
	if !diags.HasError() {
		private := readPrivate(req.PlannedPrivate)
		var state []byte
		var action faqdomain.StateAction
		if planned == nil {
			state, action, private = s.destroy(ctx, prior, private, &diags)
		} else {
			state, action, private = s.apply(ctx, prior, planned, config, private, &diags)
		}
		switch {
		case action == faqdomain.Remove:
			resp.NewState, resp.Private = dynamicValue(nil), nil
		case state != nil: // written, or marked unconfirmed (a failed create's is saved tainted)
			resp.NewState, resp.Private = dynamicValue(state), private.Bytes()
		default: // the prior state as it was
			resp.Private = private.Bytes()
		}
	}
	// The identity of whatever state the response keeps: none once the resource is gone.
	if !isNull(resp.NewState) {
		if state, d := msgpackOf(resp.NewState); !d.HasError() {
			resp.NewIdentity = identityData(faqdomain.Identity(state))
		}
	}
	resp.Diagnostics = toProto(diags)
	return resp, nil
}

// apply creates (prior nil) or updates the domain: it uploads the planned content unless the plan
// found it unchanged, and returns what the response state becomes (state is its encoding) with
// the private state to keep.
func (s *faqDomainServer) apply(ctx context.Context, prior, planned, config []byte, private faqdomain.Private,
	diags *faqdomain.Diagnostics,
) ([]byte, faqdomain.StateAction, faqdomain.Private) {
	op := faqdomain.OpUpdate
	if prior == nil {
		op = faqdomain.OpCreate
	}
	// The plan's record of what a create uploads was for a replacement's destroy: never kept.
	private = private.WithCreates(nil)
	change, d := faqdomain.ReadChange(planned, op == faqdomain.OpCreate)
	if *diags = append(*diags, d...); diags.HasError() {
		return nil, faqdomain.KeepPrior, private
	}
	if !change.Upload {
		return planned, faqdomain.WriteNew, private
	}
	ctx, uploader := s.uploads.uploader(ctx, &s.registry, diags)
	if uploader == nil {
		return nil, faqdomain.KeepPrior, private
	}
	csv := faqcsv.RenderBytes(change.Nodes)
	u := faqdomain.Uploaded{ContentSHA256: faqcsv.SHA256(csv), NodeCount: len(change.Nodes)}
	change.Nodes = nil // the CSV holds the content now
	res := uploader.Upload(ctx, faqupload.Request{Op: op, Domain: change.Domain, CSV: csv, SHA: u.ContentSHA256,
		Timeout: change.Timeout, Pending: private.Pending(), Config: config})
	*diags = append(*diags, res.Diagnostics...)
	private = private.WithPending(res.Pending)
	u.TaskID = res.TaskID
	action := faqdomain.StateAfter(op, res.Outcome)
	return s.stateFor(action, prior, planned, change.Domain, u, diags), action, private
}

// destroy deactivates every node of the prior state's domain, unless deletion_policy retains
// them, this provider never uploaded to the domain, or another resource of this apply gave the
// domain new content; it returns what the response state becomes, as apply does.
func (s *faqDomainServer) destroy(ctx context.Context, prior []byte, private faqdomain.Private,
	diags *faqdomain.Diagnostics,
) ([]byte, faqdomain.StateAction, faqdomain.Private) {
	destroy, d := faqdomain.ReadDestroy(prior)
	if *diags = append(*diags, d...); diags.HasError() {
		return nil, faqdomain.KeepPrior, private
	}
	if !destroy.Deactivate {
		return nil, faqdomain.Remove, private
	}
	if d := faqdomain.ReplacedBy(destroy, private.Creates()); d != nil {
		*diags = append(*diags, *d)
		return nil, faqdomain.Remove, private
	}
	ctx, uploader := s.uploads.uploader(ctx, &s.registry, diags)
	if uploader == nil {
		return nil, faqdomain.KeepPrior, private
	}
	// A header-only CSV deactivates every node of the domain.
	empty := faqcsv.RenderBytes(nil)
	res := uploader.Upload(ctx, faqupload.Request{Op: faqdomain.OpDelete, Domain: destroy.Domain, CSV: empty,
		SHA: faqcsv.SHA256(empty), Timeout: destroy.Timeout, Pending: private.Pending()})
	*diags = append(*diags, res.Diagnostics...)
	action := faqdomain.StateAfter(faqdomain.OpDelete, res.Outcome)
	return s.stateFor(action, prior, nil, destroy.Domain, faqdomain.Uploaded{TaskID: res.TaskID}, diags), action,
		private.WithPending(res.Pending)
}

// stateFor encodes the state action decides on: the new state after Haptik confirmed u, the new
// state of a create Haptik may have acted on (unconfirmed), or the prior state marked
// unconfirmed with u's task. Nil otherwise, or when the state cannot be
// written (with the reason in diags).
func (s *faqDomainServer) stateFor(action faqdomain.StateAction, prior, planned []byte, domain string,
	u faqdomain.Uploaded, diags *faqdomain.Diagnostics,
) []byte {
	switch action {
	case faqdomain.WriteNew:
		state, err := faqdomain.NewState(planned, domain, u)
		if err != nil {
			diags.AddError(nil, "Unwritable State", fmt.Sprintf("Haptik confirmed task %s, but the provider could not "+
				"write the new state: %v. Please report this; applying again uploads the same content safely.", u.TaskID, err))
		}
		return state
	case faqdomain.WriteUnconfirmed:
		state, err := faqdomain.UnconfirmedNewState(planned, domain, u)
		if err != nil {
			diags.AddError(nil, "Unwritable State", fmt.Sprintf("Haptik may hold the upload of this create, but the "+
				"provider could not write its unconfirmed state: %v. Please report this; applying again uploads the "+
				"same content safely.", err))
		}
		return state
	case faqdomain.MarkUnconfirmed:
		state, err := faqdomain.UnconfirmedState(prior, u.TaskID)
		if err != nil {
			*diags = append(*diags, faqdomain.Unreadable("State", err))
		}
		return state
	default:
		return nil
	}
}

// ReadResource keeps the state as it is: Haptik has no API to read FAQ nodes back. The identity
// is the state's domain_name, so a state written before the provider declared an identity gains
// one at its first refresh; Terraform's own identity is passed on if the state cannot be read.
func (s *faqDomainServer) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp := &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, NewIdentity: req.CurrentIdentity}
	if !isNull(req.CurrentState) {
		if state, d := msgpackOf(req.CurrentState); !d.HasError() {
			if id := identityData(faqdomain.Identity(state)); id != nil {
				resp.NewIdentity = id
			}
		}
	}
	return resp, nil
}

func (s *faqDomainServer) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	resp := &tfprotov6.UpgradeResourceStateResponse{}
	var state []byte
	err := fmt.Errorf("terraform sent no JSON state (flatmap states come from SDKv2 providers, not this one)")
	if req.RawState != nil && len(req.RawState.JSON) > 0 {
		state, err = faqdomain.UpgradeState(req.RawState.JSON)
	}
	if err != nil {
		resp.Diagnostics = toProto(faqdomain.Diagnostics{faqdomain.Unreadable("State", err)})
		return resp, nil
	}
	resp.UpgradedState = &tfprotov6.DynamicValue{JSON: state}
	return resp, nil
}

// ImportResourceState imports a domain by its import ID or (an import block's identity) by its
// identity, and returns the imported state with its identity.
func (s *faqDomainServer) ImportResourceState(_ context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	var identity *tfprotov6.DynamicValue
	if req.Identity != nil {
		identity = req.Identity.IdentityData
	}
	domain, diags := faqdomain.ImportDomain(req.ID, identity)
	var state []byte
	if !diags.HasError() {
		state, diags = faqdomain.ImportState(domain)
	}
	resp := &tfprotov6.ImportResourceStateResponse{Diagnostics: toProto(diags)}
	if !diags.HasError() {
		resp.ImportedResources = []*tfprotov6.ImportedResource{{TypeName: faqdomain.TypeName, State: dynamicValue(state),
			Identity: identityData(faqdomain.Identity(state))}}
	}
	return resp, nil
}

// UpgradeResourceIdentity reads an identity stored by an earlier identity schema version.
func (s *faqDomainServer) UpgradeResourceIdentity(_ context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	identity, diags := faqdomain.UpgradeIdentity(req.Version, req.RawIdentity)
	return &tfprotov6.UpgradeResourceIdentityResponse{UpgradedIdentity: identityData(identity), Diagnostics: toProto(diags)}, nil
}

// MoveResourceState answers a moved block whose source is another resource type: nothing else
// holds a domain's content, so the move is refused with the way to adopt the domain instead.
func (s *faqDomainServer) MoveResourceState(_ context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: toProto(faqdomain.Diagnostics{{
		Summary: "Cannot Move to haptik_faq_domain",
		Detail: fmt.Sprintf("A moved block names %s as the source of a haptik_faq_domain, but only a "+
			"haptik_faq_domain can become one. Remove the moved block, and adopt the domain with an import block "+
			"(import { to = ..., id = \"<domain name>\" }) instead.", req.SourceTypeName),
	}})}, nil
}

func (s *faqDomainServer) GenerateResourceConfig(_ context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	resp := &tfprotov6.GenerateResourceConfigResponse{}
	state, diags := msgpackOf(req.State)
	if !diags.HasError() {
		config, err := faqdomain.GenerateConfig(state)
		if err != nil {
			diags = faqdomain.Diagnostics{faqdomain.Unreadable("State", err)}
		}
		resp.Config = dynamicValue(config)
	}
	resp.Diagnostics = toProto(diags)
	return resp, nil
}

// readPrivate is the resource's private state with the remembered upload's task id and status
// quoted (haptik.Quote), as this version writes them: a record an older version wrote may hold a
// status text of any size, or a task id with terminal escape codes, for the plan's warning to show.
func readPrivate(raw []byte) faqdomain.Private {
	private := faqdomain.ReadPrivate(raw)
	p := private.Pending()
	if p == nil {
		return private
	}
	quoted := *p
	quoted.TaskID, quoted.Status = haptik.Quote(p.TaskID), haptik.Quote(p.Status)
	if quoted == *p {
		return private
	}
	return private.WithPending(&quoted)
}

// domainOf is the domain_name of a planned state, when known.
func domainOf(state []byte) (string, bool) {
	o, err := tfmsgpack.ReadObject(state)
	if err != nil {
		return "", false
	}
	return o.Str(faqdomain.AttrDomainName)
}

// isNull reports whether v is absent or encodes null.
func isNull(v *tfprotov6.DynamicValue) bool {
	return v == nil || (len(v.MsgPack) == 1 && v.MsgPack[0] == 0xc0) || (len(v.MsgPack) == 0 && (len(v.JSON) == 0 || string(v.JSON) == "null"))
}

// msgpackOf returns v's MessagePack encoding, converting a JSON-encoded value (which Terraform
// does not send for these RPCs, but the protocol allows).
func msgpackOf(v *tfprotov6.DynamicValue) ([]byte, faqdomain.Diagnostics) {
	if len(v.MsgPack) > 0 {
		return v.MsgPack, nil
	}
	val, err := v.Unmarshal(faqdomain.Type)
	if err == nil {
		var enc tfprotov6.DynamicValue
		if enc, err = tfprotov6.NewDynamicValue(faqdomain.Type, val); err == nil {
			return enc.MsgPack, nil
		}
	}
	return nil, faqdomain.Diagnostics{faqdomain.Unreadable("Value", err)}
}

// dynamicValue wraps an encoding; nil is null.
func dynamicValue(msgpack []byte) *tfprotov6.DynamicValue {
	if msgpack == nil {
		msgpack = []byte{0xc0}
	}
	return &tfprotov6.DynamicValue{MsgPack: msgpack}
}

// identityData wraps an identity's encoding; nil is no identity.
func identityData(msgpack []byte) *tfprotov6.ResourceIdentityData {
	if msgpack == nil {
		return nil
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: msgpack}}
}

// toProto converts the resource's diagnostics, attribute paths included.
func toProto(diags faqdomain.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary, Detail: d.Detail}
		if d.Warning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if d.Path != nil {
			pd.Attribute = tftypes.NewAttributePath()
			for _, st := range d.Path {
				switch {
				case st.Name != "":
					pd.Attribute = pd.Attribute.WithAttributeName(st.Name)
				case st.IsKey:
					pd.Attribute = pd.Attribute.WithElementKeyString(st.Key)
				default:
					pd.Attribute = pd.Attribute.WithElementKeyInt(st.Index)
				}
			}
		}
		out = append(out, pd)
	}
	return out
}
