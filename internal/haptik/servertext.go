package haptik

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxQuotedBytes is the most of one server text (a status text, an error message, a body's
// summary) that Quote keeps; the rest is counted, not shown. A few KB say everything a person
// needs, and keep diagnostics, logs and private state small: a 900 KB status text would otherwise
// be kept in private state and shown by every later plan.
const MaxQuotedBytes = 2048

// maxTaskIDBytes is the longest task id the client accepts. Haptik's are UUIDs (36 characters).
const maxTaskIDBytes = 128

// Quote is a text a server sent, made safe to quote in a diagnostic, a log, state or private
// state: control characters escaped and the text capped at MaxQuotedBytes. It is the one way
// server text is quoted; the client applies it (after redaction) to every text it hands out.
func Quote(s string) string { return quote(s, MaxQuotedBytes) }

// quote escapes what could move a terminal's cursor or reorder what it shows, and keeps at most
// limit bytes, "… N more bytes" included (N counting the bytes of s not shown), so that quoting
// a quoted text changes nothing.
//
// Escaped, as Go writes them in strings: C0 controls (newlines and tabs included) and DEL as \xNN
// (\n, \r and \t by name), C1 controls (and so every ESC and CSI sequence), the bidirectional
// formatting characters and the line and paragraph separators as \uNNNN, and bytes that are not
// UTF-8 as \xNN, so the result is always valid UTF-8 (which Terraform's protocol requires). A
// backslash is kept as it is; an escape is never cut in two.
func quote(s string, limit int) string {
	if clean(s) && len(s) <= limit {
		return s
	}
	if out, shown := escape(s, limit); shown == len(s) {
		return out
	}
	// Room for the longest "… N more bytes" s can need.
	room := len(fmt.Sprintf("… %d more bytes", len(s)))
	out, shown := escape(s, max(limit-room, 0))
	return out + fmt.Sprintf("… %d more bytes", len(s)-shown)
}

// escape escapes s as quote does, as far as the result stays within limit bytes, and returns it
// with how many bytes of s it shows.
func escape(s string, limit int) (string, int) {
	var b strings.Builder
	b.Grow(min(len(s), limit))
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := s[i : i+size]
		switch {
		case r == utf8.RuneError && size == 1:
			piece = fmt.Sprintf(`\x%02x`, s[i])
		case r == '\n':
			piece = `\n`
		case r == '\r':
			piece = `\r`
		case r == '\t':
			piece = `\t`
		case r < 0x20 || r == 0x7f:
			piece = fmt.Sprintf(`\x%02x`, r)
		case unsafeRune(r):
			piece = fmt.Sprintf(`\u%04x`, r)
		}
		if b.Len()+len(piece) > limit {
			break
		}
		b.WriteString(piece)
		i += size
	}
	return b.String(), i
}

// clean reports whether s is valid UTF-8 with nothing quote escapes.
func clean(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune reports whether r, printable or not, changes how a terminal shows what follows: C1
// controls (U+009B is a CSI by itself), the bidirectional embeddings, overrides, isolates and
// marks, and the line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// checkTaskID says what is wrong with a task id from Haptik's answer ("" when nothing): it must
// be a short printable token, 1 to maxTaskIDBytes letters, digits, '.', '_', ':' or '-', which
// Haptik's UUIDs are. Any other id is refused before it is polled, logged or stored: it could
// carry terminal escape codes into `terraform state show`, or a megabyte into every diagnostic.
// The problem quotes only the id's start.
func checkTaskID(id string) string {
	const rule = "a task id must be 1 to 128 characters, each a letter, a digit, '.', '_', ':' or '-'"
	switch {
	case id == "":
		return "the task_id is empty"
	case len(id) > maxTaskIDBytes:
		return fmt.Sprintf("the task_id is %d bytes long (it starts \"%s\"); %s", len(id), quote(id, 40), rule)
	}
	for i := 0; i < len(id); i++ {
		if !tokenByte(id[i]) {
			return fmt.Sprintf("the task_id \"%s\" holds the character \"%s\" at byte %d; %s", quote(id, 40),
				quote(id[i:i+1], 8), i+1, rule)
		}
	}
	return ""
}

// tokenByte reports whether c may appear in a task id.
func tokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	default:
		return c == '.' || c == '_' || c == ':' || c == '-'
	}
}
