// Command floorprovider is the plan-time floor of make bench: a provider with haptik_faq_domain's
// exact schema whose resource does nothing. Validation passes everything, the plan is Terraform's
// proposed new state and the apply returns the plan, all without decoding a value. A plan against
// it costs only what Terraform itself spends on this schema (converting the configuration to it,
// encoding values for the protocol, checking and rendering the plan), so the difference between
// it and the real provider is the provider's own work.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/faqops/terraform-provider-haptik/internal/provider"
)

type floor struct{ tfprotov6.ProviderServer }

func (floor) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (floor) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState}, nil
}

func (floor) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{NewState: req.PlannedState}, nil
}

func (floor) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState}, nil
}

func main() {
	srv, err := provider.NewServer("floor")()
	if err == nil {
		err = tf6server.Serve("registry.terraform.io/faqops/haptikfloor", func() tfprotov6.ProviderServer { return floor{srv} })
	}
	if err != nil {
		log.Fatal(err)
	}
}
