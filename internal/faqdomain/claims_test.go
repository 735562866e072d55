package faqdomain

import (
	"sync"
	"testing"
)

func TestClaims(t *testing.T) {
	var c Claims
	a, b := []byte("config a"), []byte("config b")
	if d := c.Claim("d", a); d != nil {
		t.Fatalf("first claim: %+v", d)
	}
	// The same resource planned again (a replacement plans the update, then the create) holds
	// the same domain.
	if d := c.Claim("d", a); d != nil {
		t.Errorf("the same configuration again: %+v", d)
	}
	// Another resource naming the domain fails the plan; other domains are free.
	if d := c.Claim("d", b); d == nil || d.Warning || d.Summary != "Two Resources Hold One Domain" || d.Path.String() != "domain_name" {
		t.Errorf("second resource: %+v", d)
	}
	if d := c.Claim("other", b); d != nil {
		t.Errorf("another domain: %+v", d)
	}
	// A new operation starts afresh.
	c.Reset()
	if d := c.Claim("d", b); d != nil {
		t.Errorf("after Reset: %+v", d)
	}
	// Terraform plans resources in parallel: exactly one of two conflicting plans fails.
	c.Reset()
	var wg sync.WaitGroup
	errs := make(chan *Diagnostic, 2)
	for _, cfg := range [][]byte{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- c.Claim("d", cfg) }()
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
