package faqmatch

import (
	"fmt"
	"testing"
)

// FuzzMatch: no text makes the matcher panic, scores stay within 0 and 1 with the best first, the
// same question always ranks the same, and the competing check's ASCII reader agrees with the
// tokenizer.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"How do I reset my password?", "मेरा ऑर्डर कहाँ है", "如何退款", "can't'", "'", "\u200b", "ÀÉ İ ß", ""} {
		f.Add(s, "reset password")
	}
	f.Fuzz(func(t *testing.T, say, question string) {
		ix := New([]Node{{"a", []string{say, "reset my password"}}, {"b", []string{say + " please"}}})
		r := ix.Rank(question, 0)
		for i, s := range r {
			if s.Score <= 0 || s.Score > 1 || (i > 0 && s.Score > r[i-1].Score) {
				t.Fatalf("rank %v", r)
			}
		}
		if fmt.Sprint(r) != fmt.Sprint(ix.Rank(question, 0)) {
			t.Fatal("the same question ranks differently")
		}
		Competing([]Say{{"a", 0, say}, {"b", 0, question}, {"c", 0, say + question}}, 0.5)
		if isLatin(say) {
			var got []string
			asciiWords(say, nil, func(w []byte) { got = append(got, string(w)) })
			if want := (&tokenizer{opts: Options{Stem: true}}).words(say); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%q: asciiWords %q, words %q", say, got, want)
			}
		}
	})
}
