package haptik

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"all nodes has been created successfully": "all nodes has been created successfully",
		"\x1b[31mred\x1b[0m":                      `\x1b[31mred\x1b[0m`,
		"\x1b]0;title\x07":                        `\x1b]0;title\x07`,
		"line\nfake Error: line\r\tend":           `line\nfake Error: line\r\tend`,
		"del\x7f nul\x00":                         `del\x7f nul\x00`,
		"c1 \u009b31m csi":                        `c1 \u009b31m csi`,
		"next line \u0085 and \u2028":             `next line \u0085 and \u2028`,
		"bidi \u202eevil\u2066":                   `bidi \u202eevil\u2066`,
		"bad utf-8 \xff\xfe":                      `bad utf-8 \xff\xfe`,
		"हिन्दी, émigré, back\\slash":             "हिन्दी, émigré, back\\slash",
		"": "",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
		if got := Quote(Quote(in)); got != Quote(in) {
			t.Errorf("Quote is not idempotent on %q: %q", in, got)
		}
	}
}

func TestQuoteCaps(t *testing.T) {
	big := strings.Repeat("a", MaxQuotedBytes) + strings.Repeat("\x1b[2J", 225_000)
	got := Quote(big)
	head := MaxQuotedBytes - len("… 902048 more bytes")
	if want := strings.Repeat("a", head) + fmt.Sprintf("… %d more bytes", len(big)-head); got != want || len(got) != MaxQuotedBytes {
		t.Fatalf("Quote of %d bytes = %q…%q, want the first bytes and the rest counted, in %d bytes", len(big), got[:20],
			got[len(got)-30:], MaxQuotedBytes)
	}
	// An escape or a rune is never cut in two, the whole fits the limit, what is counted is what
	// was not shown, and quoting again changes nothing.
	for _, s := range []string{strings.Repeat("\x1b", 3000), strings.Repeat("é", 3000), strings.Repeat("ab\n", 2000),
		strings.Repeat("x", 102), strings.Repeat("\x1b", 26)} {
		got := quote(s, 101)
		if len(got) > 101 || !utf8.ValidString(got) || quote(got, 101) != got {
			t.Errorf("quote(%q…, 101) = %q", s[:6], got)
			continue
		}
		head, rest, ok := strings.Cut(got, "… ")
		if !ok {
			t.Errorf("quote(%q…, 101) = %q, counting nothing", s[:6], got)
			continue
		}
		var n int
		if _, err := fmt.Sscanf(rest, "%d more bytes", &n); err != nil || n != len(s)-shown(head) ||
			strings.HasSuffix(head, `\x1`) || strings.HasSuffix(head, `\`) {
			t.Errorf("quote(%q…, 101) = %q", s[:6], got)
		}
	}
	// A text that fits once escaped is kept whole.
	if got := quote(strings.Repeat("\x1b", 25), 101); got != strings.Repeat(`\x1b`, 25) {
		t.Errorf("quote of 25 escapes = %q, want them all", got)
	}
}

func TestCheckTaskID(t *testing.T) {
	for _, ok := range []string{"0f8fad5b-d9cb-469f-a165-70867728950e", "t1", "a.b_c:d-E", strings.Repeat("x", 128)} {
		if p := checkTaskID(ok); p != "" {
			t.Errorf("checkTaskID(%q) = %q, want it accepted", ok, p)
		}
	}
	for id, want := range map[string]string{
		"":                          "empty",
		strings.Repeat("x", 129):    "129 bytes long",
		"\x1b[31mred":               `holds the character "\x1b" at byte 1`,
		"a b":                       `holds the character " " at byte 2`,
		"../../etc":                 `holds the character "/" at byte 3`,
		"é":                         `at byte 1`,
		strings.Repeat("\x1b", 1e6): `1000000 bytes long (it starts "\x1b\x1b`,
	} {
		p := checkTaskID(id)
		if !strings.Contains(p, want) || strings.ContainsAny(p, "\x1b") || len(p) > 400 {
			t.Errorf("checkTaskID(%.20q) = %q, want it refused with %q", id, p, want)
		}
	}
}

// shown is how many bytes of the input a quoted head stands for: its escapes count as the byte or
// rune they replace.
func shown(head string) int {
	n := len(head)
	n -= 3 * strings.Count(head, `\x1b`)
	n -= strings.Count(head, `\n`)
	return n
}
