package faqmatch

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The evaluation (make bench): go test ./internal/faqmatch -run '^TestEvaluation$' -eval
// -eval-out FILE. -tune prints the search on training and validation data that chose
// DefaultOptions and Floor.
var (
	evalFlag = flag.Bool("eval", false, "run the full evaluation on HINT3 and CLINC150")
	evalOut  = flag.String("eval-out", "", "write the evaluation's Markdown to this file")
	tuneFlag = flag.Bool("tune", false, "print the parameter search on training and validation data")
)

// noNode is HINT3's label for a question no node answers; CLINC150's out-of-scope rows get it too.
const noNode = "NO_NODES_DETECTED"

type row struct{ text, label string }

func readCSV(t testing.TB, path string) []row {
	f, err := os.Open(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(path, err)
	}
	var rows []row
	for _, rec := range recs[1:] {
		rows = append(rows, row{rec[0], rec[1]})
	}
	return rows
}

type clinc struct{ train, val, test []row }

func readCLINC(t testing.TB) clinc {
	b, err := os.ReadFile("testdata/clinc150/data_full.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string][][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	conv := func(parts ...string) []row {
		var rows []row
		for _, p := range parts {
			for _, r := range raw[p] {
				label := r[1]
				if strings.HasPrefix(p, "oos") {
					label = noNode
				}
				rows = append(rows, row{r[0], label})
			}
		}
		return rows
	}
	return clinc{train: conv("train"), val: conv("val", "oos_val"), test: conv("test", "oos_test")}
}

// pick chooses k training rows per label (all when k is 0) in the order of a hash of the
// sentence: deterministic, and independent of the file's order. It returns the nodes and the
// rows not chosen.
func pick(train []row, k int) ([]Node, []row) {
	byLabel := map[string][]row{}
	for _, r := range train {
		byLabel[r.label] = append(byLabel[r.label], r)
	}
	h := func(s string) uint64 { f := fnv.New64a(); f.Write([]byte(s)); return f.Sum64() }
	var nodes []Node
	var rest []row
	for label, rows := range byLabel {
		slices.SortStableFunc(rows, func(a, b row) int {
			ha, hb := h(a.text), h(b.text)
			switch {
			case ha < hb:
				return -1
			case ha > hb:
				return 1
			}
			return 0
		})
		n := Node{Name: label}
		for i, r := range rows {
			if k == 0 || i < k {
				n.UserSays = append(n.UserSays, r.text)
			} else {
				rest = append(rest, r)
			}
		}
		nodes = append(nodes, n)
	}
	slices.SortFunc(nodes, func(a, b Node) int { return strings.Compare(a.Name, b.Name) })
	return nodes, rest
}

// scores is what one index made of one question set.
type scores struct {
	inScope, correct   int // in-scope questions, and those whose top node is right
	outScope, rejected int // out-of-scope questions, and those below Floor
	accepted           int // in-scope questions at or above Floor
	top                []string
}

func evaluate(ix *Index, qs []row) scores {
	var s scores
	for _, q := range qs {
		r := ix.Rank(q.text, 1)
		best, score := "", 0.0
		if len(r) > 0 {
			best, score = r[0].Node, r[0].Score
		}
		if score >= Floor {
			s.top = append(s.top, best)
		} else {
			s.top = append(s.top, noNode)
		}
		if q.label == noNode {
			s.outScope++
			if score < Floor {
				s.rejected++
			}
			continue
		}
		s.inScope++
		if best == q.label {
			s.correct++
		}
		if score >= Floor {
			s.accepted++
		}
	}
	return s
}

func (s scores) acc() float64 { return float64(s.correct) / float64(max(1, s.inScope)) }

type dataset struct {
	name        string
	train, test []row
	dev         []row // validation questions (CLINC150), or nil: the unchosen training rows are used
}

func datasets(t testing.TB) []dataset {
	var ds []dataset
	for _, bot := range []string{"sofmattress", "curekart", "powerplay11"} {
		ds = append(ds, dataset{name: "HINT3 " + bot,
			train: readCSV(t, "hint3/dataset/v2/train/"+bot+"_train.csv"),
			test:  readCSV(t, "hint3/dataset/v2/test/"+bot+"_test.csv")})
	}
	c := readCLINC(t)
	return append(ds, dataset{name: "CLINC150", train: c.train, test: c.test, dev: c.val})
}

// config is one row of the ablation.
type config struct {
	name string
	opts Options
}

func configs() []config {
	d := DefaultOptions()
	norm := Options{K1: d.K1, B: d.B}
	stem := norm
	stem.Stem = true
	grams := stem
	grams.GramSize, grams.GramWeight = d.GramSize, d.GramWeight
	noStem, noGrams := d, d
	noStem.Stem = false
	noGrams.GramSize = 0
	return []config{
		{"BM25 baseline (lower-cased, split at spaces, per user says)", BaselineOptions()},
		{"+ normalisation (faqcsv.Key) and Unicode word/bigram tokens", norm},
		{"+ light stemming", stem},
		{"+ character 4-grams", grams},
		// The matcher without its node-level score is the row above.
		{"+ node-level score (= the matcher)", d},
		{"matcher without stemming", noStem},
		{"matcher without character 4-grams", noGrams},
	}
}

// TestEvaluation is the evaluation make bench runs: top-1 accuracy on the official test splits
// for K = 5, 10 and all user says per intent, each ingredient's part, the scores of
// out-of-scope questions against Floor, and agreement with Haptik's own predictions.
func TestEvaluation(t *testing.T) {
	if !*evalFlag {
		t.Skip("the full evaluation runs with -eval (make bench)")
	}
	ds := datasets(t)
	ks := []int{5, 10, 0}
	kName := func(k int) string {
		if k == 0 {
			return "all"
		}
		return fmt.Sprint(k)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Matching: which node a question reaches\n\n")
	fmt.Fprintf(&b, "`make bench` (`go test ./internal/faqmatch -run '^TestEvaluation$' -eval`). Top-1 accuracy on the\n"+
		"official test splits, in-scope questions only; K user says per intent (chosen by a hash of the sentence from\n"+
		"the train split) become the nodes. Data and licenses: `internal/faqmatch/testdata/README.md`. Parameters\n"+
		"(`DefaultOptions`, `Floor` = %.2f) were chosen on training rows not used as nodes and on CLINC150's\n"+
		"validation split (`-tune`), never on a test split.\n\n", Floor)
	cs := configs()
	fmt.Fprintf(&b, "| configuration |")
	for _, d := range ds {
		for _, k := range ks {
			fmt.Fprintf(&b, " %s K=%s |", strings.TrimPrefix(d.name, "HINT3 "), kName(k))
		}
	}
	fmt.Fprintf(&b, " mean |\n|---|")
	for range len(ds) * len(ks) {
		b.WriteString("---:|")
	}
	b.WriteString("---:|\n")
	oos := map[string]scores{}
	means := make([]float64, len(cs))
	for ci, c := range cs {
		fmt.Fprintf(&b, "| %s |", c.name)
		sum, n := 0.0, 0
		for _, d := range ds {
			for _, k := range ks {
				nodes, _ := pick(d.train, k)
				s := evaluate(NewWith(nodes, c.opts), d.test)
				fmt.Fprintf(&b, " %.1f |", 100*s.acc())
				sum += s.acc()
				n++
				if c.opts == DefaultOptions() {
					oos[d.name+" K="+kName(k)] = s
				}
			}
		}
		fmt.Fprintf(&b, " %.1f |\n", 100*sum/float64(n))
		means[ci] = 100 * sum / float64(n)
	}
	// What each ingredient adds: in the order of the table, and given all the others (the matcher
	// against the matcher without it). Rows: 0 baseline, 1 normalisation, 2 stemming, 3 n-grams,
	// 4 node-level (the matcher), 5 without stemming, 6 without n-grams.
	fmt.Fprintf(&b, "\nWhat each ingredient adds to the mean top-1 accuracy, added in the table's order / removed from the "+
		"finished matcher: normalisation and Unicode tokens %+.1f points; light stemming %+.1f / %+.1f; character "+
		"4-grams %+.1f / %+.1f; the node-level score %+.1f / %+.1f. In all, %+.1f points over plain BM25. An ingredient "+
		"can cost on one test set what it gains on others (compare the columns).\n",
		means[1]-means[0], means[2]-means[1], means[4]-means[5], means[3]-means[2], means[4]-means[6],
		means[4]-means[3], means[4]-means[3], means[4]-means[0])
	fmt.Fprintf(&b, "\n## Questions no node answers, against the floor\n\n"+
		"The matcher's score is 0 to 1 (the share of the question's weight the node matches); a question whose best\n"+
		"node scores below `Floor` (%.2f) reaches no node (`faq_match` returns a null node). Out-of-scope questions are\n"+
		"HINT3's `NO_NODES_DETECTED` rows and CLINC150's `oos_test`.\n\n"+
		"| test set | out-of-scope questions | below the floor | in-scope questions at or above the floor |\n|---|---:|---:|---:|\n", Floor)
	for _, d := range ds {
		for _, k := range ks {
			s := oos[d.name+" K="+kName(k)]
			fmt.Fprintf(&b, "| %s K=%s | %d | %.1f%% | %.1f%% |\n", d.name, kName(k), s.outScope,
				100*float64(s.rejected)/float64(max(1, s.outScope)), 100*float64(s.accepted)/float64(max(1, s.inScope)))
		}
	}
	fmt.Fprintf(&b, "\n## Agreement with Haptik\n\n"+
		"HINT3 publishes Haptik's own platform's predictions on its v1 test sets (`preds/haptik_*.csv`). Here the\n"+
		"nodes are every v1 training row, and a question below the floor counts as `NO_NODES_DETECTED`, as\n"+
		"Haptik's does.\n\n"+
		"| bot | questions | matcher's top-1 = Haptik's | Haptik correct | matcher correct | Haptik correct, in scope | matcher correct, in scope |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, bot := range []string{"sofmattress", "curekart", "powerplay11"} {
		nodes, _ := pick(readCSV(t, "hint3/dataset/v1/train/"+bot+"_train.csv"), 0)
		ix := New(nodes)
		preds := readPredictions(t, bot)
		agree, hCorrect, mCorrect, inScope, hIn, mIn := 0, 0, 0, 0, 0, 0
		for _, p := range preds {
			r := ix.Match(p.text)
			ours := r.Node
			if ours == "" {
				ours = noNode
			}
			if ours == p.predicted {
				agree++
			}
			if p.predicted == p.label {
				hCorrect++
			}
			if ours == p.label {
				mCorrect++
			}
			if p.label != noNode {
				inScope++
				if p.predicted == p.label {
					hIn++
				}
				if ours == p.label {
					mIn++
				}
			}
		}
		pc := func(a, n int) string { return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(max(1, n))) }
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", bot, len(preds), pc(agree, len(preds)),
			pc(hCorrect, len(preds)), pc(mCorrect, len(preds)), pc(hIn, inScope), pc(mIn, inScope))
	}
	t.Log("\n" + b.String())
	if *evalOut != "" {
		if err := os.WriteFile(*evalOut, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type prediction struct{ text, label, predicted string }

func readPredictions(t testing.TB, bot string) []prediction {
	f, err := os.Open("testdata/hint3/preds/haptik_" + bot + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ps []prediction
	for _, rec := range recs[1:] {
		ps = append(ps, prediction{rec[0], rec[1], rec[2]})
	}
	return ps
}

// TestTune prints the search that chose DefaultOptions and Floor, on development questions
// only: the training rows not used as nodes (HINT3, K = 5 and 10) and CLINC150's validation split.
func TestTune(t *testing.T) {
	if !*tuneFlag {
		t.Skip("the parameter search runs with -tune")
	}
	ds := datasets(t)
	devAcc := func(o Options) (float64, []scores) {
		sum, n := 0.0, 0
		var all []scores
		for _, d := range ds {
			for _, k := range []int{5, 10} {
				nodes, rest := pick(d.train, k)
				dev := rest
				if d.dev != nil {
					dev = d.dev
				}
				s := evaluate(NewWith(nodes, o), dev)
				all = append(all, s)
				sum += s.acc()
				n++
			}
		}
		return sum / float64(n), all
	}
	base := DefaultOptions()
	try := func(name string, mut func(*Options)) {
		o := base
		mut(&o)
		a, _ := devAcc(o)
		t.Logf("%-28s dev mean top-1 %.2f%%", name, 100*a)
	}
	try("default", func(*Options) {})
	for _, k1 := range []float64{0.9, 1.5} {
		try(fmt.Sprintf("k1=%.1f", k1), func(o *Options) { o.K1 = k1 })
	}
	for _, bb := range []float64{0.5, 0.9} {
		try(fmt.Sprintf("b=%.2f", bb), func(o *Options) { o.B = bb })
	}
	for _, n := range []int{2, 4} {
		try(fmt.Sprintf("gram size %d", n), func(o *Options) { o.GramSize = n })
	}
	for _, w := range []float64{0.5, 1.5} {
		try(fmt.Sprintf("gram weight %.2f", w), func(o *Options) { o.GramWeight = w })
	}
	for _, w := range []float64{0.3, 0.7} {
		try(fmt.Sprintf("node weight %.2f", w), func(o *Options) { o.NodeWeight = w })
	}
	// The floor: on CLINC150's validation split, the share of out-of-scope questions below it and
	// of in-scope questions at or above it.
	c := readCLINC(t)
	for _, k := range []int{5, 10, 0} {
		nodes, _ := pick(c.train, k)
		ix := New(nodes)
		var in, out []float64
		for _, q := range c.val {
			r := ix.Rank(q.text, 1)
			s := 0.0
			if len(r) > 0 {
				s = r[0].Score
			}
			if q.label == noNode {
				out = append(out, s)
			} else {
				in = append(in, s)
			}
		}
		for _, f := range []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5} {
			below := func(xs []float64) float64 {
				n := 0
				for _, x := range xs {
					if x < f {
						n++
					}
				}
				return float64(n) / float64(len(xs))
			}
			t.Logf("CLINC150 val K=%d floor %.2f: out-of-scope below %.1f%%, in-scope at or above %.1f%%", k, f,
				100*below(out), 100*(1-below(in)))
		}
	}
}

// TestCompetingOnData prints how many pairs of user says in different intents the
// competing-questions check finds at each threshold on the training splits, with examples: the
// measurement behind faqdomain's default threshold.
func TestCompetingOnData(t *testing.T) {
	if !*tuneFlag && !*evalFlag {
		t.Skip("runs with -tune or -eval")
	}
	ds := datasets(t)
	for _, d := range ds {
		nodes, _ := pick(d.train, 0)
		in := says(nodes...)
		for _, th := range []float64{0.6, 0.7, 0.8, 0.9} {
			ps := Competing(in, th)
			ex := ""
			if len(ps) > 0 {
				p := ps[len(ps)/2]
				ex = fmt.Sprintf("e.g. %q (%s) / %q (%s) %.2f", p.A.Text, p.A.Node, p.B.Text, p.B.Node, p.Similarity)
			}
			t.Logf("%s (%d user says, %d intents) threshold %.1f: %d pairs %s", d.name, len(in), len(nodes), th, len(ps), ex)
		}
	}
}
