package faqcsv

import (
	"slices"
	"testing"
)

// TestQuestionNodes checks what the benchmarks rely on: valid content with no shared user says,
// the same every time, and nodes that share words (so a check across nodes has work to do).
func TestQuestionNodes(t *testing.T) {
	nodes := QuestionNodes(2_000)
	if ps := ValidateAll(nodes); len(ps) > 0 {
		t.Fatalf("QuestionNodes(2000) breaks a content rule: %+v", ps[0])
	}
	if again := QuestionNodes(2_000); !slices.EqualFunc(nodes, again, func(a, b Node) bool {
		return a.Name == b.Name && slices.Equal(a.UserSays, b.UserSays) && slices.Equal(a.BotSays, b.BotSays)
	}) {
		t.Fatal("QuestionNodes is not deterministic")
	}
	if nodes[0].UserSays[0] != "how do i cancel my ka account" || len(nodes[1999].UserSays) != 3 {
		t.Fatalf("unexpected sample: %q", nodes[0].UserSays)
	}
}
