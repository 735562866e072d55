package faqmatch

import (
	"math"
	"slices"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// Say is one user says and where it is: its node and its index in the node's list.
type Say struct {
	Node  string
	Index int
	Text  string
}

// Pair is two user says of different nodes that compete for the same questions, A before B in
// the order they were given.
type Pair struct {
	A, B       Say
	Similarity float64
}

// postingCap bounds each word's list in the competing-questions search. A word already in that
// many user says is as common as a stop word in this domain: it no longer leads the search to
// candidates (the rarer words of a user says do), which keeps the search linear in the number of
// user says however the words are spread.
const postingCap = 16

// Competing returns the pairs of user says in different nodes whose similarity is at least
// threshold (0 to 1), and that are not the same user says by faqcsv.Key (the content rules
// refuse those). Similarity is the weighted Jaccard similarity of the two user says' words
// (tokenised as the matcher does, with light stemming), each word weighted by its rarity among
// the given user says, ln(1 + N/df): two user says that differ only in common words ("how do i
// reset my password", "how can i reset my password") are near 1; two that differ in the word
// that matters ("reset my password", "reset my pin") are not. Pairs come in the order of their
// later user says, then of the earlier one.
//
// Candidates are found by prefix filtering over an inverted index (each user says is looked up
// only by its rarest words, as many as a pair above the threshold must share), with each word's
// list capped at postingCap, so the cost grows linearly with the number of user says, never with
// the number of pairs. The cap can miss a pair whose rare words are all among the most common of
// the domain; it never reports a pair below the threshold.
func Competing(says []Say, threshold float64) []Pair {
	if threshold <= 0 || threshold > 1 {
		return nil
	}
	t := &tokenizer{opts: Options{Stem: true}}
	vocab := make(map[string]uint32, len(says)/4)
	var df []int32
	// terms[start[i]:start[i+1]] are say i's distinct word ids.
	terms := make([]uint32, 0, 8*len(says))
	start := make([]int32, 1, len(says)+1)
	from := 0
	add := func(w []byte) {
		id, ok := vocab[string(w)] // no allocation for the lookup
		if !ok {
			id = uint32(len(df))
			vocab[string(w)] = id
			df = append(df, 0)
		}
		if !slices.Contains(terms[from:], id) {
			terms = append(terms, id)
			df[id]++
		}
	}
	var buf []byte
	for _, s := range says {
		from = len(terms)
		if isLatin(s.Text) {
			buf = asciiWords(s.Text, buf, add)
		} else {
			for _, w := range t.words(s.Text) {
				add([]byte(w))
			}
		}
		start = append(start, int32(len(terms)))
	}
	n := float64(len(says))
	weight := make([]float64, len(df))
	for id, d := range df {
		weight[id] = math.Log(1 + n/float64(d))
	}
	total := make([]float64, len(says))
	var order []uint64
	for i := range says {
		ts := terms[start[i]:start[i+1]]
		// Rarest first (ties by id, for a stable order), so a say's prefix is its rarest words.
		order = order[:0]
		for _, id := range ts {
			order = append(order, uint64(df[id])<<32|uint64(id))
			total[i] += weight[id]
		}
		slices.Sort(order)
		for k, o := range order {
			ts[k] = uint32(o)
		}
	}
	postings := make([][]int32, len(df))
	seen := make([]int32, len(says)) // seen[j] == i+1: j is already a candidate of i
	var pairs []Pair
	for i := range says {
		ts := terms[start[i]:start[i+1]]
		// The prefix: the rarest words until the rest weigh less than threshold × total. A pair at
		// or above the threshold shares a word in both prefixes.
		rest := total[i]
		for _, id := range ts {
			if rest < threshold*total[i] {
				break
			}
			list := postings[id]
			if len(list) >= postingCap {
				continue
			}
			rest -= weight[id]
			for _, j := range list {
				if seen[j] == int32(i+1) || says[j].Node == says[i].Node {
					continue
				}
				seen[j] = int32(i + 1)
				if total[j] < threshold*total[i] || total[i] < threshold*total[j] {
					continue
				}
				sim := weightedJaccard(terms[start[j]:start[j+1]], ts, weight, df, total[j], total[i])
				if sim >= threshold && faqcsv.Key(says[i].Text) != faqcsv.Key(says[j].Text) {
					pairs = append(pairs, Pair{A: says[j], B: says[i], Similarity: sim})
				}
			}
			postings[id] = append(list, int32(i))
		}
	}
	return pairs
}

// weightedJaccard is the weighted Jaccard similarity of two word lists sorted rarest first.
func weightedJaccard(a, b []uint32, weight []float64, df []int32, ta, tb float64) float64 {
	shared := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared += weight[a[i]]
			i++
			j++
		case df[a[i]] < df[b[j]] || (df[a[i]] == df[b[j]] && a[i] < b[j]):
			i++
		default:
			j++
		}
	}
	return shared / (ta + tb - shared)
}

// asciiWords calls add with each word term of ASCII text s, as tokenizer.words with stemming
// gives them, lower-cased into buf (which it returns, for reuse): the competing-questions check
// reads every user says of a domain, and most are ASCII.
func asciiWords(s string, buf []byte, add func([]byte)) []byte {
	lower := func(b byte) byte {
		if 'A' <= b && b <= 'Z' {
			return b + 'a' - 'A'
		}
		return b
	}
	isWord := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
	buf = buf[:0]
	flush := func() {
		if len(buf) > 0 {
			add(stemASCII(buf))
			buf = buf[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		switch b := lower(s[i]); {
		case isWord(b):
			buf = append(buf, b)
		case b == '\'' && len(buf) > 0 && i+1 < len(s) && isWord(lower(s[i+1])):
			// An apostrophe inside a word joins it.
		default:
			flush()
		}
	}
	flush()
	return buf
}
