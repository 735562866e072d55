package faqdomain

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
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
	// unknown holds the configurations of the plans whose domain_name was unknown.
	unknown [][]byte
	// kept records the domains whose destroy failed in this apply: that resource stays in state.
	kept map[string]bool
	// sending records the domains a create or update began to upload in this apply (CheckApply
	// passed): from then on the domain may hold that resource's content.
	sending map[string]bool
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
	c.claims, c.written, c.unknown, c.kept, c.sending = nil, nil, nil, nil, nil
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
// when another resource already holds the domain, or is being destroyed beside an update, and
// otherwise a warning when another plan's domain_name is unknown (it may become this domain).
func (c *Registry) Claim(domain string, config, prior []byte) *Diagnostic {
	if d := c.add(domain, claim{config: bytes.Clone(config), prior: bytes.Clone(prior)}); d != nil {
		return d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.ContainsFunc(c.unknown, func(u []byte) bool { return !bytes.Equal(u, config) }) {
		return &Diagnostic{Warning: true, Path: Root(AttrDomainName), Summary: "Another Domain Name Unknown Until Apply",
			Detail: fmt.Sprintf("Another haptik_faq_domain of this plan has a domain_name that is not known until "+
				"apply. If it becomes %q, the apply refuses its upload only if this resource changes too (the apply "+
				"plans only what changes); otherwise its upload would replace this resource's nodes. Make that "+
				"domain_name known at plan time.", domain)}
	}
	return nil
}

// ClaimUnknown records a create plan of config whose domain_name is unknown, and returns its
// warning, naming the domains other resources claimed so far (a resource planned later is
// warned with Claim's "Another Domain Name Unknown Until Apply").
func (c *Registry) ClaimUnknown(config []byte) Diagnostic {
	held := c.Held(config)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unknown = append(c.unknown, bytes.Clone(config))
	return WarnUnknownDomain(held)
}

// ClaimDestroy records a destroy plan of the resource whose state is prior, and returns an error
// when another resource keeps the domain in this operation. A destroy planned once the domain was
// written in this operation claims nothing: it sends nothing (the uploader finds the domain
// written), so it cannot empty the domain under another resource. That is the apply's plan of
// the deposed objects of a create_before_destroy replacement, after its create succeeded: a
// failed create leaves the old object deposed and the new one tainted, and the next apply's
// replacement destroys both.
func (c *Registry) ClaimDestroy(domain string, prior []byte) *Diagnostic {
	if c.Written(domain) {
		return nil
	}
	return c.add(domain, claim{prior: bytes.Clone(prior), destroy: true})
}

func (c *Registry) add(domain string, n claim) *Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claims == nil {
		c.claims = map[string][]claim{}
	}
	var conflict *Diagnostic
	for _, o := range c.claims[domain] {
		if conflict = conflictOf(domain, n, o); conflict != nil {
			break
		}
	}
	if conflict != nil && !n.destroy && n.prior != nil && c.sending[domain] {
		// The apply's plan of a resource in state, after another resource (whose domain_name was
		// unknown at plan) began to upload the domain: failing here would keep its state as it was, claiming
		// nodes Haptik no longer holds. Its apply sends nothing and marks it unconfirmed instead
		// (CheckApply).
		conflict = nil
	}
	// A conflicting claim is kept too: the apply of the claim it conflicts with must still see
	// it (CheckApply), whichever of the two Terraform runs first.
	c.claims[domain] = append(c.claims[domain], n)
	return conflict
}

// MarkKept records that a destroy of domain failed in this operation: its resource stays in
// state, recording the nodes it uploaded.
func (c *Registry) MarkKept(domain string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = map[string]bool{}
	}
	c.kept[domain] = true
}

// CheckApply is the check of a create or update about to upload config's content to domain,
// under the domain's lock, against this operation: an error, and nothing is sent, when another
// resource with another configuration claimed the domain, or when the destroy of another resource
// of the domain failed in this apply (a rename without a moved block, whose old address stays in
// state: the upload would replace the nodes its state records). At plan time an unknown
// domain_name could not be checked; in the apply walk only the resources the apply changes are
// planned again, so a resource without changes is not seen (the plan's warning says so).
//
// overwritten is set when another resource already began to upload the domain in this apply:
// what Haptik holds may no longer be what this resource's state records. A check that passes
// records that this upload begins.
func (c *Registry) CheckApply(domain string, config []byte) (d *Diagnostic, overwritten bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept[domain] {
		return &Diagnostic{Summary: "Another Resource's Destroy of This Domain Failed", Path: Root(AttrDomainName),
			Detail: fmt.Sprintf("Nothing was sent to Haptik. The destroy of another haptik_faq_domain of domain %q "+
				"failed in this apply, so that resource stays in state recording its nodes, and this upload would "+
				"replace them (a resource renamed without a moved block is destroyed and created in one apply). "+
				"Apply again once the destroy's error is fixed, or rename with a moved block.", domain)}, false
	}
	for _, o := range c.claims[domain] {
		if !o.destroy && !bytes.Equal(o.config, config) {
			d := conflictOf(domain, claim{config: config}, o)
			d.Detail = "Nothing was sent to Haptik. " + d.Detail
			if c.sending[domain] {
				d.Detail += fmt.Sprintf(" The other resource, whose domain_name was not known at plan, already uploaded "+
					"domain %q in this apply, so this resource's state may no longer match what Haptik holds.", domain)
			}
			return d, c.sending[domain]
		}
	}
	if c.sending == nil {
		c.sending = map[string]bool{}
	}
	c.sending[domain] = true
	return nil, false
}

// Sending reports whether a create or update began to upload domain in this apply (its
// CheckApply passed): a resource that has not reached its own CheckApply may no longer find in
// Haptik what its state records.
func (c *Registry) Sending(domain string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sending[domain]
}

// Held is the domains other resources (another configuration than config) claimed so far in
// this operation, sorted: what a plan whose domain_name is still unknown could collide with.
func (c *Registry) Held(config []byte) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var held []string
	for domain, claims := range c.claims {
		if slices.ContainsFunc(claims, func(o claim) bool { return !o.destroy && !bytes.Equal(o.config, config) }) {
			held = append(held, domain)
		}
	}
	slices.Sort(held)
	return held
}

// conflictOf is the error of claim n beside the earlier claim o of domain, or nil.
func conflictOf(domain string, n, o claim) *Diagnostic {
	switch {
	case !n.destroy && !o.destroy && !bytes.Equal(o.config, n.config):
		return &Diagnostic{Summary: "Two Resources Hold One Domain", Path: Root(AttrDomainName), Detail: fmt.Sprintf(
			"Another haptik_faq_domain of this configuration also names domain %q%s. Each upload replaces the "+
				"domain's whole content and deactivates every node it does not list, so two resources would "+
				"deactivate each other's nodes on every apply. Hold each domain in one resource: merge the nodes "+
				"into one map, for example nodes = merge(values(local.topics)...) over your topic files, or "+
				"give each resource its own domain.", domain, describeOther(o))}
	case (n.destroy || o.destroy) && n.prior != nil && o.prior != nil && !bytes.Equal(o.prior, n.prior):
		return &Diagnostic{Summary: "Destroy Would Empty Another Resource's Domain", Path: Root(AttrDomainName),
			Detail: fmt.Sprintf("This plan destroys a haptik_faq_domain of domain %q while another haptik_faq_domain "+
				"in state holds that domain too. The destroy would deactivate every node of %q, the other resource's "+
				"included, and if the other resource's own upload then failed its state would still record them, so "+
				"no later plan would upload them again. Two "+
				"resources hold one domain in state when a resource was renamed without a moved block and the "+
				"destroy of its old address failed; the new address's upload came after that destroy. Remove "+
				"the old address from state with terraform state rm (Haptik's content stays as it is), then "+
				"apply again. A create_before_destroy replacement whose destroy did not run leaves the old "+
				"object in state too, deposed under the same address: terraform state rm of that address "+
				"removes both, and the next apply uploads the configured nodes again.", domain, domain)}
	}
	return nil
}

// describeOther says what can be said of the resource behind claim o: Terraform sends no resource
// address, so its configuration's first node names (", whose nodes include ...").
func describeOther(o claim) string {
	cfg, err := tfmsgpack.ReadObject(o.config)
	if err != nil {
		return ""
	}
	names, err := nodeNames(cfg)
	if err != nil || len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(" (Terraform does not say which resource; its nodes include %s)", quotedNames(names, 3))
}
