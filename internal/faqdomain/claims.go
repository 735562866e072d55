package faqdomain

import (
	"bytes"
	"fmt"
	"sync"
)

// Claims records, for one provider configuration and one Terraform operation (the server resets
// it at every ConfigureProvider, which each operation sends first), which haptik_faq_domain plans
// named which domain, so that two resources holding one domain fail the plan: every upload
// replaces the domain's whole content, so each would deactivate the other's nodes on every apply.
// Terraform sends no resource address with a plan, so a resource is told apart by its
// configuration: Terraform may plan one resource more than once (a replacement plans the update,
// then the create), always with the same configuration, while two resources have two.
type Claims struct {
	mu     sync.Mutex
	claims map[string][][]byte
}

// Reset forgets every claim: a new operation begins.
func (c *Claims) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.claims = nil
}

// Claim records a plan of config for domain and returns an error when another resource already
// holds the domain.
func (c *Claims) Claim(domain string, config []byte) *Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claims == nil {
		c.claims = map[string][][]byte{}
	}
	for _, other := range c.claims[domain] {
		if !bytes.Equal(other, config) {
			return &Diagnostic{Summary: "Two Resources Hold One Domain", Path: Root(AttrDomainName), Detail: fmt.Sprintf(
				"Another haptik_faq_domain of this configuration also names domain %q. Each upload replaces the "+
					"domain's whole content and deactivates every node it does not list, so two resources would "+
					"deactivate each other's nodes on every apply. Hold each domain in one resource: merge the nodes "+
					"into one map, for example nodes = merge(values(local.topics)...) over your topic files, or "+
					"give each resource its own domain.", domain)}
		}
	}
	c.claims[domain] = append(c.claims[domain], bytes.Clone(config))
	return nil
}
