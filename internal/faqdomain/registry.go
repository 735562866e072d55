package faqdomain

import (
	"bytes"
	"fmt"
	"sync"
)

// Registry is the one record of what one Terraform operation did with domains, for one provider
// configuration (the server resets it at every ConfigureProvider, which each operation sends
// first): which haptik_faq_domain plans claimed which domain, and which domains an apply wrote.
//
// Claims: which plans named which domain, so that two resources holding one domain fail the
// plan: every upload replaces the domain's whole content, so each would deactivate the other's
// nodes on every apply.
// Terraform sends no resource address with a plan, so a resource is told apart by its
// configuration: Terraform may plan one resource more than once (a replacement plans the update,
// then the create), always with the same configuration, while two resources have two.
//
// Destroys are claimed too. A destroy deactivates every node of its domain, so it must not run
// beside another resource in state on that domain (an update, no change at all, or another
// destroy): that resource's state would go on recording nodes Haptik no longer holds whenever its
// own upload fails or is not needed, and nothing in the next plan would upload them. A create
// beside a destroy is a rename without a moved block, which the upload itself handles (a destroy
// does not deactivate a domain written in the same apply).
//
// Written: the domains that received content (a create or update whose task succeeded) in this
// operation. A destroy of such a domain sends nothing: the content is another resource's now (a
// replacement with create_before_destroy, a renamed resource). The uploader checks it under the
// domain's lock, so an upload still running finishes, and marks, first.
type Registry struct {
	mu      sync.Mutex
	claims  map[string][]claim
	written map[string]bool
}

// claim is one plan naming a domain: the configuration (nil for a destroy) and the prior state
// (nil for a create), which tells a destroy and an update of one resource (a replacement) from
// those of two.
type claim struct {
	config, prior []byte
	destroy       bool
}

// Reset forgets every claim and every written domain: a new operation begins.
func (c *Registry) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.claims, c.written = nil, nil
}

// MarkWritten records that domain received content in this operation.
func (c *Registry) MarkWritten(domain string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.written == nil {
		c.written = map[string]bool{}
	}
	c.written[domain] = true
}

// Written reports whether domain received content in this operation.
func (c *Registry) Written(domain string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written[domain]
}

// Claim records a create (prior nil) or update plan of config for domain and returns an error
// when another resource already holds the domain, or is being destroyed beside an update.
func (c *Registry) Claim(domain string, config, prior []byte) *Diagnostic {
	return c.add(domain, claim{config: bytes.Clone(config), prior: bytes.Clone(prior)})
}

// ClaimDestroy records a destroy plan of the resource whose state is prior, and returns an error
// when another resource keeps the domain in this operation.
func (c *Registry) ClaimDestroy(domain string, prior []byte) *Diagnostic {
	return c.add(domain, claim{prior: bytes.Clone(prior), destroy: true})
}

func (c *Registry) add(domain string, n claim) *Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claims == nil {
		c.claims = map[string][]claim{}
	}
	for _, o := range c.claims[domain] {
		switch {
		case !n.destroy && !o.destroy && !bytes.Equal(o.config, n.config):
			return &Diagnostic{Summary: "Two Resources Hold One Domain", Path: Root(AttrDomainName), Detail: fmt.Sprintf(
				"Another haptik_faq_domain of this configuration also names domain %q. Each upload replaces the "+
					"domain's whole content and deactivates every node it does not list, so two resources would "+
					"deactivate each other's nodes on every apply. Hold each domain in one resource: merge the nodes "+
					"into one map, for example nodes = merge(values(local.topics)...) over your topic files, or "+
					"give each resource its own domain.", domain)}
		case (n.destroy || o.destroy) && n.prior != nil && o.prior != nil && !bytes.Equal(o.prior, n.prior):
			return &Diagnostic{Summary: "Destroy Would Empty Another Resource's Domain", Path: Root(AttrDomainName),
				Detail: fmt.Sprintf("This plan destroys a haptik_faq_domain of domain %q while another haptik_faq_domain "+
					"in state holds that domain too. The destroy would deactivate every node of %q, the other resource's "+
					"included, and if the other resource's own upload then failed its state would still record them, so "+
					"no later plan would upload them again. Two "+
					"resources hold one domain in state when a resource was renamed without a moved block and the "+
					"destroy of its old address failed; the new address's upload came after that destroy. Remove "+
					"the old address from state with terraform state rm (Haptik's content stays as it is), then "+
					"apply again.", domain, domain)}
		}
	}
	c.claims[domain] = append(c.claims[domain], n)
	return nil
}
