package review

import (
	"sort"
	"strings"
	"unicode"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// opKind is one step of a sequence diff.
type opKind int

const (
	opSame opKind = iota
	opDel
	opIns
)

type op struct {
	kind opKind
	s    string
}

// maxDiffCells bounds the work of one diff; a longer pair is shown as removed and added whole.
const maxDiffCells = 1 << 20

// diffSeq is a longest-common-subsequence diff of a and b. Runs of deletions come before the
// insertions that replace them.
func diffSeq(a, b []string) []op {
	if len(a)*len(b) > maxDiffCells {
		ops := make([]op, 0, len(a)+len(b))
		for _, s := range a {
			ops = append(ops, op{opDel, s})
		}
		for _, s := range b {
			ops = append(ops, op{opIns, s})
		}
		return ops
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{opSame, a[i]})
			i++
			j++
		case j == len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{opDel, a[i]})
			i++
		default:
			ops = append(ops, op{opIns, b[j]})
			j++
		}
	}
	return ops
}

// words splits s into words and the runs of spaces and punctuation between them, so that joining
// the pieces gives s back.
func words(s string) []string {
	var out []string
	start := 0
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return 0
		case unicode.IsSpace(r):
			return 1
		default:
			return 2
		}
	}
	prev := -1
	for i, r := range s {
		c := class(r)
		// punctuation is a token of its own, one character each
		if i > start && (c != prev || c == 2) {
			out = append(out, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// wordDiff diffs two texts word by word. It reports ok only when the texts share enough words
// for an inline diff to read better than the two texts one above the other.
func wordDiff(a, b string) (ops []op, ok bool) {
	ops = diffSeq(words(a), words(b))
	same, total := 0, 0
	for _, o := range ops {
		if strings.TrimSpace(o.s) == "" {
			continue
		}
		total++
		if o.kind == opSame {
			same++
		}
	}
	return ops, total > 0 && same*2 >= total
}

// nodeList returns the nodes of m sorted by name.
func nodeList(m map[string]*node) []*node {
	out := make([]*node, 0, len(m))
	for _, n := range m {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// rename pairs a removed node with an added one that shares most of its user says.
//
// The pair is a rename (kept) when the added node asks every question the removed one asked, by
// the content rules' notion of the same user says (faqcsv.Key): all of the old node's user says
// are known, not sensitive, and each is among the new node's. The new node may ask more questions
// and its answers may differ (shown as edits). A rename is what the editor did, but in Haptik it
// is still a deactivation and an addition, since nodes are keyed by name: the apply deactivates
// the old name and adds the new one. Any other pair is only a likely rename: some of the old
// node's questions stop being answered.
type rename struct {
	from, to *node
	shared   int
	kept     bool
}

// keepsQuestions reports whether to asks every question from asks (see rename).
func keepsQuestions(from, to *node) bool {
	qs := knownQuestions(from)
	if len(qs) == 0 || len(qs) != distinctQuestions(from) {
		return false
	}
	still := knownQuestions(to)
	for q := range qs {
		if !still[q] {
			return false
		}
	}
	return true
}

// distinctQuestions is how many distinct user says n has, counting each unknown or sensitive one
// as distinct, so that keepsQuestions sees when some cannot be compared.
func distinctQuestions(n *node) int {
	seen := map[string]bool{}
	hidden := 0
	for _, v := range n.userSays.vals {
		if v.unknown || v.sensitive {
			hidden++
			continue
		}
		seen[questionKey(v.s)] = true
	}
	return len(seen) + hidden
}

// questionKey is the form in which two user says count as the same, as the content rules define it.
func questionKey(s string) string { return faqcsv.Key(s) }

// knownQuestions is the set of a node's user says that can be compared (known, not sensitive).
func knownQuestions(n *node) map[string]bool {
	if n.unknown || n.sensitive || n.userSays.unknown || n.userSays.sensitive {
		return nil
	}
	qs := map[string]bool{}
	for _, v := range n.userSays.vals {
		if !v.unknown && !v.sensitive {
			qs[questionKey(v.s)] = true
		}
	}
	return qs
}

// findRenames pairs removed and added nodes that share at least half of each one's user says,
// best matches first, each node in at most one pair.
func findRenames(removed, added []*node) []rename {
	index := map[string][]int{} // question → added nodes asking it
	addedQs := make([]map[string]bool, len(added))
	for i, n := range added {
		addedQs[i] = knownQuestions(n)
		for q := range addedQs[i] {
			index[q] = append(index[q], i)
		}
	}
	type cand struct {
		r, a, shared int
		score        float64
	}
	var cands []cand
	for ri, n := range removed {
		qs := knownQuestions(n)
		shared := map[int]int{}
		for q := range qs {
			for _, ai := range index[q] {
				shared[ai]++
			}
		}
		for ai, s := range shared {
			if s*2 >= len(qs) && s*2 >= len(addedQs[ai]) {
				cands = append(cands, cand{ri, ai, s, float64(s) / float64(len(qs)+len(addedQs[ai]))})
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		if cands[i].r != cands[j].r {
			return cands[i].r < cands[j].r
		}
		return cands[i].a < cands[j].a
	})
	usedR, usedA := map[int]bool{}, map[int]bool{}
	var out []rename
	for _, c := range cands {
		if usedR[c.r] || usedA[c.a] {
			continue
		}
		usedR[c.r], usedA[c.a] = true, true
		from, to := removed[c.r], added[c.a]
		out = append(out, rename{from: from, to: to, shared: c.shared, kept: keepsQuestions(from, to)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from.name < out[j].from.name })
	return out
}
