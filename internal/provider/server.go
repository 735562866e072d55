package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-mux/tf6muxserver"
)

// NewServer returns the provider's protocol server: the framework serves the provider's
// configuration, the functions (faq_match at the protocol level, by withFAQMatch), the ephemeral
// resource and the action; faqDomainServer serves haptik_faq_domain (see DESIGN.md for why). The mux routes each RPC to the server that declared
// its type, and sends the provider-wide ones (schema, configuration, stop) to both.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return newServer(&haptikProvider{version: version}) }
}

func newServer(p *haptikProvider) (tfprotov6.ProviderServer, error) {
	fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
	if !ok {
		return nil, fmt.Errorf("the framework's server no longer serves every optional RPC family; update frameworkServer")
	}
	mux, err := tf6muxserver.NewMuxServer(context.Background(),
		func() tfprotov6.ProviderServer { return &stopWaiter{frameworkServer: withFAQMatch(fw)} },
		func() tfprotov6.ProviderServer { return &faqDomainServer{uploads: p} },
	)
	if err != nil {
		return nil, err
	}
	return mux.ProviderServer(), nil
}

// frameworkServer is every RPC family the framework's server serves, so that stopWaiter, which
// embeds it, hides none of them from the mux (which looks for the optional ones by type assertion).
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
	tfprotov6.ListResourceServer
	tfprotov6.StateStoreServer
}

// stopGrace bounds how long StopProvider waits for interrupted actions to report.
const stopGrace = 10 * time.Second

// stopWaiter holds StopProvider until every action invocation in flight has delivered its last
// event. On Ctrl-C Terraform calls StopProvider; the framework cancels the action's context and
// the action ends with an error, but tf6server stops forwarding an InvokeAction stream's events
// as soon as StopProvider returns, and Terraform reads a stream that ends without its completed
// event as success ("Apply complete!"). Waiting here lets the error through first.
type stopWaiter struct {
	frameworkServer

	mu       sync.Mutex
	inFlight int
	idle     chan struct{} // closed when inFlight drops to 0
}

func (s *stopWaiter) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	s.begin()
	stream, err := s.frameworkServer.InvokeAction(ctx, req)
	if err != nil || stream == nil || stream.Events == nil {
		s.end()
		return stream, err
	}
	events := stream.Events
	stream.Events = func(push func(tfprotov6.InvokeActionEvent) bool) {
		defer s.end()
		events(push)
	}
	return stream, nil
}

func (s *stopWaiter) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	resp, err := s.frameworkServer.StopProvider(ctx, req)
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	if idle != nil {
		select {
		case <-idle:
		case <-time.After(stopGrace):
		}
	}
	return resp, err
}

func (s *stopWaiter) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight == 0 {
		s.idle = make(chan struct{})
	}
	s.inFlight++
}

func (s *stopWaiter) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	if s.inFlight == 0 {
		close(s.idle)
		s.idle = nil
	}
}
