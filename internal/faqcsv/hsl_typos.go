package faqcsv

import (
	"fmt"
	"sort"
	"strings"
)

// Typos in HSL: a key or value Haptik does not document but that is close to one it does (another
// letter case, singular for plural, "_" left out, a letter or two wrong) is most likely a mistake,
// so the warning names the documented one. Keys far from every documented one are not reported:
// Haptik's own samples carry undocumented keys ("isNew").

// typos warns about each key of m that is not one of known but close to one of them.
func (h *hslCheck) typos(at string, m map[string]any, known ...string) {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		if contains(known, k) {
			continue
		}
		if best := closest(k, known); best != "" {
			h.warn("Unknown HSL Key", "The HSL %s has the key %q, which Haptik does not document; did you mean %q? "+
				"Rename it, or check that Haptik accepts it.", at, k, best)
		}
	}
}

// didYouMean ends the warning about s, a value Haptik does not document: it names the documented
// value closest to s, if one is close, and asks to check that Haptik accepts s.
func didYouMean(s string, known map[string]bool) string {
	vs := make([]string, 0, len(known))
	for v := range known {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	if best := closest(s, vs); best != "" {
		return fmt.Sprintf(" did you mean %q? If not, check that Haptik accepts it.", best)
	}
	return " check that Haptik accepts it."
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// closest is the candidate nearest to s once both are normalized (see typoForm), if it is near
// enough: the same, or for longer words one edit (two from 8 letters) away. Ties go to the first.
func closest(s string, candidates []string) string {
	ns := typoForm(s)
	if ns == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		nc := typoForm(c)
		if c == s || nc == "" {
			continue
		}
		limit := 0
		switch {
		case len(nc) >= 8:
			limit = 2
		case len(nc) >= 4:
			limit = 1
		}
		if d := editDistance(ns, nc); d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// typoForm lower-cases s, drops "_", "-" and spaces, and makes a plural singular, so that
// "quickReplies", "quick_reply" and "quick_replies" compare equal.
func typoForm(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("_", "", "-", "", " ", "").Replace(s)
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		s = strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "s") && len(s) > 3:
		s = strings.TrimSuffix(s, "s")
	}
	return s
}

// editDistance is the optimal-string-alignment distance between a and b, in bytes: insertions,
// deletions, substitutions and swaps of adjacent bytes count one each.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
