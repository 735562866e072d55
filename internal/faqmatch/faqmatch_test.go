package faqmatch

import (
	"slices"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

func TestWords(t *testing.T) {
	tok := &tokenizer{opts: DefaultOptions()}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"How do I CANCEL my orders?", []string{"how", "do", "i", "cancel", "my", "order"}},
		{"Can't log\u200b in, stopped", []string{"cant", "log", "in", "stop"}},
		{"STRASSE Straße", []string{"strasse", "strasse"}},
		// Hindi: words with their vowel signs (marks) kept inside the word.
		{"मेरा ऑर्डर कहाँ है?", []string{"मेरा", "ऑर्डर", "कहाँ", "है"}},
		// Arabic.
		{"أين طلبي؟", []string{"أين", "طلبي"}},
		// Chinese and Japanese have no spaces: character bigrams.
		{"如何退款", []string{"如何", "何退", "退款"}},
		{"パスワードを忘れた", []string{"パス", "スワ", "ワー", "ード", "ドを", "を忘", "忘れ", "れた"}},
		{"reset 密码", []string{"reset", "密码"}},
	} {
		if got := tok.words(c.in); !slices.Equal(got, c.want) {
			t.Errorf("words(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	plain := &tokenizer{opts: BaselineOptions()}
	if got := plain.words("How do I CANCEL?"); !slices.Equal(got, []string{"how", "do", "i", "cancel?"}) {
		t.Errorf("baseline words = %q", got)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"orders": "order", "shipped": "ship", "stopping": "stop", "policies": "policy",
		"address": "address", "status": "status", "boxes": "box", "calling": "call", "pin": "pin",
	} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

var sample = []Node{
	{"reset_password", []string{"How do I reset my password?", "forgot my password", "change password"}},
	{"cancel_order", []string{"cancel my order", "how do I cancel an order", "stop my order"}},
	{"refunds", []string{"when do I get my refund", "refund status", "money back"}},
	{"hindi_order", []string{"मेरा ऑर्डर कहाँ है", "ऑर्डर की स्थिति"}},
	{"chinese_refund", []string{"如何退款", "退款多久到账"}},
}

func TestMatch(t *testing.T) {
	ix := New(sample)
	for q, want := range map[string]string{
		"I forgot my pasword": "reset_password", // a typo: character n-grams
		"stopping orders":     "cancel_order",   // inflections: stemming
		"REFUND STATUS":       "refunds",
		"मेरे ऑर्डर की स्थिति क्या है": "hindi_order",
		"退款":                             "chinese_refund",
		"what is the weather on jupiter": "",
	} {
		r := ix.Match(q)
		if r.Node != want {
			t.Errorf("Match(%q) = %+v, want node %q", q, r, want)
		}
		if r.Node != "" && (r.Score < Floor || r.Score > 1 || (r.RunnerUp != "" && r.RunnerUpScore > r.Score)) {
			t.Errorf("Match(%q) scores out of order: %+v", q, r)
		}
	}
	if r := ix.Match("How do I reset my password?"); r.Node != "reset_password" || r.Score < 0.8 {
		t.Errorf("a node's own user says: %+v", r)
	}
	if r := ix.Match("what is my favorite color"); r.Node != "" || r.Score <= 0 || r.Score >= Floor {
		t.Errorf("a question below the floor keeps its best score: %+v", r)
	}
	if r := ix.Match(""); r != (Result{}) {
		t.Errorf("empty question: %+v", r)
	}
	if r := New(nil).Match("anything"); r != (Result{}) {
		t.Errorf("no nodes: %+v", r)
	}
}

// The ranking depends on nothing but the nodes and the question: not on the nodes' order, and
// ties go to the earlier name.
func TestRankDeterministic(t *testing.T) {
	rev := slices.Clone(sample)
	slices.Reverse(rev)
	a, b := New(sample).Rank("my order money", 0), New(rev).Rank("my order money", 0)
	if !slices.Equal(a, b) || len(a) < 2 {
		t.Fatalf("rank differs with node order:\n%v\n%v", a, b)
	}
	tie := New([]Node{{"b", []string{"same words"}}, {"a", []string{"same words"}}}).Rank("same words", 0)
	if len(tie) != 2 || tie[0].Node != "a" || tie[0].Score != tie[1].Score {
		t.Fatalf("tie: %v", tie)
	}
	if got := New(sample).Rank("order", 1); len(got) != 1 {
		t.Fatalf("limit 1: %v", got)
	}
}

// TestEvaluationSmall is the evaluation's check in make test: on HINT3's SOFMattress bot, the
// matcher beats plain BM25 by the margin the full evaluation reports.
func TestEvaluationSmall(t *testing.T) {
	train := readCSV(t, "hint3/dataset/v2/train/sofmattress_train.csv")
	test := readCSV(t, "hint3/dataset/v2/test/sofmattress_test.csv")
	nodes, _ := pick(train, 0)
	base := evaluate(NewWith(nodes, BaselineOptions()), test)
	ours := evaluate(New(nodes), test)
	t.Logf("SOFMattress K=all: baseline %.1f%%, matcher %.1f%% of %d in-scope questions", 100*base.acc(), 100*ours.acc(), ours.inScope)
	if ours.acc() < 0.70 || ours.acc() < base.acc()+0.15 {
		t.Errorf("matcher %.3f, baseline %.3f: want at least 0.70 and 15 points above the baseline", ours.acc(), base.acc())
	}
}

// BenchmarkMatch: building the index of a 10,000-node domain, and one question against it.
func BenchmarkMatch(b *testing.B) {
	var nodes []Node
	for _, n := range faqcsv.QuestionNodes(10_000) {
		nodes = append(nodes, Node{n.Name, n.UserSays})
	}
	b.Run("New/nodes=10000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			New(nodes)
		}
	})
	ix := New(nodes)
	qs := []string{"how can i cancel my kazo subscription", "I forgot the pasword of my nebemex account", "where is my refund"}
	b.Run("Match/nodes=10000", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			ix.Match(qs[i%len(qs)])
			i++
		}
	})
}
