package faqmatch

import (
	"fmt"
	"math/rand/v2"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"testing"
)

func says(nodes ...Node) []Say {
	var out []Say
	for _, n := range nodes {
		for i, s := range n.UserSays {
			out = append(out, Say{n.Name, i, s})
		}
	}
	return out
}

func TestCompeting(t *testing.T) {
	in := says(
		Node{"a", []string{"How do I reset my password?", "reset my pin", "totally unrelated words here"}},
		Node{"b", []string{"change my address", "how can I reset my password", "RESET MY PIN"}},
		Node{"c", []string{"how do i reset my password please", "where is my order"}},
		Node{"d", []string{"where is my parcel"}},
	)
	got := Competing(in, 0.5)
	var lines []string
	for _, p := range got {
		lines = append(lines, fmt.Sprintf("%s[%d] %s[%d] %.2f", p.A.Node, p.A.Index, p.B.Node, p.B.Index, p.Similarity))
	}
	want := []string{"a[0] b[1] 0.60", "a[0] c[0] 0.77"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("Competing = %v, want %v (an exact duplicate, a[1] and b[2], is the content rules' to refuse)", lines, want)
	}
	if got := Competing(in, 0.8); len(got) != 0 {
		t.Errorf("threshold 0.8: %v", got)
	}
	if Competing(in, 0) != nil || Competing(in, 1.5) != nil {
		t.Error("an out-of-range threshold should find nothing")
	}
}

// TestCompetingMatchesAllPairs compares the search with the comparison of every pair on random
// domains small enough that no word list reaches its cap: the same pairs.
func TestCompetingMatchesAllPairs(t *testing.T) {
	words := []string{"how", "do", "i", "reset", "my", "password", "pin", "card", "cancel", "order", "where", "is", "refund", "the"}
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var nodes []Node
		for n := range 4 {
			node := Node{Name: fmt.Sprint("n", n)}
			for range 1 + r.IntN(2) {
				s := ""
				for w := range 2 + r.IntN(4) {
					if w > 0 {
						s += " "
					}
					s += words[r.IntN(len(words))]
				}
				node.UserSays = append(node.UserSays, s)
			}
			nodes = append(nodes, node)
		}
		in := says(nodes...)
		got := map[[2]string]bool{}
		for _, p := range Competing(in, 0.6) {
			got[[2]string{p.A.Text, p.B.Text}] = true
		}
		// Every pair, by brute force, with the same weights.
		want := map[[2]string]bool{}
		all := Competing(in, 1e-9)
		for _, p := range all {
			if p.Similarity >= 0.6 {
				want[[2]string{p.A.Text, p.B.Text}] = true
			}
		}
		if len(in) < postingCap && fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d: %v\nsearch %v\nall    %v", round, in, got, want)
		}
	}
}

// BenchmarkCompeting is the competing-questions check alone on faqcsv.QuestionNodes (3 user
// says a node), which BenchmarkPlanRPCs measures inside Validate.
func BenchmarkCompeting(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		var in []Say
		for _, node := range faqcsv.QuestionNodes(n) {
			for i, s := range node.UserSays {
				in = append(in, Say{node.Name, i, s})
			}
		}
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Competing(in, 0.8)
			}
		})
	}
}

// The competing check's fast path for ASCII reads the same words as the tokenizer.
func TestASCIIWordsAsTokenizer(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := "abcXYZ09 '\t-?.,\x01singed"
	tok := &tokenizer{opts: Options{Stem: true}}
	for range 5000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		var got []string
		asciiWords(s, nil, func(w []byte) { got = append(got, string(w)) })
		if want := tok.words(s); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%q: asciiWords %q, words %q", s, got, want)
		}
	}
}
