package faqcsv

import (
	"fmt"
	"strings"
)

// ParseError is a CSV that cannot be read as Haptik's FAQ format.
type ParseError struct {
	// Line is the 1-based line on which the faulty record starts (or the fault is).
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Row is a parsed node and the line its row starts on.
type Row struct {
	Node
	Line int
}

// ParseRows reads an FAQ CSV: the header row node_name,question,answer, then one node per row,
// user says split on "|" and bot says on "<m>", each with the line its row starts on. Quoting is
// strict RFC 4180 and cell contents are kept byte for byte; records end in CRLF or LF, a UTF-8 byte
// order mark is ignored, and blank lines are skipped. Every error names its line.
func ParseRows(data string) ([]Row, error) {
	r := &reader{s: strings.TrimPrefix(data, "\ufeff"), line: 1}
	header, line, err := r.record()
	if err != nil {
		return nil, err
	}
	if header == nil {
		return nil, &ParseError{Line: 1, Msg: "the file is empty; it needs the header row " + Header}
	}
	if strings.Join(header, ",") != Header {
		return nil, &ParseError{Line: line, Msg: fmt.Sprintf("the header row is %q; it must be exactly %s",
			strings.Join(header, ","), Header)}
	}
	var rows []Row
	seen := map[string]int{}
	for {
		rec, line, err := r.record()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			return rows, nil
		}
		if len(rec) != 3 {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("%d field(s); every row needs node_name, question and answer", len(rec))}
		}
		if prev, ok := seen[rec[0]]; ok {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("node_name %q repeats the node of line %d", rec[0], prev)}
		}
		seen[rec[0]] = line
		rows = append(rows, Row{Line: line, Node: Node{
			Name:     rec[0],
			UserSays: strings.Split(rec[1], UserSaysSeparator),
			BotSays:  strings.Split(rec[2], BotSaysSeparator),
		}})
	}
}

type reader struct {
	s    string
	pos  int
	line int
}

// record reads the next non-blank record; nil at the end of input. It returns the line on which
// the record starts.
func (r *reader) record() ([]string, int, error) {
	for strings.HasPrefix(r.s[r.pos:], "\n") || strings.HasPrefix(r.s[r.pos:], "\r\n") {
		r.skipNewline()
	}
	if r.pos >= len(r.s) {
		return nil, r.line, nil
	}
	start := r.line
	var fields []string
	for {
		f, err := r.field()
		if err != nil {
			return nil, start, err
		}
		fields = append(fields, f)
		switch {
		case r.pos >= len(r.s):
			return fields, start, nil
		case r.s[r.pos] == ',':
			r.pos++
		default: // a record end, which field() stops at
			r.skipNewline()
			return fields, start, nil
		}
	}
}

func (r *reader) skipNewline() {
	if r.s[r.pos] == '\r' {
		r.pos++
	}
	r.pos++
	r.line++
}

// atRecordEnd reports whether pos is at "\n" or "\r\n".
func (r *reader) atRecordEnd() bool {
	rest := r.s[r.pos:]
	return strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n")
}

func (r *reader) field() (string, error) {
	if r.pos < len(r.s) && r.s[r.pos] == '"' {
		return r.quoted()
	}
	start := r.pos
	for r.pos < len(r.s) && r.s[r.pos] != ',' && !r.atRecordEnd() {
		if r.s[r.pos] == '"' {
			return "", &ParseError{Line: r.line, Msg: "a double quote inside an unquoted cell; quote the cell and double the quote (\"\")"}
		}
		r.pos++
	}
	return r.s[start:r.pos], nil
}

func (r *reader) quoted() (string, error) {
	open := r.line
	r.pos++ // the opening quote
	var b strings.Builder
	for {
		i := strings.IndexByte(r.s[r.pos:], '"')
		if i < 0 {
			return "", &ParseError{Line: open, Msg: "a quoted cell is never closed"}
		}
		chunk := r.s[r.pos : r.pos+i]
		r.line += strings.Count(chunk, "\n")
		b.WriteString(chunk)
		r.pos += i + 1
		if r.pos < len(r.s) && r.s[r.pos] == '"' { // a doubled quote
			b.WriteByte('"')
			r.pos++
			continue
		}
		if r.pos < len(r.s) && r.s[r.pos] != ',' && !r.atRecordEnd() {
			return "", &ParseError{Line: r.line, Msg: "unexpected text after a closing quote; double quotes inside a quoted cell are written as \"\""}
		}
		return b.String(), nil
	}
}
