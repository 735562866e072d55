package faqupload

import (
	"context"
	"sync"
)

// Gate serializes uploads per domain and caps how many run at once in this provider
// process. An upload holds its place from the request until Haptik's task is confirmed, so two
// resources naming one domain (or a replacement) never interleave their uploads, and a large
// -parallelism does not flood Haptik. It lives as long as the provider process: operations come and go, the domains' locks stay.
type Gate struct {
	slots chan struct{}

	mu      sync.Mutex
	domains map[string]chan struct{}
}

// NewGate is a gate letting maxConcurrent uploads run at once.
func NewGate(maxConcurrent int) *Gate {
	return &Gate{slots: make(chan struct{}, maxConcurrent), domains: map[string]chan struct{}{}}
}

// acquire waits for the domain's turn and a free slot, or for ctx to end. The returned function
// gives both back.
func (g *Gate) acquire(ctx context.Context, domain string) (func(), error) {
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
