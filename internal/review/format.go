package review

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Format is the form of the output.
type Format int

const (
	// Markdown is for a pull-request comment.
	Markdown Format = iota
	// Text is for a terminal.
	Text
	// JSON is for policy engines: the counts and node names of every domain, in the schema
	// examples/policy/haptik-faq-review.schema.json documents (no limit applies).
	JSON
)

// Flavor is the host a Markdown summary is written for.
type Flavor int

const (
	// GitHub Markdown: alerts ("> [!CAUTION]"), long lists folded into <details>, word edits as
	// <del> and <ins>, line breaks in a value as <br>.
	GitHub Flavor = iota
	// GitLab renders the same as GitHub: GitLab Flavored Markdown has the same alert syntax
	// (https://docs.gitlab.com/user/markdown/#alerts) and allows the same HTML.
	GitLab
	// Plain is CommonMark without extensions or HTML, for hosts that render neither (Bitbucket,
	// an older GitLab, a chat tool): an alert is a quote with a bold label ("> **Caution:** …"),
	// lists are not folded, word edits are [-removed-]{+added+} as in the text format, and a
	// line break in a value is " ⏎ ".
	Plain
)

// Flavors are the names ParseFlavor reads, in Flavor order.
var Flavors = []string{"github", "gitlab", "plain"}

// ParseFlavor reads a Flavor's name (see Flavors).
func ParseFlavor(s string) (Flavor, error) {
	for i, name := range Flavors {
		if s == name {
			return Flavor(i), nil
		}
	}
	return GitHub, fmt.Errorf("the Markdown flavor must be %s, not %q", strings.Join(Flavors, ", "), s)
}

// maxValueRunes is the most characters of one question or answer shown.
const maxValueRunes = 400

// fmtr writes the pieces of the output in one Format; plain is set for Markdown of Flavor Plain.
type fmtr struct{ md, plain bool }

func newFmtr(format Format, flavor Flavor) fmtr {
	return fmtr{md: format == Markdown, plain: format == Markdown && flavor == Plain}
}

// html reports whether the output may use HTML (<details>, <del>, <ins>, <br>).
func (f fmtr) html() bool { return f.md && !f.plain }

// esc makes content text safe to show: in Markdown, HTML and Markdown syntax are escaped, @ does
// not mention anyone and line breaks stay inside the list item.
func (f fmtr) esc(s string) string {
	s = capRunes(s)
	if !f.md {
		return strings.ReplaceAll(s, "\n", "\n      ")
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '@':
			b.WriteString("&#64;")
		case '\n':
			b.WriteString(pick(f.plain, " ⏎ ", "<br>"))
		case '\r':
		case '\\', '`', '*', '_', '[', ']', '~', '|', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func capRunes(s string) string {
	if utf8.RuneCountInString(s) <= maxValueRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == maxValueRunes {
			return s[:i] + fmt.Sprintf("… (%s more characters)", count(utf8.RuneCountInString(s[i:])))
		}
		n++
	}
	return s
}

// name shows a node name or an address.
func (f fmtr) name(s string) string {
	if !f.md {
		return s
	}
	if strings.ContainsAny(s, "`\n\r") || strings.TrimSpace(s) != s || s == "" {
		return "**" + f.esc(s) + "**"
	}
	return "`" + s + "`"
}

// quote shows a question.
func (f fmtr) quote(v val) string {
	if v.unknown || v.sensitive {
		return f.placeholder(v)
	}
	return "“" + f.esc(v.s) + "”"
}

func (f fmtr) placeholder(v val) string {
	if v.unknown {
		return f.em("known after apply")
	}
	return f.em("sensitive value, not shown")
}

func (f fmtr) em(s string) string {
	if f.md {
		return "_(" + s + ")_"
	}
	return "(" + s + ")"
}

func (f fmtr) bold(s string) string {
	if f.md {
		return "**" + s + "**"
	}
	return s
}

func (f fmtr) del(s string) string {
	if f.html() {
		return "<del>" + s + "</del>"
	}
	return "[-" + s + "-]"
}

func (f fmtr) ins(s string) string {
	if f.html() {
		return "<ins>" + s + "</ins>"
	}
	return "{+" + s + "+}"
}

// item is a list item at depth 0 or 1.
func (f fmtr) item(depth int, s string) string {
	if f.md {
		return strings.Repeat("  ", depth) + "- " + s + "\n"
	}
	return "  " + strings.Repeat("    ", depth) + "- " + s + "\n"
}

// count writes n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// nodes is "1 node" or "N nodes".
func nodes(n int) string {
	if n == 1 {
		return "1 node"
	}
	return count(n) + " nodes"
}

// chars is the length of s as GitHub's comment limit counts it, or more: UTF-16 code units, so a
// character beyond the Basic Multilingual Plane (most emoji) counts twice. Never fewer than the
// code points a server may count instead.
func chars(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// prefixChars is the longest start of s of at most n chars, cut between characters.
func prefixChars(s string, n int) string {
	used := 0
	for i, r := range s {
		used += utf16.RuneLen(r)
		if used > n {
			return s[:i]
		}
	}
	return s
}
