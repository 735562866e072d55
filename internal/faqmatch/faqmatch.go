// Package faqmatch ranks a domain's FAQ nodes for a customer's question by the words they share
// with each node's user says: BM25 retrieval over the user says, with text normalised as the
// content rules normalise it (faqcsv.Key), words where the script has them and character bigrams
// where it does not (Chinese, Japanese, Thai, ...), light English stemming, character n-grams for
// misspellings, and a node-level score over all of a node's user says.
//
// It approximates which node Haptik's language model would pick, so that a content change can
// be tested offline, in a pull request. It is not Haptik's model: Haptik understands synonyms
// and paraphrases that share no words, weighs context and the bot's other settings, and is
// retrained by Haptik. Use its answers as a regression signal, never as a promise of what a
// live bot will reply. Everything is deterministic: the same nodes and question always give the
// same ranking, on every machine.
package faqmatch

import (
	"math"
	"slices"
	"strings"
)

// Node is one FAQ node as the matcher sees it: its name and its user says.
type Node struct {
	Name     string
	UserSays []string
}

// Floor is the score a node needs to be matched at all; below it a question reaches no node. It
// was chosen on CLINC150's validation split (in-scope and out-of-scope questions; see
// internal/cmd/haptik-bench/results/matching.md): most questions no node answers score below
// it, most questions a node answers above it.
const Floor = 0.35

// Options are the matcher's ingredients. DefaultOptions is what the provider uses; the others
// exist for the evaluation, which measures what each ingredient adds.
type Options struct {
	// Plain is the baseline: text lower-cased and split at white space, no other ingredient.
	Plain bool
	// Stem removes common English inflections from Latin-script words.
	Stem bool
	// GramSize is the length of the character n-grams added for each word (0: none), and
	// GramWeight their weight against whole words.
	GramSize   int
	GramWeight float64
	// NodeWeight is the weight of the node-level score (all of a node's user says as one text)
	// against the node's best single user says.
	NodeWeight float64
	// K1 and B are BM25's term saturation and length normalisation.
	K1, B float64
}

// DefaultOptions are the options the provider matches with, tuned on training and validation
// data only (see the evaluation).
func DefaultOptions() Options {
	return Options{Stem: true, GramSize: 4, GramWeight: 1, NodeWeight: 0.5, K1: 1.2, B: 0.9}
}

// BaselineOptions are plain BM25 over each user says: the baseline of the evaluation.
func BaselineOptions() Options { return Options{Plain: true, K1: 1.2, B: 0.75} }

// Index is the nodes of one domain, ready to rank nodes for questions. It is safe for concurrent
// use once built.
type Index struct {
	opts  Options
	names []string
	// sayNode maps each user says (a document of the says-level fields) to its node.
	sayNode []int32
	// says and nodes are the BM25 fields: words and n-grams, per user says and per node.
	sayWords, sayGrams, nodeWords, nodeGrams *field
}

// New indexes nodes with DefaultOptions.
func New(nodes []Node) *Index { return NewWith(nodes, DefaultOptions()) }

// NewWith indexes nodes with opts. Nodes are ranked by score, then by name.
func NewWith(nodes []Node, opts Options) *Index {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b Node) int { return strings.Compare(a.Name, b.Name) })
	ix := &Index{opts: opts, names: make([]string, len(sorted))}
	t := &tokenizer{opts: opts}
	ix.sayWords, ix.sayGrams, ix.nodeWords, ix.nodeGrams = newField(opts), newField(opts), newField(opts), newField(opts)
	var nodeW, nodeG, grams []string
	for i, n := range sorted {
		ix.names[i] = n.Name
		nodeW, nodeG = nodeW[:0], nodeG[:0]
		for _, s := range n.UserSays {
			ws := t.words(s)
			ix.sayNode = append(ix.sayNode, int32(i))
			ix.sayWords.add(ws)
			nodeW = append(nodeW, ws...)
			if opts.GramSize > 0 && !opts.Plain {
				grams = t.grams(ws, grams[:0])
				ix.sayGrams.add(grams)
				nodeG = append(nodeG, grams...)
			}
		}
		if opts.NodeWeight > 0 {
			ix.nodeWords.add(nodeW)
			ix.nodeGrams.add(nodeG)
		}
	}
	for _, f := range []*field{ix.sayWords, ix.sayGrams, ix.nodeWords, ix.nodeGrams} {
		f.finish()
	}
	return ix
}

// Scored is a node and its score for a question: from 0 (no word in common) to 1 (every word of
// the question, as often as an average user says holds it).
type Scored struct {
	Node  string
	Score float64
}

// Result is a question's best node and the runner-up with their scores. A node is empty when it
// scores below Floor (or no node shares a word with the question); its score is still given, to
// show how near it came.
type Result struct {
	Node          string
	Score         float64
	RunnerUp      string
	RunnerUpScore float64
}

// Match returns the best node for question and the runner-up; a node scoring below Floor is
// left empty.
func (ix *Index) Match(question string) Result {
	ranked := ix.Rank(question, 2)
	var r Result
	if len(ranked) > 0 {
		r.Score = ranked[0].Score
		if r.Score >= Floor {
			r.Node = ranked[0].Node
		}
	}
	if len(ranked) > 1 {
		r.RunnerUpScore = ranked[1].Score
		if r.RunnerUpScore >= Floor {
			r.RunnerUp = ranked[1].Node
		}
	}
	return r
}

// Rank returns the top nodes for question (at most limit; every node with a score above 0 when
// limit is 0 or less), best first, ties in name order.
func (ix *Index) Rank(question string, limit int) []Scored {
	t := &tokenizer{opts: ix.opts}
	words := slices.Clone(t.words(question))
	var grams []string
	if ix.opts.GramSize > 0 && !ix.opts.Plain {
		grams = t.grams(words, nil)
	}
	best := make([]float64, len(ix.names))
	touched := make([]int32, 0, 64)
	g := ix.opts.GramWeight
	if len(grams) == 0 {
		g = 0
	}

	says := make([]float64, len(ix.sayNode))
	sayDocs := ix.sayWords.score(words, says, nil, 1)
	sayDocs = ix.sayGrams.score(grams, says, sayDocs, g)
	norm := ix.sayWords.idfSum(words) + g*ix.sayGrams.idfSum(grams)
	if norm == 0 {
		return nil
	}
	a := ix.opts.NodeWeight
	for _, d := range sayDocs {
		n := ix.sayNode[d]
		s := math.Min(1, says[d]/norm) * (1 - a)
		if best[n] == 0 {
			touched = append(touched, n)
		}
		best[n] = math.Max(best[n], s)
	}
	if a > 0 {
		nodes := make([]float64, len(ix.names))
		nodeDocs := ix.nodeWords.score(words, nodes, nil, 1)
		nodeDocs = ix.nodeGrams.score(grams, nodes, nodeDocs, g)
		if nnorm := ix.nodeWords.idfSum(words) + g*ix.nodeGrams.idfSum(grams); nnorm > 0 {
			for _, n := range nodeDocs {
				if best[n] == 0 {
					touched = append(touched, n)
				}
				best[n] += a * math.Min(1, nodes[n]/nnorm)
			}
		}
	}
	out := make([]Scored, 0, len(touched))
	for _, n := range touched {
		if best[n] > 0 {
			out = append(out, Scored{ix.names[n], best[n]})
		}
	}
	slices.SortFunc(out, func(x, y Scored) int {
		if x.Score != y.Score {
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Node, y.Node)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
