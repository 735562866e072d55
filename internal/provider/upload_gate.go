package provider

import (
	"context"
	"sync"
)

// uploadGate serializes uploads per domain and caps how many run at once in this provider
// process. An upload holds its place from the request until Haptik's task is confirmed, so two
// resources naming one domain (or a replacement) never interleave their uploads, and a large
// -parallelism does not flood Haptik.
type uploadGate struct {
	slots chan struct{}

	mu      sync.Mutex
	domains map[string]chan struct{}
	// written records the domains that received content (create or update) in this process.
	written map[string]bool
}

func newUploadGate(maxConcurrent int) *uploadGate {
	return &uploadGate{
		slots:   make(chan struct{}, maxConcurrent),
		domains: map[string]chan struct{}{},
		written: map[string]bool{},
	}
}

// acquire waits for the domain's turn and a free slot, or for ctx to end. The returned function
// gives both back.
func (g *uploadGate) acquire(ctx context.Context, domain string) (func(), error) {
	g.mu.Lock()
	lock, ok := g.domains[domain]
	if !ok {
		lock = make(chan struct{}, 1)
		g.domains[domain] = lock
	}
	g.mu.Unlock()

	select {
	case lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		<-lock
		return nil, ctx.Err()
	}
	return func() {
		<-g.slots
		<-lock
	}, nil
}

// markWritten records that domain received content in this process.
func (g *uploadGate) markWritten(domain string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.written[domain] = true
}

// wasWritten reports whether domain received content in this process.
func (g *uploadGate) wasWritten(domain string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.written[domain]
}

// forgetWritten forgets which domains received content: a new operation begins.
func (g *uploadGate) forgetWritten() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.written = map[string]bool{}
}
