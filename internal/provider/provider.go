// Package provider is the Terraform glue of the Haptik provider: schemas, plan logic and CRUD
// that call the client in package haptik.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// Environment variables read when the matching provider attribute is not set.
const (
	EnvBaseURL  = "HAPTIK_BASE_URL"
	EnvClientID = "HAPTIK_CLIENT_ID"
	EnvToken    = "HAPTIK_TOKEN"
)

var (
	_ provider.Provider              = (*haptikProvider)(nil)
	_ provider.ProviderWithFunctions = (*haptikProvider)(nil)
)

type haptikProvider struct {
	version string
	// poll overrides the task polling policy (tests); zero means haptik.DefaultPollPolicy.
	poll haptik.PollPolicy
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &haptikProvider{version: version} }
}

type providerModel struct {
	BaseURL  types.String `tfsdk:"base_url"`
	ClientID types.String `tfsdk:"client_id"`
	Token    types.String `tfsdk:"token"`
}

// providerData is what resources receive from Configure.
type providerData struct {
	client *haptik.Client
	poll   haptik.PollPolicy
}

func (p *haptikProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "haptik"
	resp.Version = p.version
}

func (p *haptikProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage the FAQ content of Haptik chatbots as code. The provider speaks Haptik's " +
			"FAQ bulk-upload API; every attribute can instead come from an environment variable.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of your Haptik API host, as Haptik gave it to you (staging and production " +
					"differ), e.g. `https://staging.haptikapi.com`. Falls back to the `" + EnvBaseURL + "` environment " +
					"variable. For the local emulator, use the URL it prints (`http://127.0.0.1:8089` by default).",
			},
			"client_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Your Haptik client ID, sent as the `client-id` header. Falls back to the `" +
					EnvClientID + "` environment variable.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Your Haptik API token, sent as a bearer token. Falls back to the `" + EnvToken +
					"` environment variable, which keeps it out of your configuration.",
			},
		},
	}
}

func (p *haptikProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A value that comes from another resource is unknown until apply: plan without a client.
	if cfg.BaseURL.IsUnknown() || cfg.ClientID.IsUnknown() || cfg.Token.IsUnknown() {
		tflog.Debug(ctx, "Haptik provider configuration is not yet known; deferring client setup to apply")
		return
	}

	resolve := func(v types.String, attr, env, label string) string {
		val := v.ValueString()
		if v.IsNull() {
			val = os.Getenv(env)
		}
		if val == "" {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Missing Haptik "+label,
				fmt.Sprintf("The provider needs a Haptik %s to reach the API. Set %q in the provider block, or set "+
					"the %s environment variable.", label, attr, env))
		}
		return val
	}
	baseURL := resolve(cfg.BaseURL, "base_url", EnvBaseURL, "Base URL")
	clientID := resolve(cfg.ClientID, "client_id", EnvClientID, "Client ID")
	token := resolve(cfg.Token, "token", EnvToken, "Token")
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := haptik.New(haptik.Config{
		BaseURL:   baseURL,
		ClientID:  clientID,
		Token:     token,
		UserAgent: fmt.Sprintf("terraform-provider-haptik/%s Terraform/%s", p.version, req.TerraformVersion),
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Haptik Base URL",
			fmt.Sprintf("The base URL %q cannot be used: it must be an absolute URL such as "+
				"https://staging.haptikapi.com. Set \"base_url\" or %s to the host Haptik gave you.",
				baseURL, EnvBaseURL))
		return
	}
	poll := p.poll
	if poll == (haptik.PollPolicy{}) {
		poll = haptik.DefaultPollPolicy
	}
	resp.ResourceData = &providerData{client: client, poll: poll}
}

func (p *haptikProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{newFAQDomainResource}
}

func (p *haptikProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

func (p *haptikProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{newFAQCSVFunction, newFAQNodesFunction, newHSLTextFunction}
}
