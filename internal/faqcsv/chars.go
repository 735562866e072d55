package faqcsv

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/rangetable"
)

// Characters that look like nothing in a review. The rules treat them so:
//   - blank rules: a value of only White_Space and invisible characters is blank;
//   - duplicate rules: invisible characters are dropped, runs of White_Space are one space, and case
//     is folded (Unicode full case folding), as UTS #39 does for confusable identifiers;
//   - line-break rules: U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are line breaks;
//   - warnings: bidirectional embeddings, overrides and isolates, a leading byte order mark and
//     U+FFFD REPLACEMENT CHARACTER, each of which makes the plan show other text than is uploaded.

// invisible holds the default-ignorable and format characters that are not White_Space:
// General_Category Cf, Other_Default_Ignorable_Code_Point (Hangul fillers, U+034F, the unassigned
// E0000 block) and Variation_Selector, less the prepended concatenation marks (U+0600 ARABIC NUMBER
// SIGN and its kin), which are Cf but visible signs.
var invisible = func() *unicode.RangeTable {
	var rs []rune
	rangetable.Visit(rangetable.Merge(unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector),
		func(r rune) {
			if !unicode.Is(unicode.Prepended_Concatenation_Mark, r) && !unicode.Is(unicode.White_Space, r) {
				rs = append(rs, r)
			}
		})
	return rangetable.New(rs...)
}()

// special has a bit for each character below U+10000 that the rules look at more closely: White_Space,
// invisible, a C1 control or U+FFFD. Every other character is plain (see plain): one bit test
// instead of binary searches in the Unicode tables, for text in any script.
var special = func() *[1 << 16 / 64]uint64 {
	var bits [1 << 16 / 64]uint64
	mark := func(r rune) {
		if r < 1<<16 {
			bits[r>>6] |= 1 << (r & 63)
		}
	}
	rangetable.Visit(invisible, mark)
	rangetable.Visit(unicode.White_Space, mark)
	for r := rune(0x80); r <= 0x9F; r++ {
		mark(r)
	}
	mark(utf8.RuneError)
	return &bits
}()

// plain reports whether r, a character from U+0080 on, is none of those the rules look at: not
// White_Space, invisible, a control or U+FFFD.
func plain(r rune) bool { return r < 1<<16 && special[r>>6]&(1<<(r&63)) == 0 }

// isInvisible reports whether r is a default-ignorable or format character (see invisible).
func isInvisible(r rune) bool {
	return r >= 0xAD && unicode.Is(invisible, r)
}

// isBidiControl reports whether r is a bidirectional embedding, override or isolate (or their
// terminators): the controls that can display a span of text in another order than it is stored
// (CVE-2021-42574, "Trojan Source"). The marks U+200E, U+200F and U+061C are not among them: they
// only settle the direction of the neutral characters next to them, cannot reorder a span, and
// are in everyday use in Arabic and Hebrew text, where a warning on each would be noise.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

func isLineSeparator(r rune) bool { return r == '\u2028' || r == '\u2029' }

// chars sums up, in one pass, the characters of one value that the rules look at.
type chars struct {
	ascii bool // only ASCII: the fast paths apply
	blank bool // nothing but White_Space and invisible characters (or empty)
	tab   bool
	lf    bool
	// control is a control character other than tab and line feed.
	control bool
	// lineSep is U+2028 LINE SEPARATOR or U+2029 PARAGRAPH SEPARATOR, line breaks that are not
	// control characters (U+0085 NEXT LINE is one, and counts as control).
	lineSep bool
	// invisible is a default-ignorable or format character; bidi and bom are kinds of it that
	// get a warning (a bidirectional control, a byte order mark at the start), as does replacement
	// (U+FFFD or invalid UTF-8).
	invisible, bidi, bom, replacement bool
}

func scan(s string) chars {
	c := chars{ascii: true, blank: true}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= utf8.RuneSelf:
			c.ascii = false
			c.scanRunes(s, i)
			return c
		case b == '\t':
			c.tab = true
		case b == '\n':
			c.lf = true
		case b == ' ':
		case b == '\v' || b == '\f' || b == '\r':
			c.control = true
		case b < 0x20 || b == 0x7f:
			c.control, c.blank = true, false
		default:
			c.blank = false
		}
	}
	return c
}

// scanRunes is scan from s[from], the first byte that is not ASCII.
func (c *chars) scanRunes(s string, from int) {
	for i, r := range s[from:] {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case r == '\t':
				c.tab = true
			case r == '\n':
				c.lf = true
			case r == ' ':
			case r == '\v' || r == '\f' || r == '\r':
				c.control = true
			case r < 0x20 || r == 0x7f:
				c.control, c.blank = true, false
			default:
				c.blank = false
			}
		case plain(r):
			c.blank = false
		case unicode.IsControl(r): // U+0080 to U+009F; U+0085 is also White_Space
			c.control = true
			c.blank = c.blank && unicode.IsSpace(r)
		case isLineSeparator(r):
			c.lineSep = true
		case unicode.IsSpace(r):
		case isInvisible(r):
			c.invisible = true
			c.bidi = c.bidi || isBidiControl(r)
			c.bom = c.bom || (r == '\ufeff' && from+i == 0)
		case r == utf8.RuneError:
			c.replacement, c.blank = true, false
		default:
			c.blank = false
		}
	}
}

// Key is the form in which two user says, or two node names, count as the same: invisible
// characters dropped, runs of White_Space as one space with none at either end, and case folded
// (lower-casing, then Unicode full case folding). The duplicate rules, the matcher (faqmatch) and
// the review all compare text by it. A Folder does the same with less garbage for many strings.
func Key(s string) string {
	var f Folder
	return f.Key(s)
}

// Folder computes Key for many strings, reusing its case folder and buffer; the zero value is
// ready to use. It is not safe for concurrent use.
type Folder struct{ f folder }

// Key is the package's Key.
func (f *Folder) Key(s string) string { return f.f.key(s, scan(s)) }

// folder folds case for the duplicate rules. It is made on first use: ASCII needs none.
type folder struct {
	caser cases.Caser
	made  bool
	buf   []byte
}

// key is the form in which two node names, or two user says, count as the same: invisible
// characters dropped, runs of White_Space as one space with none at either end, and case folded.
func (f *folder) key(s string, c chars) string {
	if c.ascii {
		return asciiKey(s)
	}
	return f.fold(visibleForm(s))
}

// fold folds case: lower-casing, then Unicode full case folding, so that whatever strings.ToLower
// equated (the rule before full folding) stays equated. Full folding alone would part "İSTANBUL"
// from "istanbul": it folds U+0130 to "i" and U+0307, where lower-casing gives "i".
func (f *folder) fold(s string) string {
	lower := strings.ToLower(s)
	if isASCII(lower) {
		return lower
	}
	if !f.made {
		f.caser, f.made = cases.Fold(), true
	}
	// Most lower-case text is already folded: check that in a reused buffer before making a copy.
	f.buf = append(f.buf[:0], lower...)
	if n, err := f.caser.Span(f.buf, true); err == nil && n == len(f.buf) {
		return lower
	}
	return f.caser.String(lower)
}

// visibleForm is s as a reader sees it: invisible characters dropped, and runs of White_Space as
// one space with none at either end.
func visibleForm(s string) string {
	if isVisibleForm(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case isInvisible(r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isVisibleForm reports whether visibleForm(s) is s.
func isVisibleForm(s string) bool {
	space := true // as if a space came before s: s cannot start with one
	for _, r := range s {
		switch {
		case r == ' ':
			if space {
				return false
			}
			space = true
		case r >= utf8.RuneSelf && plain(r), r > ' ' && r < utf8.RuneSelf:
			space = false
		case unicode.IsSpace(r) || isInvisible(r):
			return false
		default:
			space = false
		}
	}
	return !space || s == ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiKey is key for ASCII; it returns s itself when s is already in that form.
func asciiKey(s string) string {
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case 'A' <= b && b <= 'Z', b == '\t', b == '\n', b == '\v', b == '\f', b == '\r',
			b == ' ' && s[i+1] == ' ': // s does not end in a space, so s[i+1] exists
			return strings.Join(strings.Fields(strings.ToLower(s)), " ")
		}
	}
	return s
}

// charNames names the characters that the messages point out. Others are described by their
// code point alone.
var charNames = map[rune]string{
	0x00A0: "NO-BREAK SPACE",
	0x00AD: "SOFT HYPHEN",
	0x034F: "COMBINING GRAPHEME JOINER",
	0x061C: "ARABIC LETTER MARK",
	0x115F: "HANGUL CHOSEONG FILLER",
	0x1160: "HANGUL JUNGSEONG FILLER",
	0x1680: "OGHAM SPACE MARK",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x2000: "EN QUAD",
	0x2001: "EM QUAD",
	0x2002: "EN SPACE",
	0x2003: "EM SPACE",
	0x2004: "THREE-PER-EM SPACE",
	0x2005: "FOUR-PER-EM SPACE",
	0x2006: "SIX-PER-EM SPACE",
	0x2007: "FIGURE SPACE",
	0x2008: "PUNCTUATION SPACE",
	0x2009: "THIN SPACE",
	0x200A: "HAIR SPACE",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x2028: "LINE SEPARATOR",
	0x2029: "PARAGRAPH SEPARATOR",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x202F: "NARROW NO-BREAK SPACE",
	0x205F: "MEDIUM MATHEMATICAL SPACE",
	0x2060: "WORD JOINER",
	0x2061: "FUNCTION APPLICATION",
	0x2062: "INVISIBLE TIMES",
	0x2063: "INVISIBLE SEPARATOR",
	0x2064: "INVISIBLE PLUS",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0x3000: "IDEOGRAPHIC SPACE",
	0x3164: "HANGUL FILLER",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
	0xFFA0: "HALFWIDTH HANGUL FILLER",
	0xFFFD: "REPLACEMENT CHARACTER",
}

// charName is how a message names r, e.g. "U+200B ZERO WIDTH SPACE".
func charName(r rune) string {
	switch name, ok := charNames[r]; {
	case ok:
		return fmt.Sprintf("U+%04X %s", r, name)
	case r >= 0xFE00 && r <= 0xFE0F:
		return fmt.Sprintf("U+%04X VARIATION SELECTOR-%d", r, r-0xFE00+1)
	case unicode.IsSpace(r):
		return fmt.Sprintf("U+%04X, a space character", r)
	default:
		return fmt.Sprintf("U+%04X, an invisible formatting character", r)
	}
}

// listChars names, in order of first appearance and at most three of them, the distinct
// characters of the values for which keep is true, e.g. "U+200B ZERO WIDTH SPACE and U+2060 WORD
// JOINER". It is empty when there are none.
func listChars(keep func(rune) bool, values ...string) string {
	var found []rune
	for _, v := range values {
		for _, r := range v {
			if keep(r) && !containsRune(found, r) {
				found = append(found, r)
			}
		}
	}
	names := make([]string, 0, 4)
	for i, r := range found {
		if i == 3 {
			names = append(names, fmt.Sprintf("%d more", len(found)-3))
			break
		}
		names = append(names, charName(r))
	}
	return joinAnd(names)
}

// joinAnd joins words as a sentence lists them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// stripInvisible is s without its invisible characters.
func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)
}

func isReplacement(r rune) bool { return r == utf8.RuneError }

// isOddSpace reports whether r is White_Space other than the ordinary space, or invisible: the
// characters by which two names that read the same can differ.
func isOddSpace(r rune) bool { return (r != ' ' && unicode.IsSpace(r)) || isInvisible(r) }

// runeIndex is the 1-based character position of the first rune in s for which match is true.
func runeIndex(s string, match func(rune) bool) int {
	n := 0
	for _, r := range s {
		n++
		if match(r) {
			return n
		}
	}
	return 0
}
