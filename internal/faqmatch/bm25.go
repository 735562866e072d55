package faqmatch

import (
	"math"
	"slices"
)

// field is one BM25 field: a vocabulary and a posting list per term over numbered documents.
type field struct {
	k1, b    float64
	vocab    map[string]int32
	postings [][]posting
	docLen   []float64
	avgLen   float64
	// lenNorm is each document's k1 × (1 − b + b × length / average length), BM25's denominator
	// less the term frequency.
	lenNorm []float64
	// idf is each term's inverse document frequency; unseen is that of a term no document has.
	idf    []float64
	unseen float64
	counts map[int32]uint16 // scratch for add
}

type posting struct {
	doc int32
	tf  uint16
}

func newField(o Options) *field {
	return &field{k1: o.K1, b: o.B, vocab: map[string]int32{}, counts: map[int32]uint16{}}
}

// add adds the next document, holding terms.
func (f *field) add(terms []string) {
	doc := int32(len(f.docLen))
	f.docLen = append(f.docLen, float64(len(terms)))
	clear(f.counts)
	for _, t := range terms {
		id, ok := f.vocab[t]
		if !ok {
			id = int32(len(f.postings))
			f.vocab[t] = id
			f.postings = append(f.postings, nil)
		}
		f.counts[id]++
	}
	ids := make([]int32, 0, len(f.counts))
	for id := range f.counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		f.postings[id] = append(f.postings[id], posting{doc, f.counts[id]})
	}
}

// finish computes the statistics once every document is added.
func (f *field) finish() {
	n := float64(len(f.docLen))
	total := 0.0
	for _, l := range f.docLen {
		total += l
	}
	if n > 0 {
		f.avgLen = total / n
	}
	if f.avgLen == 0 {
		f.avgLen = 1
	}
	f.lenNorm = make([]float64, len(f.docLen))
	for d, l := range f.docLen {
		f.lenNorm[d] = f.k1 * (1 - f.b + f.b*l/f.avgLen)
	}
	f.idf = make([]float64, len(f.postings))
	for id, ps := range f.postings {
		f.idf[id] = bm25IDF(n, float64(len(ps)))
	}
	f.unseen = bm25IDF(n, 0)
	f.counts = nil
}

func bm25IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// distinct returns terms without repeats, in first-seen order.
func distinct(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := terms[:0:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// score adds weight times each document's BM25 score for the distinct terms of a query to
// scores, and returns docs extended by the documents it touched first.
func (f *field) score(terms []string, scores []float64, docs []int32, weight float64) []int32 {
	if weight == 0 {
		return docs
	}
	for _, t := range distinct(terms) {
		id, ok := f.vocab[t]
		if !ok {
			continue
		}
		idf := f.idf[id]
		for _, p := range f.postings[id] {
			tf := float64(p.tf)
			s := idf * tf * (f.k1 + 1) / (tf + f.lenNorm[p.doc])
			if scores[p.doc] == 0 {
				docs = append(docs, p.doc)
			}
			scores[p.doc] += weight * s
		}
	}
	return docs
}

// idfSum is the sum of the idf of the query's distinct terms, counting terms no document has at
// the highest idf: a document holding each term once at average length scores about this much,
// so a score divided by it reads as the share of the question the document matches.
func (f *field) idfSum(terms []string) float64 {
	sum := 0.0
	for _, t := range distinct(terms) {
		if id, ok := f.vocab[t]; ok {
			sum += f.idf[id]
		} else {
			sum += f.unseen
		}
	}
	return sum
}
