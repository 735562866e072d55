package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-mux/tf6muxserver"
)

// NewServer returns the provider's protocol server: the framework serves the provider's
// configuration, the functions, the ephemeral resource and the action; faqDomainServer serves
// haptik_faq_domain (see DESIGN.md for why). The mux routes each RPC to the server that declared
// its type, and sends the provider-wide ones (schema, configuration, stop) to both.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return newServer(&haptikProvider{version: version}) }
}

func newServer(p *haptikProvider) (tfprotov6.ProviderServer, error) {
	mux, err := tf6muxserver.NewMuxServer(context.Background(),
		providerserver.NewProtocol6(p),
		func() tfprotov6.ProviderServer { return &faqDomainServer{provider: p} },
	)
	if err != nil {
		return nil, err
	}
	return mux.ProviderServer(), nil
}
