// Package provider is the Terraform glue of the Haptik provider: the provider's configuration,
// the functions, the ephemeral resource and the action through terraform-plugin-framework, and
// haptik_faq_domain's protocol server, whose decisions are package faqdomain's.
package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/faqupload"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// Environment variables read when the matching provider attribute is not set.
const (
	EnvBaseURL  = faqupload.EnvBaseURL
	EnvClientID = faqupload.EnvClientID
	EnvToken    = faqupload.EnvToken
)

var (
	_ provider.Provider                       = (*haptikProvider)(nil)
	_ provider.ProviderWithFunctions          = (*haptikProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*haptikProvider)(nil)
	_ provider.ProviderWithActions            = (*haptikProvider)(nil)
)

// defaultMaxConcurrentUploads is how many uploads run at once when max_concurrent_uploads is unset.
const defaultMaxConcurrentUploads = 4

// maxConcurrentUploads is the range of max_concurrent_uploads.
var maxConcurrentUploads = wholeNumber{min: 1, max: 64}

type haptikProvider struct {
	version string
	// poll overrides the task polling policy (tests); zero means haptik.DefaultPollPolicy.
	poll haptik.PollPolicy
	// tuneClient, when set, adjusts the client's settings (tests shorten retry waits).
	tuneClient func(*haptik.Config)

	gateOnce sync.Once
	gate     *faqupload.Gate
	// data is what Configure set up, for faqDomainServer; nil until then, or when a setting
	// was still unknown.
	data *providerData
}

type providerModel struct {
	BaseURL              types.String `tfsdk:"base_url"`
	ClientID             types.String `tfsdk:"client_id"`
	Token                types.String `tfsdk:"token"`
	AllowInsecureHTTP    types.Bool   `tfsdk:"allow_insecure_http"`
	MaxConcurrentUploads types.Number `tfsdk:"max_concurrent_uploads"`
	CAFile               types.String `tfsdk:"ca_file"`
}

// providerData is what Configure sets up for the resource, the ephemeral resource and the action.
// With settings missing it holds only missing, and no client: see configured.
type providerData struct {
	// missing says how to set each setting that is missing; set only when client is nil.
	missing []string
	client  *haptik.Client
	poll    haptik.PollPolicy
	gate    *faqupload.Gate
	token   string
}

// logContext masks the token in everything logged through ctx, messages and fields alike.
func (d *providerData) logContext(ctx context.Context) context.Context {
	ctx = tflog.MaskMessageStrings(ctx, d.token)
	return tflog.MaskAllFieldValuesStrings(ctx, d.token)
}

func (p *haptikProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "haptik"
	resp.Version = p.version
}

func (p *haptikProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage the FAQ content of Haptik chatbots as code, read chat transcripts and hand " +
			"chats to agents. The provider speaks Haptik's FAQ bulk-upload API and its chat APIs; every attribute " +
			"can instead come from an environment variable.",
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
					EnvClientID + "` environment variable. " + credentialRule,
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Your Haptik API token, sent as a bearer token. Falls back to the `" + EnvToken +
					"` environment variable, which keeps it out of your configuration. " + credentialRule,
			},
			"allow_insecure_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow a plain `http://` `base_url` on a host other than this machine. The token " +
					"then crosses the network unencrypted, so the provider refuses such a URL unless this is `true`. " +
					"Loopback addresses (the local emulator) never need it.",
			},
			"ca_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file of certificate authorities to trust for `base_url`, besides " +
					"the system's: for a Haptik host, or a proxy in front of it, whose certificate a private authority " +
					"signed. Without it, the `SSL_CERT_FILE` and `SSL_CERT_DIR` environment variables do the same " +
					"(on Linux and other Unix systems; they replace the system's authorities).",
			},
			"max_concurrent_uploads": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many uploads to Haptik run at once in this provider "+
					"configuration, each counted until Haptik confirms its task: a whole number from %d to %d. "+
					"Default %d. Uploads to the same domain never overlap, whatever this is set to.",
					maxConcurrentUploads.min, maxConcurrentUploads.max, defaultMaxConcurrentUploads),
				Validators: []validator.Number{maxConcurrentUploads},
			},
		},
	}
}

func (p *haptikProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.data = nil // a provider serving several operations (-debug) starts each afresh
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A value that comes from another resource is unknown until apply: plan without a client.
	if cfg.BaseURL.IsUnknown() || cfg.ClientID.IsUnknown() || cfg.Token.IsUnknown() || cfg.CAFile.IsUnknown() {
		tflog.Debug(ctx, "Haptik provider configuration is not yet known; deferring client setup to apply")
		return
	}
	set, missing, invalid := resolveSettings(cfg)
	if len(invalid) > 0 {
		resp.Diagnostics.AddError(settingsError(missing, invalid))
		return
	}
	if len(missing) > 0 {
		// Plans send nothing to Haptik, so a pull-request job needs no credentials: the missing
		// settings are an error only where something would be sent (configured, chatReady).
		tflog.Debug(ctx, "Haptik provider settings are missing; an apply that sends anything will fail")
		p.share(resp, &providerData{missing: missing})
		return
	}
	ctx = tflog.MaskMessageStrings(ctx, set.token)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, set.token)
	client := p.newClient(cfg, set, req.TerraformVersion, &resp.Diagnostics)
	if client == nil {
		return
	}
	maxUploads := defaultMaxConcurrentUploads
	if n := maxConcurrentUploads.get(ctx, path.Root("max_concurrent_uploads"), cfg.MaxConcurrentUploads, &resp.Diagnostics); n != 0 {
		maxUploads = int(n)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	p.gateOnce.Do(func() { p.gate = faqupload.NewGate(maxUploads) })
	tflog.Debug(ctx, "Haptik provider configured", map[string]any{"base_url": client.BaseURL(),
		"client_id": set.clientID, "max_concurrent_uploads": maxUploads})
	poll := p.poll
	if poll == (haptik.PollPolicy{}) {
		poll = haptik.DefaultPollPolicy
	}
	p.share(resp, &providerData{client: client, poll: poll, gate: p.gate, token: set.token})
}

// share makes data what the resource, the ephemeral resource and the action use.
func (p *haptikProvider) share(resp *provider.ConfigureResponse, data *providerData) {
	p.data = data
	resp.EphemeralResourceData = data
	resp.ActionData = data
}

// settings are the provider's three settings, from the provider block or the environment.
type settings struct{ baseURL, clientID, token string }

// resolveSettings reads the settings, and says how to set each missing one and what makes each
// unusable one unusable. Every missing or unusable setting is named in one diagnostic: the mux
// (server.go) passes on only the first error diagnostic of ConfigureProvider.
func resolveSettings(cfg providerModel) (set settings, missing, invalid []string) {
	resolve := func(v types.String, attr, env, what string) string {
		val, where := v.ValueString(), fmt.Sprintf("%q (set in the provider block)", attr)
		if v.IsNull() {
			val, where = os.Getenv(env), fmt.Sprintf("%s (the fallback of %q, which the provider block does not set)", env, attr)
		}
		if val == "" {
			missing = append(missing, fmt.Sprintf("Set %q in the provider block, or set the %s environment variable.", attr, env))
			return ""
		}
		if what == "" {
			return val
		}
		val = trimFileNewline(val)
		if problem := credentialProblem(val, what); problem != "" {
			invalid = append(invalid, where+" "+problem+".")
		}
		return val
	}
	set.baseURL = resolve(cfg.BaseURL, "base_url", EnvBaseURL, "")
	set.clientID = resolve(cfg.ClientID, "client_id", EnvClientID, "client ID")
	set.token = resolve(cfg.Token, "token", EnvToken, "token")
	return set, missing, invalid
}

// newClient is the API client of the settings, or nil with an error naming the attribute at
// fault (base_url, ca_file).
func (p *haptikProvider) newClient(cfg providerModel, set settings, terraformVersion string, diags *diag.Diagnostics) *haptik.Client {
	if msg := checkBaseURL(set.baseURL, cfg.AllowInsecureHTTP.ValueBool()); msg != "" {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Haptik Base URL", msg)
		return nil
	}
	clientCfg := haptik.Config{
		BaseURL:   set.baseURL,
		ClientID:  set.clientID,
		Token:     set.token,
		UserAgent: fmt.Sprintf("terraform-provider-haptik/%s Terraform/%s", p.version, terraformVersion),
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	}
	if !cfg.CAFile.IsNull() {
		hc, msg := clientTrusting(cfg.CAFile.ValueString())
		if msg != "" {
			diags.AddAttributeError(path.Root("ca_file"), "Invalid Haptik CA File", msg)
			return nil
		}
		clientCfg.HTTPClient = hc
	}
	if p.tuneClient != nil {
		p.tuneClient(&clientCfg)
	}
	client, err := haptik.New(clientCfg)
	if err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Haptik Base URL",
			fmt.Sprintf("The base URL %q cannot be used: %v. Set \"base_url\" or %s to the host Haptik gave you.",
				shownURL(set.baseURL), err, EnvBaseURL))
		return nil
	}
	return client
}

// Resources is empty: haptik_faq_domain is served by faqDomainServer (see server.go).
func (p *haptikProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}

func (p *haptikProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newChatTranscriptEphemeral}
}

func (p *haptikProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{newChatHandoffAction}
}

func (p *haptikProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

func (p *haptikProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{newFAQCSVFunction, newFAQNodesFunction, newHSLTextFunction}
}

// configured returns what Configure set up, or adds an error and returns nil when a setting was
// still unknown at configure time.
func (p *haptikProvider) configured(diags *faqdomain.Diagnostics) *providerData {
	switch {
	case p.data == nil:
		diags.AddError(nil, "Provider Not Configured",
			"The Haptik provider has no client: its base_url, client_id or token was still unknown when the "+
				"resource was applied. Make sure they are known before apply.")
		return nil
	case p.data.client == nil:
		summary, detail := settingsError(p.data.missing, nil)
		diags.AddError(nil, summary, detail+"\n\nPlans need none of them (nothing is sent to Haptik at plan time); "+
			"this apply would upload, so it needs all three. Nothing was sent.")
		return nil
	}
	return p.data
}

// uploader is an uploader through the configured client for this operation's registry, with the
// context that masks the token in what it logs; nil, with the reason in diags, when the provider
// has no client.
func (p *haptikProvider) uploader(ctx context.Context, registry *faqdomain.Registry, diags *faqdomain.Diagnostics) (context.Context, *faqupload.Uploader) {
	data := p.configured(diags)
	if data == nil {
		return ctx, nil
	}
	return data.logContext(ctx), &faqupload.Uploader{Client: data.client, Poll: data.poll, Gate: data.gate,
		Registry: registry, Log: func(ctx context.Context, msg string, fields map[string]any) { tflog.Info(ctx, msg, fields) }}
}

// credentialRule is what the provider accepts as a token or client ID, for the schema's descriptions.
const credentialRule = "One line break at its end, as `file(\"token.txt\")` reads it, is removed; a value that is blank, " +
	"starts or ends with whitespace, or holds another line break or control character is refused before anything is sent."

// settingsError is the summary and detail of the one diagnostic that names every missing and
// every unusable setting.
func settingsError(missing, invalid []string) (string, string) {
	const invalidNote = "\n\nThe values are not shown here. One line break at the end, as file() reads it from a file, " +
		"is removed; nothing else is changed."
	listed := func(items []string) string { return "\n  - " + strings.Join(items, "\n  - ") }
	switch {
	case len(invalid) == 0:
		return "Missing Haptik Settings", fmt.Sprintf("The provider needs a Haptik base URL, client ID and token to reach "+
			"the API, and %d of them %s not set:%s", len(missing), map[bool]string{true: "is", false: "are"}[len(missing) == 1],
			listed(missing))
	case len(missing) == 0:
		return "Invalid Haptik Credentials", "Nothing was sent to Haptik: the provider cannot use these settings as they " +
			"are." + listed(invalid) + invalidNote
	default:
		return "Missing or Invalid Haptik Settings", "The provider needs a Haptik base URL, client ID and token to reach " +
			"the API. Nothing was sent to Haptik:" + listed(append(missing, invalid...)) + invalidNote
	}
}

// trimFileNewline removes the one line break (\n or \r\n) that ends a file read with file().
func trimFileNewline(s string) string {
	if t, ok := strings.CutSuffix(s, "\r\n"); ok {
		return t
	}
	return strings.TrimSuffix(s, "\n")
}

// credentialProblem says what makes a token or client ID (what) unusable, or "". Such a value is
// one line of text without spaces at its ends: anything else is a copy-and-paste or file mistake
// that Haptik would answer with a refusal, or that the HTTP client cannot even send.
func credentialProblem(v, what string) string {
	if strings.TrimFunc(v, unicode.IsSpace) == "" {
		return fmt.Sprintf("is blank: it holds nothing but whitespace or line breaks; set it to the %s Haptik gave you", what)
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	var ends []string
	if unicode.IsSpace(first) {
		ends = append(ends, "starts with "+charName(first))
	}
	if unicode.IsSpace(last) {
		ends = append(ends, "ends with "+charName(last))
	}
	if len(ends) > 0 {
		return fmt.Sprintf("%s, which Haptik would take as part of the %s; remove %s", strings.Join(ends, " and "), what,
			map[bool]string{true: "it", false: "them"}[len(ends) == 1])
	}
	for i, r := range []rune(v) {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("contains %s (character %d), so it is not one line of text; check that it holds the %s "+
				"and nothing else", charName(r), i+1, what)
		}
	}
	return ""
}

// charName names a whitespace or control character without quoting it.
func charName(r rune) string {
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return "a line break"
	}
	if unicode.IsControl(r) {
		return fmt.Sprintf("the control character U+%04X", r)
	}
	return fmt.Sprintf("the whitespace character U+%04X", r)
}

// clientTrusting returns an HTTP client that trusts the certificate authorities in the PEM file
// at path besides the system's, or why it cannot.
func clientTrusting(path string) (*http.Client, string) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Sprintf("The ca_file %q cannot be read: %v. Set \"ca_file\" to a PEM file of the certificate "+
			"authorities to trust.", path, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Sprintf("The ca_file %q holds no PEM certificate (a block starting with \"-----BEGIN "+
			"CERTIFICATE-----\"). Set \"ca_file\" to a PEM file of the certificate authorities to trust.", path)
	}
	transport := cleanhttp.DefaultPooledTransport()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: transport}, ""
}

// checkBaseURL returns why a base URL cannot be used, or "". Plain http is refused unless the
// host is this machine or the user opted in: the token travels in a header.
func checkBaseURL(raw string, allowInsecure bool) string {
	if trimmed := strings.TrimSpace(raw); trimmed != raw && trimmed != "" {
		return fmt.Sprintf("The base URL %q has white space at its start or end (from a copied value or a "+
			"file's line break?). Remove it from \"base_url\" or %s.", shownURL(raw), EnvBaseURL)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Sprintf("The base URL %q cannot be used: it must be an absolute URL such as "+
			"https://staging.haptikapi.com (http:// only for this machine, such as the local emulator at "+
			"http://127.0.0.1:8089, or with allow_insecure_http). Set \"base_url\" or %s to the host Haptik gave you.",
			shownURL(raw), EnvBaseURL)
	}
	if u.Scheme == "https" || allowInsecure || isLoopback(u.Hostname()) {
		return ""
	}
	return fmt.Sprintf("The base URL %q uses plain http, which would send your Haptik token unencrypted to %s. "+
		"Use the https URL Haptik gave you. Only if the network to that host is trusted, set "+
		"allow_insecure_http = true in the provider block.", shownURL(raw), u.Hostname())
}

// shownURL is a base URL as diagnostics may quote it: without a password, a query or a fragment,
// any of which can hold a secret.
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "@?#"); i >= 0 {
			return raw[:i] + "…"
		}
		return raw
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = "", "", "", false
	return u.Redacted()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
