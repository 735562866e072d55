package faqdomain

import (
	"strings"
	"sync"
	"testing"
)

func TestRegistryClaims(t *testing.T) {
	var c Registry
	a, b := []byte("config a"), []byte("config b")
	if d := c.Claim("d", a, nil); d != nil {
		t.Fatalf("first claim: %+v", d)
	}
	// The same resource planned again (a replacement plans the update, then the create) holds
	// the same domain.
	if d := c.Claim("d", a, nil); d != nil {
		t.Errorf("the same configuration again: %+v", d)
	}
	// Another resource naming the domain fails the plan; other domains are free.
	if d := c.Claim("d", b, nil); d == nil || d.Warning || d.Summary != "Two Resources Hold One Domain" || d.Path.String() != "domain_name" {
		t.Errorf("second resource: %+v", d)
	}
	if d := c.Claim("other", b, nil); d != nil {
		t.Errorf("another domain: %+v", d)
	}
	// A new operation starts afresh.
	c.Reset()
	if d := c.Claim("d", b, nil); d != nil {
		t.Errorf("after Reset: %+v", d)
	}
	// Terraform plans resources in parallel: exactly one of two conflicting plans fails.
	c.Reset()
	var wg sync.WaitGroup
	errs := make(chan *Diagnostic, 2)
	for _, cfg := range [][]byte{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- c.Claim("d", cfg, nil) }()
	}
	wg.Wait()
	close(errs)
	n := 0
	for d := range errs {
		if d != nil && !d.Warning {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d of two parallel conflicting plans failed, want 1", n)
	}
}

// A destroy beside another resource in state on the domain (an update, no change, another
// destroy) could empty it under that resource's confirmed state: the second of the two plans
// fails, in either order. A destroy beside a create (a rename) and a destroy and update of one
// resource (a replacement, same prior state) do not conflict.
func TestRegistryClaims_destroy(t *testing.T) {
	cfg, priorA, priorB := []byte("config"), []byte("state a"), []byte("state b")
	var c Registry
	if d := c.ClaimDestroy("d", priorA); d != nil {
		t.Fatalf("destroy first: %+v", d)
	}
	if d := c.Claim("d", cfg, priorB); d == nil || d.Summary != "Destroy Would Empty Another Resource's Domain" ||
		d.Path.String() != "domain_name" || !strings.Contains(d.Detail, "terraform state rm") {
		t.Errorf("update beside another resource's destroy: %+v", d)
	}
	c.Reset()
	if d := c.Claim("d", cfg, priorB); d != nil {
		t.Fatalf("update first: %+v", d)
	}
	if d := c.ClaimDestroy("d", priorA); d == nil || d.Summary != "Destroy Would Empty Another Resource's Domain" {
		t.Errorf("destroy beside another resource's update: %+v", d)
	}
	c.Reset()
	if d := c.ClaimDestroy("d", priorA); d != nil {
		t.Fatal(d)
	}
	if d := c.Claim("d", cfg, nil); d != nil {
		t.Errorf("a create beside a destroy (a rename): %+v", d)
	}
	// terraform destroy of both: if one's deactivation is refused, its state would still claim
	// the nodes the other's destroy deactivated.
	if d := c.ClaimDestroy("d", priorB); d == nil || d.Summary != "Destroy Would Empty Another Resource's Domain" {
		t.Errorf("a second destroy of another resource: %+v", d)
	}
	c.Reset()
	if d := c.ClaimDestroy("d", priorA); d != nil {
		t.Fatal(d)
	}
	if d := c.Claim("d", cfg, priorA); d != nil {
		t.Errorf("an update of the resource being destroyed (a replacement): %+v", d)
	}
	// The apply of a create_before_destroy replacement after a failed one: its create wrote the
	// domain, then it destroys the deposed tainted object and the deposed old one. Neither sends
	// anything, so neither can empty the domain under the other.
	c.Reset()
	c.Claim("d", cfg, nil)
	c.MarkWritten("d")
	if d := c.ClaimDestroy("d", priorA); d != nil {
		t.Fatal(d)
	}
	if d := c.ClaimDestroy("d", priorB); d != nil {
		t.Errorf("a second destroy once the domain was written: %+v", d)
	}
	if d := c.Claim("d", cfg, priorB); d != nil {
		t.Errorf("an update beside a destroy planned once the domain was written: %+v", d)
	}
}

func TestRegistryWritten(t *testing.T) {
	var c Registry
	if c.Written("d") {
		t.Fatal("a domain nobody wrote counts as written")
	}
	c.MarkWritten("d")
	if !c.Written("d") || c.Written("other") {
		t.Fatalf("written d: %v, other: %v", c.Written("d"), c.Written("other"))
	}
	// A new operation starts afresh, claims and writes alike.
	if d := c.Claim("d", []byte("a"), nil); d != nil {
		t.Fatal(d)
	}
	c.Reset()
	if c.Written("d") {
		t.Error("after Reset, d is still written")
	}
	if d := c.Claim("d", []byte("b"), nil); d != nil {
		t.Errorf("after Reset, the old claim holds: %+v", d)
	}
}

// The apply checks a domain that was unknown at plan against the claims of this operation, a
// conflicting claim included; the error says nothing was sent and names the other's nodes.
func TestRegistryCheckApply(t *testing.T) {
	var c Registry
	a := encode(t, config(testNodes, nil))
	b := []byte("config b")
	if d, _ := c.CheckApply("support", b); d != nil {
		t.Fatalf("no claim yet: %+v", d)
	}
	if d := c.Claim("support", a, nil); d != nil {
		t.Fatal(d)
	}
	if d, _ := c.CheckApply("support", a); d != nil {
		t.Errorf("the resource's own claim: %+v", d)
	}
	d, _ := c.CheckApply("support", b)
	if d == nil || d.Summary != "Two Resources Hold One Domain" || !strings.HasPrefix(d.Detail, "Nothing was sent to Haptik.") ||
		!strings.Contains(d.Detail, `its nodes include "a_node", "b_node"`) {
		t.Fatalf("another resource's domain: %+v", d)
	}
	// A claim that conflicted is kept: the first claimant's apply sees it.
	c.Reset()
	if d := c.Claim("support", b, nil); d != nil {
		t.Fatal(d)
	}
	if d := c.Claim("support", a, nil); d == nil {
		t.Fatal("the second claim does not conflict")
	}
	if d, _ := c.CheckApply("support", b); d == nil {
		t.Error("the conflicting claim was forgotten")
	}
	// A destroy's claim is no holder.
	c.Reset()
	c.ClaimDestroy("support", []byte("state"))
	if d, _ := c.CheckApply("support", b); d != nil {
		t.Errorf("beside a destroy: %+v", d)
	}
}

// In the apply, a resource in state planned again after another resource (whose domain_name was
// unknown at plan) wrote its domain is not failed at plan: its apply sends nothing and marks it
// unconfirmed, which failing would not.
func TestRegistryClaimAfterAnotherWrote(t *testing.T) {
	var c Registry
	if d := c.Claim("d", []byte("b"), nil); d != nil {
		t.Fatal(d)
	}
	if d, _ := c.CheckApply("d", []byte("b")); d != nil { // b begins to upload
		t.Fatal(d)
	}
	if d := c.Claim("d", []byte("a"), []byte("state of a")); d != nil {
		t.Errorf("the update after the other's write: %+v", d)
	}
	if d, overwritten := c.CheckApply("d", []byte("a")); d == nil || !overwritten {
		t.Errorf("its apply: %+v, overwritten %v", d, overwritten)
	}
	// A create after the write still fails at plan: it has no state to mark.
	if d := c.Claim("d", []byte("c"), nil); d == nil || d.Warning {
		t.Errorf("a create after the other's write: %+v", d)
	}
}

// A plan whose domain_name is unknown is warned with the domains claimed before it; a plan that
// comes after it is warned about it.
func TestRegistryUnknownDomain(t *testing.T) {
	var c Registry
	if d := c.Claim("x", []byte("a"), nil); d != nil {
		t.Fatal(d)
	}
	w := c.ClaimUnknown([]byte("u"))
	if !w.Warning || w.Summary != "Domain Name Unknown Until Apply" || !strings.Contains(w.Detail, `resources of this plan hold "x"`) {
		t.Errorf("unknown after x: %+v", w)
	}
	if d := c.Claim("y", []byte("b"), nil); d == nil || !d.Warning || d.Summary != "Another Domain Name Unknown Until Apply" ||
		!strings.Contains(d.Detail, `If it becomes "y"`) {
		t.Errorf("a claim after the unknown one: %+v", d)
	}
	// The unknown plan's own configuration planned again (the apply's plan) is no other resource.
	if d := c.Claim("z", []byte("u"), nil); d != nil {
		t.Errorf("the same configuration: %+v", d)
	}
	c.Reset()
	if w := c.ClaimUnknown([]byte("u")); !strings.Contains(w.Detail, "No other haptik_faq_domain") {
		t.Errorf("unknown first: %+v", w)
	}
}
