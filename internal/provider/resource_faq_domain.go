package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

const (
	policyDeactivate = "deactivate"
	policyRetain     = "retain"
	defaultTimeout   = 20 * time.Minute
)

var (
	_ resource.ResourceWithConfigure      = (*faqDomainResource)(nil)
	_ resource.ResourceWithImportState    = (*faqDomainResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*faqDomainResource)(nil)
	_ resource.ResourceWithValidateConfig = (*faqDomainResource)(nil)
)

type faqDomainResource struct {
	data *providerData
}

func newFAQDomainResource() resource.Resource { return &faqDomainResource{} }

type faqDomainModel struct {
	ID             types.String   `tfsdk:"id"`
	DomainName     types.String   `tfsdk:"domain_name"`
	Nodes          types.Map      `tfsdk:"nodes"`
	DeletionPolicy types.String   `tfsdk:"deletion_policy"`
	NodeCount      types.Int64    `tfsdk:"node_count"`
	ContentSHA256  types.String   `tfsdk:"content_sha256"`
	LastTaskID     types.String   `tfsdk:"last_task_id"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (r *faqDomainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_faq_domain"
}

func (r *faqDomainResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The complete FAQ content of one Haptik domain (bot). Every apply uploads all " +
			"nodes as one CSV through Haptik's bulk upload, which is an upsert over the whole domain: nodes named " +
			"in the upload are created or updated, and every other node of the domain is deactivated. " +
			"Haptik has no API to read FAQ nodes back, so the provider cannot detect changes made outside " +
			"Terraform: `terraform plan` compares your configuration with what the last successful apply uploaded.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The domain name; also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"domain_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The Haptik domain (bot) whose FAQ nodes this resource manages, as sent in the " +
					"upload's `domain_name` field. Changing it replaces the resource: the old domain is handled " +
					"by `deletion_policy` and the new one receives the nodes.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			// A map of objects rather than a MapNestedAttribute: the framework walks nested
			// attributes element by element in a way that is quadratic in the number of nodes
			// (11 s for a 10,000-node plan), while a map attribute is handled as one value.
			"nodes": schema.MapAttribute{
				Required:    true,
				ElementType: types.ObjectType{AttrTypes: nodeAttrTypes},
				MarkdownDescription: "Every FAQ node of the domain, keyed by node name (Haptik's `node_name`, " +
					"which cannot be renamed: a new key is a new node). A node left out of the map is " +
					"deactivated by the next apply. Each node is an object with two lists of strings:\n" +
					"  - `user_says`: what users say to reach the node (Haptik's \"user says\"), at least one. None " +
					"may be blank, contain `|` (the CSV separator) or a line break.\n" +
					"  - `bot_says`: the bot's answers, sent in order (Haptik's \"bot says\"), at least one. Each is " +
					"plain text or an HSL JSON object (use `jsonencode` or `provider::haptik::hsl_text`). None may " +
					"be blank or contain `<m>` (the CSV separator).\n\n" +
					"Values built with `jsondecode(file(...))` or `yamldecode(...)` work as well as literal maps.",
			},
			"deletion_policy": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(policyDeactivate),
				MarkdownDescription: "What destroying the resource does in Haptik: `deactivate` (the default) uploads " +
					"a header-only CSV so every node of the domain becomes inactive; `retain` leaves the nodes " +
					"as they are and only removes the domain from Terraform state.",
				Validators: []validator.String{stringvalidator.OneOf(policyDeactivate, policyRetain)},
			},
			"node_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many nodes the upload contains (known at plan time).",
			},
			"content_sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "SHA-256 (hex) of the exact CSV uploaded. Known at plan time, so a plan shows " +
					"whether the content changes.",
			},
			"last_task_id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "ID of the Haptik task that processed the last upload. It changes only when " +
					"the content does.",
			},
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

// timeoutsAttribute is the timeouts attribute with descriptions that say what each timeout covers.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	const what = " The timeout covers the upload, Haptik's processing and the polling; it is a duration such as " +
		"`30s` or `1h30m`. Default: 20 minutes."
	a := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true,
		CreateDescription: "How long creating may take." + what,
		UpdateDescription: "How long an update may take." + what,
		DeleteDescription: "How long deactivating the domain's nodes on destroy may take." + what,
	}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long Terraform waits for Haptik to confirm each operation."
	return a
}

func (r *faqDomainResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	r.data = data
}

// ValidateConfig applies the content rules at plan time, to every value already known.
func (r *faqDomainResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	dv, err := tfprotov6.NewDynamicValue(req.Config.Schema.Type().TerraformType(ctx), req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable Configuration", "The provider could not encode the configuration: "+err.Error())
		return
	}
	addEncodedProblems(dv.MsgPack, &resp.Diagnostics)
}

// ModifyPlan computes at plan time what the upload will be: its hash, its node count, and whether
// a new task (and so a new last_task_id) is coming. (Terraform's RPCs reach planEncoded through
// fastServer directly; this is the same plan for the framework.)
func (r *faqDomainResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	typ := req.Plan.Schema.Type().TerraformType(ctx)
	encode := func(v tftypes.Value) []byte {
		if v.IsNull() {
			return nil
		}
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			resp.Diagnostics.AddError("Unreadable Plan", "The provider could not encode a value: "+err.Error())
		}
		return dv.MsgPack
	}
	prior, proposed, config := encode(req.State.Raw), encode(req.Plan.Raw), encode(req.Config.Raw)
	if resp.Diagnostics.HasError() {
		return
	}
	planned, replace, err := planEncoded(prior, proposed, config, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable Plan", "The provider could not read the plan: "+err.Error())
		return
	}
	if planned == nil {
		return
	}
	raw, err := (&tfprotov6.DynamicValue{MsgPack: planned}).Unmarshal(typ)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable Plan", "The provider could not read the plan it wrote: "+err.Error())
		return
	}
	resp.Plan.Raw = raw
	if replace {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("domain_name"))
	}
}

// warnImported tells the reviewer that the first upload after an import deactivates the nodes
// the configuration does not name, which Terraform cannot show.
func warnImported(domain string, diags *diag.Diagnostics) {
	diags.AddAttributeWarning(path.Root("nodes"), "Imported Domain: Unlisted Nodes Will Be Deactivated",
		fmt.Sprintf("Domain %q was imported, and Haptik cannot list the nodes it holds. The upload replaces "+
			"the domain's content: every node it has that nodes does not name will be deactivated.", domain))
}

// warnDeactivation tells the reviewer which nodes (gone, sorted) the planned upload deactivates.
func warnDeactivation(domain string, gone []string, diags *diag.Diagnostics) {
	if len(gone) > 0 {
		diags.AddAttributeWarning(path.Root("nodes"), "Nodes Will Be Deactivated",
			fmt.Sprintf("This apply uploads domain %q without %d node(s) it had: %s. Haptik deactivates every "+
				"node missing from an upload, so they will stop answering users. If that is not intended, add "+
				"them back to nodes.", domain, len(gone), nameList(gone)))
	}
}

// warnDestroy tells the reviewer that destroying, or replacing with another domain, deactivates
// the prior domain's nodes (names, sorted).
func warnDestroy(domain string, names []string, diags *diag.Diagnostics) {
	what := "every node of the domain"
	if len(names) > 0 {
		what = fmt.Sprintf("all %d of its nodes (%s)", len(names), nameList(names))
	}
	diags.AddWarning("Destroy Deactivates Every Node",
		fmt.Sprintf("Destroying (or replacing) the haptik_faq_domain for %q uploads a header-only CSV, so %s become "+
			"inactive in Haptik. To remove the domain from Terraform but keep its nodes, set deletion_policy = "+
			"\"retain\" and apply before destroying.", domain, what))
}

func (r *faqDomainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.applyPlan(ctx, req.Plan, true, &resp.State, nil, &resp.Diagnostics)
}

func (r *faqDomainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	// On failure resp.State still holds the prior state, so nothing unconfirmed is recorded; an
	// upload Haptik accepted but did not confirm is remembered in private state.
	r.applyPlan(ctx, req.Plan, false, &resp.State, resp.Private, &resp.Diagnostics)
}

// applyPlan is applyEncoded for the framework's Create and Update. (Terraform's RPCs reach
// applyEncoded through fastServer directly; the framework requires these methods all the same.)
func (r *faqDomainResource) applyPlan(ctx context.Context, plan tfsdk.Plan, create bool, state *tfsdk.State,
	private privateState, diags *diag.Diagnostics,
) {
	typ := plan.Schema.Type().TerraformType(ctx)
	dv, err := tfprotov6.NewDynamicValue(typ, plan.Raw)
	if err != nil {
		diags.AddError("Unreadable Plan", "The provider could not encode the planned state: "+err.Error())
		return
	}
	encoded := r.applyEncoded(ctx, dv.MsgPack, create, private, diags)
	if encoded == nil {
		return
	}
	raw, err := (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(typ)
	if err != nil {
		diags.AddError("Unreadable State", "The provider could not read the new state it wrote: "+err.Error())
		return
	}
	state.Raw = raw
}

// Read keeps the state as it is: Haptik has no API to read FAQ nodes back.
func (r *faqDomainResource) Read(_ context.Context, _ resource.ReadRequest, _ *resource.ReadResponse) {
}

func (r *faqDomainResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state faqDomainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletionPolicy.ValueString() == policyRetain {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	ctx = r.data.logContext(ctx)
	domain := state.DomainName.ValueString()
	if r.data.gate.wasWritten(domain) {
		// Another haptik_faq_domain of this apply gave the domain new content (e.g. a replacement
		// with create_before_destroy): deactivating now would wipe that content.
		resp.Diagnostics.AddWarning("Domain Not Deactivated",
			fmt.Sprintf("Domain %q received new content from another haptik_faq_domain in this apply, so "+
				"destroying this one leaves the domain's nodes as that upload set them.", domain))
		return
	}
	// A header-only CSV deactivates every node of the domain.
	empty := faqcsv.RenderBytes(nil)
	r.upload(ctx, uploadRequest{domain: domain, csv: empty, sha: faqcsv.SHA256(empty), timeout: timeout}, &resp.Diagnostics)
}

// ImportState takes the domain name as the import ID. The imported state holds no nodes, so the
// next plan shows an in-place update that uploads the configured ones.
func (r *faqDomainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resp.Diagnostics.AddError("Missing Import ID", "Import a haptik_faq_domain by its domain name, e.g. "+
			"`terraform import haptik_faq_domain.support acme_support`.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_name"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), policyDeactivate)...)
}

func (r *faqDomainResource) configured(diags *diag.Diagnostics) bool {
	if r.data == nil {
		diags.AddError("Provider Not Configured",
			"The Haptik provider has no client: its base_url, client_id or token was still unknown when the "+
				"resource was applied. Make sure they are known before apply.")
		return false
	}
	return true
}
