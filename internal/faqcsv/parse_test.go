package faqcsv

import (
	"errors"
	"reflect"
	"testing"
)

// parseNodes is ParseRows without the lines.
func parseNodes(data string) ([]Node, error) {
	rows, err := ParseRows(data)
	if err != nil || rows == nil {
		return nil, err
	}
	nodes := make([]Node, len(rows))
	for i, r := range rows {
		nodes[i] = r.Node
	}
	return nodes, nil
}

// hasErrors reports whether any problem is an error rather than a warning.
func hasErrors(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

func TestParse(t *testing.T) {
	in := "\ufeffnode_name,question,answer\r\n" +
		"Bad Feedbacks,bad|worse,\"Sorry, \"\"truly\"\".<m>{\"\"type\"\":\"\"TEXT\"\"}\"\r\n" +
		"\n" +
		"multi,q,\"line one\nline two\r\nline three\"\n" +
		"last,q,no newline at end"
	got, err := parseNodes(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Node{
		{Name: "Bad Feedbacks", UserSays: []string{"bad", "worse"}, BotSays: []string{`Sorry, "truly".`, `{"type":"TEXT"}`}},
		{Name: "multi", UserSays: []string{"q"}, BotSays: []string{"line one\nline two\r\nline three"}},
		{Name: "last", UserSays: []string{"q"}, BotSays: []string{"no newline at end"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

func TestParseHeaderOnly(t *testing.T) {
	got, err := parseNodes(Header + "\r\n")
	if err != nil || len(got) != 0 {
		t.Fatalf("parseNodes(header only) = %v, %v", got, err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 1, "the file is empty; it needs the header row node_name,question,answer"},
		{"wrong header", "name,question,answer\n", 1, `the header row is "name,question,answer"; it must be exactly node_name,question,answer`},
		{"header case", "Node_Name,Question,Answer\n", 1, `the header row is "Node_Name,Question,Answer"; it must be exactly node_name,question,answer`},
		{"two fields", Header + "\nok,q,a\nbad,q\n", 3, "2 field(s); every row needs node_name, question and answer"},
		{"four fields", Header + "\nbad,q,a,extra\n", 2, "4 field(s); every row needs node_name, question and answer"},
		{"unclosed quote", Header + "\nok,q,a\nn,q,\"never\nclosed\n", 3, "a quoted cell is never closed"},
		{"stray quote", Header + "\nn,say \"hi\",a\n", 2, `a double quote inside an unquoted cell; quote the cell and double the quote ("")`},
		{"text after quote", Header + "\nn,\"q\"x,a\n", 2, `unexpected text after a closing quote; double quotes inside a quoted cell are written as ""`},
		{"duplicate", Header + "\nn,q,a\nm,q,a\nn,q2,a2\n", 4, `node_name "n" repeats the node of line 2`},
		{"line counted through quoted newlines", Header + "\nn,q,\"a\nb\nc\"\nbad\n", 5, "1 field(s); every row needs node_name, question and answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseNodes(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != tc.line || pe.Msg != tc.msg {
				t.Fatalf("err = %v, want line %d: %s", err, tc.line, tc.msg)
			}
		})
	}
}

// canonicalNodes is what parsing Render(nodes) must give: nodes in name order, HSL compacted.
func canonicalNodes(nodes []Node) []Node {
	if len(nodes) == 0 {
		return nil
	}
	out := make([]Node, len(nodes))
	for i, n := range nodes {
		bs := make([]string, len(n.BotSays))
		for j, b := range n.BotSays {
			bs[j] = Canonical(b)
		}
		out[i] = Node{Name: n.Name, UserSays: append([]string(nil), n.UserSays...), BotSays: bs}
	}
	SortNodes(out)
	return out
}

// For every valid set of nodes, parsing the rendered CSV gives the nodes back.
func FuzzRoundTrip(f *testing.F) {
	f.Add("reset_password", "How do I reset?", "forgot password", "Open Settings.", haptikSampleHSL, "Bad Feedbacks", "bad", "Sorry, \"really\".\nCall us.")
	f.Add("a", "x", "y", " padded ", "{ \"type\" : \"TEXT\" }", "b", "z", "\t")
	f.Add("日本語", "如何重置密码", "👍🏽", "Ελληνικά, русский", "a,b", "q\"", "\"", "line\n")
	f.Fuzz(func(t *testing.T, name1, us1, us2, bs1, bs2, name2, us3, bs3 string) {
		nodes := []Node{
			{Name: name1, UserSays: []string{us1, us2}, BotSays: []string{bs1, bs2}},
			{Name: name2, UserSays: []string{us3}, BotSays: []string{bs3}},
		}
		if name1 == name2 || hasErrors(ValidateAll(nodes)) {
			t.Skip()
		}
		csv := string(RenderBytes(nodes))
		got, err := parseNodes(csv)
		if err != nil {
			t.Fatalf("parseNodes(Render(%q)) failed: %v\nCSV: %q", nodes, err, csv)
		}
		if want := canonicalNodes(nodes); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip changed the nodes:\n got %q\nwant %q\nCSV: %q", got, want, csv)
		}
	})
}

// ParseRows never panics, and whatever it accepts and the rules accept renders back to itself.
func FuzzParse(f *testing.F) {
	f.Add(Header + "\r\nn,q|r,a<m>b\r\n")
	f.Add(Header + "\nn,\"q\"\"\",\"a\nb\"\n")
	f.Add("\ufeff" + Header + "\n\nn,q,a")
	f.Add(Header + "\nn,q,\"unclosed")
	f.Fuzz(func(t *testing.T, in string) {
		nodes, err := parseNodes(in)
		if err != nil || hasErrors(ValidateAll(nodes)) {
			return
		}
		again, err := parseNodes(string(RenderBytes(nodes)))
		if err != nil {
			t.Fatalf("the rendering of accepted nodes does not parse: %v", err)
		}
		if want := canonicalNodes(nodes); !reflect.DeepEqual(again, want) {
			t.Fatalf("render/parse changed accepted nodes:\n got %q\nwant %q", again, want)
		}
	})
}
