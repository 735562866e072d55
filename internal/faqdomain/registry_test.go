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
