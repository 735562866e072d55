package provider

import (
	"context"
	"testing"
)

// The validator's descriptions are what documentation tools and the framework show for the range.
func TestWholeNumberDescriptions(t *testing.T) {
	ctx := context.Background()
	const want = "value must be a whole number from 5 to 10"
	if got := handoffCountdown.Description(ctx); got != want {
		t.Errorf("Description = %q, want %q", got, want)
	}
	if got := handoffCountdown.MarkdownDescription(ctx); got != want {
		t.Errorf("MarkdownDescription = %q, want %q", got, want)
	}
	if got := transcriptLimit.Description(ctx); got != "value must be a whole number from 1 to 9223372036854775807" {
		t.Errorf("atLeast(1): %q", got)
	}
}
