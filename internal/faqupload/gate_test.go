package faqupload

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	g := NewGate(2)
	var running, peak, sameDomain atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			domain := []string{"a", "b", "c"}[i%3]
			release, err := g.acquire(context.Background(), domain)
			if err != nil {
				t.Error(err)
				return
			}
			defer release()
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if domain == "a" && sameDomain.Add(1) > 1 {
				t.Error("two uploads to one domain at once")
			}
			time.Sleep(5 * time.Millisecond)
			if domain == "a" {
				sameDomain.Add(-1)
			}
			running.Add(-1)
		}()
	}
	wg.Wait()
	if peak.Load() != 2 {
		t.Fatalf("peak concurrency %d, want the cap of 2", peak.Load())
	}
}

func TestGateHonoursCancellation(t *testing.T) {
	g := NewGate(1)
	release, err := g.acquire(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.acquire(ctx, "a"); err == nil {
		t.Fatal("a second upload to the domain got in")
	}
	if _, err := g.acquire(ctx, "b"); err == nil {
		t.Fatal("an upload got past the cap of 1")
	}
}
