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
	word  []rune
	terms []string
}

// Term kinds: a word term is the word itself; a character n-gram is prefixed with gramMark so the
// two vocabularies never mix.
const gramMark = "\x01"

// words returns the word terms of s: s in faqcsv.Key's form (case folded, invisible characters
// dropped), split at everything that is not a letter, mark or digit, apostrophes inside a word
// dropped ("can't" is "cant"). Runs of a script written without spaces (Han, Kana, Thai, Lao,
// Khmer, Myanmar) become their character bigrams, since no word boundaries can be read from them.
// With Options.Stem, words in the Latin script lose common English inflections.
func (t *tokenizer) words(s string) []string {
	t.terms = t.terms[:0]
	if t.opts.Plain {
		for _, w := range strings.Fields(strings.ToLower(s)) {
			t.terms = append(t.terms, w)
		}
		return t.terms
	}
	k := t.fold.Key(s)
	t.word = t.word[:0]
	spaceless := false
	flush := func() {
		if len(t.word) == 0 {
			return
		}
		if spaceless {
			t.bigrams(t.word)
		} else {
			w := string(t.word)
			if t.opts.Stem {
				w = stem(w)
			}
			t.terms = append(t.terms, w)
		}
		t.word = t.word[:0]
	}
	for i, r := range k {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if spaceless {
				flush()
				spaceless = false
			}
			t.word = append(t.word, r)
		case r == '\'' || r == '’':
			// An apostrophe inside a word joins it: "can't", "customer's".
			if len(t.word) == 0 || spaceless || i+utf8.RuneLen(r) >= len(k) || !isWordRune(rune(k[i+utf8.RuneLen(r)])) {
				flush()
			}
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)):
			sl := isSpaceless(r)
			if sl != spaceless && !unicode.IsMark(r) {
				flush()
				spaceless = sl
			}
			t.word = append(t.word, r)
		default:
			flush()
		}
	}
	flush()
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
func (t *tokenizer) bigrams(run []rune) {
	if len(run) == 1 {
		t.terms = append(t.terms, string(run))
		return
	}
	for i := 0; i+1 < len(run); i++ {
		t.terms = append(t.terms, string(run[i:i+2]))
	}
}

// grams returns the character n-grams (n = Options.GramSize) of each word of words, with "^" and
// "$" marking the word's ends, so that a misspelt or differently inflected word still shares most
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
// "cancelled", "cancelling" and "cancel" meet, not produce dictionary stems, and it leaves every
// other script alone.
func stem(w string) string {
	if len(w) < 5 || !isLatin(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ing") && len(w) >= 6:
		return undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) >= 5:
		return undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "es") && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes")):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// undouble turns a doubled final consonant into one ("stopp" from "stopping" is "stop"); a
// double l stays ("call" from "calling").
func undouble(w string) string {
	if n := len(w); n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isLatin(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
