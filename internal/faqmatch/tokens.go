package faqmatch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// tokenizer turns text into the terms the index counts. It is not safe for concurrent use.
type tokenizer struct {
	opts  Options
	fold  faqcsv.Folder
	terms []string
}

// Term kinds: a word term is the word itself; a character n-gram is prefixed with gramMark so the
// two vocabularies never mix.
const gramMark = "\x01"

// words returns the word terms of s: s in faqcsv.Key's form (case folded, invisible characters
// dropped), split at everything that is not a letter, mark or digit, apostrophes inside a word
// dropped ("can't" is "cant"). Runs of a script written without spaces (Han, Kana, Thai, Lao,
// Khmer, Myanmar) become their character bigrams, since no word boundaries can be read from them.
// With Options.Stem, words in the Latin script lose common English inflections. Terms are
// substrings of the folded text wherever they can be, so most cost no allocation.
func (t *tokenizer) words(s string) []string {
	t.terms = t.terms[:0]
	if t.opts.Plain {
		t.terms = append(t.terms, strings.Fields(strings.ToLower(s))...)
		return t.terms
	}
	return t.keyWords(t.fold.Key(s))
}

// keyWords is words for text already in faqcsv.Key's form.
func (t *tokenizer) keyWords(k string) []string {
	t.terms = t.terms[:0]
	start := -1 // the current word's first byte, or -1 between words
	apostrophe := false
	spaceless := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := k[start:end]
		start = -1
		switch {
		case spaceless:
			t.bigrams(w)
			return
		case apostrophe:
			w = strings.NewReplacer("'", "", "’", "").Replace(w)
			apostrophe = false
		}
		if t.opts.Stem {
			w = stem(w)
		}
		t.terms = append(t.terms, w)
	}
	for i, r := range k {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if spaceless {
				flush(i)
				spaceless = false
			}
			if start < 0 {
				start = i
			}
		case r == '\'' || r == '’':
			// An apostrophe inside a word joins it: "can't", "customer's".
			next := i + utf8.RuneLen(r)
			if start < 0 || spaceless || next >= len(k) || !isWordRune(rune(k[next])) {
				flush(i)
			} else {
				apostrophe = true
			}
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)):
			if sl := isSpaceless(r); sl != spaceless && !unicode.IsMark(r) {
				flush(i)
				spaceless = sl
			}
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(k))
	return t.terms
}

func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= utf8.RuneSelf
}

// isSpaceless reports whether r belongs to a script written without spaces between words.
func isSpaceless(r rune) bool {
	// U+3005 to U+30FF also holds marks of no script that live inside Japanese words, such as
	// U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK.
	return (r >= 0x3005 && r <= 0x30FF) || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan)
}

// bigrams adds the character bigrams of a run without word boundaries (the run itself when it is
// one character).
func (t *tokenizer) bigrams(run string) {
	_, first := utf8.DecodeRuneInString(run)
	if first == len(run) {
		t.terms = append(t.terms, run)
		return
	}
	for i := 0; i < len(run); {
		_, a := utf8.DecodeRuneInString(run[i:])
		if i+a >= len(run) {
			break
		}
		_, b := utf8.DecodeRuneInString(run[i+a:])
		t.terms = append(t.terms, run[i:i+a+b])
		i += a
	}
}

// grams returns the character n-grams (n = Options.GramSize) of each word of words, with "^" and
// "$" marking the word's ends, so that a misspelled or differently inflected word still shares most
// of its terms with the right one. Words of spaceless scripts (already bigrams) add none.
func (t *tokenizer) grams(words []string, into []string) []string {
	n := t.opts.GramSize
	for _, w := range words {
		rs := []rune("^" + w + "$")
		if len(rs) <= n {
			into = append(into, gramMark+string(rs))
			continue
		}
		for i := 0; i+n <= len(rs); i++ {
			into = append(into, gramMark+string(rs[i:i+n]))
		}
	}
	return into
}

// stem removes the commonest English inflections from a Latin-script word of five letters or
// more: plural -s and -es, -ies, -ing, -ed. It is deliberately light: it only has to make
// "orders" and "order", "stopping" and "stop" meet, not produce dictionary stems, and it leaves
// every other script alone.
func stem(w string) string {
	if !isLatin(w) {
		return w
	}
	keep, y := stemCut(w)
	if y {
		return w[:keep] + "y"
	}
	return w[:keep]
}

// stemASCII is stem for a lower-case ASCII word, in place: the result is a prefix of w, its
// last byte changed for -ies.
func stemASCII(w []byte) []byte {
	keep, y := stemCut(string(w))
	if y {
		w[keep] = 'y'
		keep++
	}
	return w[:keep]
}

// stemCut says how stem shortens w: keep its first keep bytes, then add "y" when y is set.
func stemCut(w string) (keep int, y bool) {
	n := len(w)
	switch {
	case n < 5:
		return n, false
	case strings.HasSuffix(w, "ies"):
		return n - 3, true
	case strings.HasSuffix(w, "sses"):
		return n - 2, false
	case strings.HasSuffix(w, "ing") && n >= 6:
		return undouble(w[:n-3]), false
	case strings.HasSuffix(w, "ed"):
		return undouble(w[:n-2]), false
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes"):
		return n - 2, false
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return n - 1, false
	}
	return n, false
}

// undouble is the length of w without a doubled final consonant ("stopp" from "stopping" is
// "stop"); a double l or s stays ("call" from "calling").
func undouble(w string) int {
	if n := len(w); n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return n - 1
	}
	return len(w)
}

func isLatin(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
