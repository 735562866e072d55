package review

import (
	"fmt"
	"slices"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// nodeDiff lists what changed between two versions of a node, as sub-items: questions added and
// removed, answers edited (word by word where that reads better), added and removed.
func (f fmtr) nodeDiff(b, a *node) string {
	if b.unknown || a.unknown {
		return f.item(1, "Before: "+f.questions(b.userSays)+"; after: "+f.em("known after apply"))
	}
	var s strings.Builder
	s.WriteString(f.questionsDiff(b.userSays, a.userSays))
	s.WriteString(f.answersDiff(b.botSays, a.botSays))
	return s.String()
}

func (f fmtr) questionsDiff(b, a list) string {
	if b.unknown || a.unknown || b.sensitive || a.sensitive {
		if b.equal(a) {
			return ""
		}
		return f.item(1, "Questions: "+f.questions(b)+" → "+f.questions(a))
	}
	has := func(l list, v val) bool {
		return slices.ContainsFunc(l.vals, func(w val) bool { return w.s == v.s && !w.unknown })
	}
	// A question removed and one added that the content rules count as the same (faqcsv.Key:
	// case and spacing) is reworded, and still answered.
	var removed []val
	for _, v := range b.vals {
		if !has(a, v) {
			removed = append(removed, v)
		}
	}
	rewordedFrom := map[int]bool{}
	var s strings.Builder
	for _, v := range a.vals {
		if !v.unknown && has(b, v) {
			continue
		}
		i := -1
		for j, w := range removed {
			if !v.unknown && !w.unknown && !rewordedFrom[j] && questionKey(w.s) == questionKey(v.s) {
				i = j
				break
			}
		}
		if i >= 0 {
			rewordedFrom[i] = true
			s.WriteString(f.item(1, "Question reworded, still answered: "+f.quote(removed[i])+" → "+f.quote(v)))
			continue
		}
		s.WriteString(f.item(1, "Question added: "+f.quote(v)))
	}
	for i, v := range removed {
		if !rewordedFrom[i] {
			s.WriteString(f.item(1, "Question removed, no longer answered: "+f.quote(v)))
		}
	}
	if s.Len() == 0 && !b.equal(a) {
		s.WriteString(f.item(1, "Questions reordered"))
	}
	return s.String()
}

// answerKey compares answers as Haptik does: HSL by its compact form.
func answerKey(i int, v val) string {
	if v.unknown {
		return fmt.Sprintf("\x00unknown %d", i)
	}
	return faqcsv.Canonical(v.s)
}

func (f fmtr) answersDiff(b, a list) string {
	if b.unknown || a.unknown || b.sensitive || a.sensitive {
		if b.equal(a) {
			return ""
		}
		return f.item(1, "Answers: "+f.listText(b)+" → "+f.listText(a))
	}
	bk := make([]string, len(b.vals))
	for i, v := range b.vals {
		bk[i] = answerKey(-1-i, v)
	}
	ak := make([]string, len(a.vals))
	for i, v := range a.vals {
		ak[i] = answerKey(i, v)
	}
	ops := diffSeq(bk, ak)
	var s strings.Builder
	bi, ai := 0, 0
	for k := 0; k < len(ops); {
		if ops[k].kind == opSame {
			if !b.vals[bi].equal(a.vals[ai]) { // same compact form but not equal: cannot happen for known values
				s.WriteString(f.answerEdit(ai+1, b.vals[bi], a.vals[ai]))
			}
			bi, ai, k = bi+1, ai+1, k+1
			continue
		}
		var dels, inss []val
		for ; k < len(ops) && ops[k].kind == opDel; k++ {
			dels = append(dels, b.vals[bi])
			bi++
		}
		for ; k < len(ops) && ops[k].kind == opIns; k++ {
			inss = append(inss, a.vals[ai])
			ai++
		}
		first := ai - len(inss) + 1
		for j := 0; j < len(dels) || j < len(inss); j++ {
			switch {
			case j < len(dels) && j < len(inss):
				s.WriteString(f.answerEdit(first+j, dels[j], inss[j]))
			case j < len(dels):
				s.WriteString(f.item(1, "Answer removed: "+f.answerText(dels[j])))
			default:
				s.WriteString(f.item(1, fmt.Sprintf("Answer %d added: %s", first+j, f.answerText(inss[j]))))
			}
		}
	}
	return s.String()
}

func (f fmtr) listText(l list) string {
	if l.unknown || l.sensitive {
		return f.placeholder(val{unknown: l.unknown, sensitive: l.sensitive})
	}
	parts := make([]string, len(l.vals))
	for i, v := range l.vals {
		parts[i] = f.answerText(v)
	}
	return strings.Join(parts, "; ")
}

// answerEdit shows one answer's change.
func (f fmtr) answerEdit(n int, b, a val) string {
	label := fmt.Sprintf("Answer %d", n)
	switch {
	case b.sensitive || a.sensitive:
		return f.item(1, label+": a sensitive value changed "+f.em("not shown"))
	case b.unknown || a.unknown:
		return f.item(1, label+": "+f.answerText(b)+" → "+f.answerText(a))
	}
	ra, rb := readAnswer(a.s), readAnswer(b.s)
	if ra.broken != "" || rb.broken != "" {
		return f.item(1, label+" before: "+f.answerText(b)) + f.item(1, label+" after: "+f.answerText(a))
	}
	tb, ta := rb.text(), ra.text()
	if tb == ta {
		return f.item(1, label+": only what a person does not see changed (a payload, an image or a link)")
	}
	ops, ok := wordDiff(tb, ta)
	if !ok {
		return f.item(1, label+" before: "+f.esc(tb)) + f.item(1, label+" after: "+f.esc(ta))
	}
	var s strings.Builder
	for _, g := range groupChanges(ops) {
		if g.same {
			s.WriteString(f.esc(g.old))
			continue
		}
		if g.old != "" {
			s.WriteString(f.del(f.esc(g.old)))
		}
		if g.new != "" {
			s.WriteString(f.ins(f.esc(g.new)))
		}
	}
	return f.item(1, label+": "+s.String())
}

// change is a run of a word diff: unchanged text, or the old text replaced by the new.
type change struct {
	same     bool
	old, new string
}

// groupChanges joins changes separated only by unchanged spaces into one, so that a replaced
// phrase reads as one deletion and one insertion.
func groupChanges(ops []op) []change {
	var out []change
	for k := 0; k < len(ops); {
		if ops[k].kind == opSame {
			var t strings.Builder
			for ; k < len(ops) && ops[k].kind == opSame; k++ {
				t.WriteString(ops[k].s)
			}
			out = append(out, change{same: true, old: t.String()})
			continue
		}
		var o, n strings.Builder
		for k < len(ops) {
			switch {
			case ops[k].kind == opDel:
				o.WriteString(ops[k].s)
			case ops[k].kind == opIns:
				n.WriteString(ops[k].s)
			case strings.TrimSpace(ops[k].s) == "" && k+1 < len(ops) && ops[k+1].kind != opSame:
				o.WriteString(ops[k].s)
				n.WriteString(ops[k].s)
			default:
				out = append(out, change{old: o.String(), new: n.String()})
				o.Reset()
				n.Reset()
			}
			if o.Len() == 0 && n.Len() == 0 {
				break
			}
			k++
		}
		if o.Len() > 0 || n.Len() > 0 {
			out = append(out, change{old: o.String(), new: n.String()})
		}
	}
	return out
}
