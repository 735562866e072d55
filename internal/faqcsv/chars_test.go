package faqcsv

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// checkSentences fails when a problem's detail is not full sentences.
func checkSentences(t *testing.T, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if !strings.HasSuffix(p.Detail, ".") || len(p.Detail) < 30 {
			t.Errorf("%+v: the detail should be full sentences", p)
		}
	}
}

func TestIsInvisible(t *testing.T) {
	for _, r := range []rune{
		0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
		0x202A, 0x202E, 0x2060, 0x2063, 0x2066, 0x2069, 0x3164, 0xFE0F, 0xFEFF, 0xFFA0, 0xE0001, 0xE0041,
	} {
		if !isInvisible(r) {
			t.Errorf("U+%04X is not treated as invisible", r)
		}
	}
	// Letters, White_Space (handled as space) and the visible prepended concatenation marks.
	for _, r := range []rune{'a', ' ', '\t', 0x00A0, 0x2028, 0x3000, 0x0600, 0x06DD, 0x110BD, 'é', '日', '🎉', 0xFFFD} {
		if isInvisible(r) {
			t.Errorf("U+%04X is treated as invisible", r)
		}
	}
}

// plain's bitmap says what the Unicode tables say, for every character it covers.
func TestPlainMatchesTables(t *testing.T) {
	for r := rune(utf8.RuneSelf); r < 1<<16; r++ {
		special := unicode.IsSpace(r) || isInvisible(r) || unicode.IsControl(r) || r == utf8.RuneError
		want := !special
		if plain(r) != want {
			t.Errorf("plain(U+%04X) = %v, want %v", r, plain(r), want)
		}
	}
	if plain(0x1F389) || plain(0xE0041) {
		t.Error("characters from U+10000 on are looked at through the tables")
	}
}

func TestCharNames(t *testing.T) {
	for r, want := range map[rune]string{
		0x200B:  "U+200B ZERO WIDTH SPACE",
		0xFE0F:  "U+FE0F VARIATION SELECTOR-16",
		0x0085:  "U+0085, a space character",
		0xE0041: "U+E0041, an invisible formatting character",
	} {
		if got := charName(r); got != want {
			t.Errorf("charName(U+%04X) = %q, want %q", r, got, want)
		}
	}
	got := listChars(isInvisible, "a\u200bb\u200b", "\u2060\u00ad\u200c\u200d")
	if want := "U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+00AD SOFT HYPHEN and 2 more"; got != want {
		t.Errorf("listChars = %q, want %q", got, want)
	}
}

// refVisible is visibleForm written plainly.
func refVisible(s string) string {
	return strings.Join(strings.FieldsFunc(stripInvisible(s), unicode.IsSpace), " ")
}

// The rules' ASCII fast paths give what the general paths give.
func TestFastPaths(t *testing.T) {
	for _, s := range []string{"", "a", "A", " a", "a ", "a  b", "a b", "a\tb", "Reset  Password", "node_000001", "x\r\ny", "\x00", "\x7f"} {
		if got, want := asciiKey(s), strings.Join(strings.Fields(strings.ToLower(s)), " "); got != want {
			t.Errorf("asciiKey(%q) = %q, want %q", s, got, want)
		}
		fast := scan(s)
		slow := chars{ascii: true, blank: true}
		slow.scanRunes(s, 0)
		if fast != slow {
			t.Errorf("scan(%q) = %+v, the rune scan gives %+v", s, fast, slow)
		}
		if got, want := fast.blank, strings.TrimSpace(s) == ""; got != want {
			t.Errorf("scan(%q).blank = %v, want %v", s, got, want)
		}
	}
}

// Full case folding keeps every pair that lower-casing equated (the rule before it): for each
// character that lower-casing changes, the character and its lower case have the same key.
func TestFoldKeepsLowerCaseEquivalence(t *testing.T) {
	var f folder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		lower := unicode.ToLower(r)
		if lower == r || (r >= 0xD800 && r <= 0xDFFF) {
			continue
		}
		a, b := "x"+string(r), "x"+string(lower)
		if ka, kb := f.key(a, scan(a)), f.key(b, scan(b)); ka != kb {
			t.Errorf("U+%04X and its lower case U+%04X have keys %q and %q", r, lower, ka, kb)
		}
	}
}

func TestInvisibleCharacterRules(t *testing.T) {
	ok := func(name string, says ...string) Node {
		return Node{Name: name, UserSays: says, BotSays: []string{"answer"}}
	}
	bot := func(name string, says ...string) Node {
		return Node{Name: name, UserSays: []string{"q " + name}, BotSays: says}
	}
	cases := []struct {
		name  string
		nodes []Node
		want  []string
	}{
		// Blank rules.
		{"zero width space name", []Node{ok("\u200b", "hi")}, []string{"\u200b: Blank Node Name"}},
		{"word joiner and soft hyphen name", []Node{ok("\u2060\u00ad", "hi")}, []string{"\u2060\u00ad: Blank Node Name"}},
		{"hangul filler name", []Node{ok("\u3164", "hi")}, []string{"\u3164: Blank Node Name"}},
		{"no-break and ideographic spaces name", []Node{ok("\u00a0\u3000", "hi")}, []string{"\u00a0\u3000: Blank Node Name"}},
		{"invisible user says", []Node{ok("n", "hi", "\u200b \ufeff")}, []string{"n.user_says[1]: Blank User Says"}},
		{"invisible bot says", []Node{bot("n", "\u00ad", "\u2060\n")}, []string{"n.bot_says[0]: Blank Bot Says", "n.bot_says[1]: Blank Bot Says"}},
		{"a visible sign is not blank", []Node{bot("n", "\u0600")}, nil},
		// Duplicate rules.
		{"zero width space in name", []Node{ok("reset_password", "a"), ok("reset\u200b_password", "b")},
			[]string{"reset\u200b_password: Node Names Differ Only in Invisible Characters"}},
		{"byte order mark in name", []Node{ok("node", "a"), ok("\ufeffnode", "b")},
			[]string{"\ufeffnode: Node Names Differ Only in Invisible Characters", "\ufeffnode: Byte Order Mark in Node Name (w)"}},
		{"invisible characters and case", []Node{ok("Reset", "a"), ok("re\u200bset", "b")},
			[]string{"re\u200bset: Node Names Differ Only in Invisible Characters and Case"}},
		{"no-break space in name", []Node{ok("Bad Feedbacks", "a"), ok("Bad\u00a0Feedbacks", "b")},
			[]string{"Bad\u00a0Feedbacks: Node Names Differ Only in Spacing"}},
		{"doubled space in name", []Node{ok("Bad Feedbacks", "a"), ok("Bad  Feedbacks", "b")},
			[]string{"Bad Feedbacks: Node Names Differ Only in Spacing"}},
		{"different words are not twins", []Node{ok("reset password", "a"), ok("resetpassword", "b")}, nil},
		{"same invisible character, differing case", []Node{ok("A\u200bb", "a"), ok("a\u200bb", "b")},
			[]string{"a\u200bb: Node Names Differ Only in Case"}},
		{"user says in two nodes", []Node{ok("a", "hello"), ok("b", "hello\u200b")}, []string{"b.user_says[0]: User Says in Two Nodes"}},
		{"user says repeated", []Node{ok("a", "wi\u00adfi", "WiFi")}, []string{"a.user_says[1]: Repeated User Says"}},
		{"zero width space is not a space", []Node{ok("a", "hello\u200bworld", "hello world")}, nil},
		// Line-break rules.
		{"line separator in user says", []Node{ok("n", "a\u2028b")}, []string{"n.user_says[0]: Line Break in User Says"}},
		{"paragraph separator in user says", []Node{ok("n", "a\u2029b")}, []string{"n.user_says[0]: Line Break in User Says"}},
		{"next line in user says", []Node{ok("n", "a\u0085b")}, []string{"n.user_says[0]: Line Break in User Says"}},
		{"line separator in name", []Node{ok("a\u2028b", "q")}, []string{"a\u2028b: Control Character in Node Name"}},
		{"line separator in bot says is a line break like LF", []Node{bot("n", "a\u2028b")}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := ValidateAll(tc.nodes)
			if got := summaries(ps); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
			checkSentences(t, ps)
		})
	}
}

func TestInvisibleCharacterDetails(t *testing.T) {
	detail := func(nodes ...Node) string {
		ps := ValidateAll(nodes)
		if len(ps) == 0 {
			t.Fatalf("%q: no problem", nodes)
		}
		return ps[0].Detail
	}
	n := func(name string, says ...string) Node {
		return Node{Name: name, UserSays: says, BotSays: []string{"a"}}
	}
	for got, want := range map[string]string{
		detail(n("reset_password", "a"), n("reset\u200b_password", "b")): `The node names "reset_password" and "reset\u200b_password" differ only in invisible characters (U+200B ZERO WIDTH SPACE): one node to a person reading the plan, two nodes to Haptik. Merge them or rename one, and write node names with single ordinary spaces and no invisible characters.`,
		detail(n("Bad Feedbacks", "a"), n("bad\u00a0 feedbacks", "b")):   `The node names "Bad Feedbacks" and "bad\u00a0 feedbacks" differ only in spacing (U+00A0 NO-BREAK SPACE) and letter case: one node to a person reading the plan, two nodes to Haptik. Merge them or rename one, and write node names with single ordinary spaces and no invisible characters.`,
		detail(n("a", "hello"), n("b", "hello\u200b\u2060")):             `"hello\u200b\u2060" is also user_says[0] of node "a" (ignoring case, spacing and invisible characters), so Haptik could not tell which node should answer it; keep it in only one of the nodes "a" and "b". The text holds invisible characters (U+200B ZERO WIDTH SPACE and U+2060 WORD JOINER) that a review cannot see; remove them.`,
		detail(n("a", "hello\u00ad"), n("b", "Hello")):                   `"Hello" is also user_says[0] of node "a" (ignoring case, spacing and invisible characters), so Haptik could not tell which node should answer it; keep it in only one of the nodes "a" and "b". The text holds invisible characters (U+00AD SOFT HYPHEN) that a review cannot see; remove them.`,
		detail(n("a", "Reset  Password", "reset password")):              `"reset password" repeats user_says[0] of the same node (ignoring case and spacing); remove one of them.`,
	} {
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func TestCaseFolding(t *testing.T) {
	ok := func(name string, says ...string) Node {
		return Node{Name: name, UserSays: says, BotSays: []string{"answer"}}
	}
	cases := []struct {
		name  string
		nodes []Node
		want  []string
	}{
		{"greek final sigma", []Node{ok("ΟΔΟΣ", "a"), ok("οδος", "b")}, []string{"οδος: Node Names Differ Only in Case"}},
		{"sharp s", []Node{ok("STRASSE", "a"), ok("straße", "b")}, []string{"straße: Node Names Differ Only in Case"}},
		{"dotted capital I, as lower-casing equated it", []Node{ok("İSTANBUL", "a"), ok("istanbul", "b")}, []string{"İSTANBUL: Node Names Differ Only in Case"}},
		{"kelvin sign", []Node{ok("\u212a", "a"), ok("k", "b")}, []string{"\u212a: Node Names Differ Only in Case"}},
		{"user says sharp s", []Node{ok("a", "Straße"), ok("b", "STRASSE")}, []string{"b.user_says[0]: User Says in Two Nodes"}},
		{"user says final sigma", []Node{ok("a", "ΟΔΟΣ", "οδος")}, []string{"a.user_says[1]: Repeated User Says"}},
		{"different letters", []Node{ok("straße", "a"), ok("strase", "b")}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := ValidateAll(tc.nodes)
			if got := summaries(ps); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
			checkSentences(t, ps)
		})
	}
}

func TestCharacterWarnings(t *testing.T) {
	bot := func(says ...string) []Node { return []Node{{Name: "n", UserSays: []string{"q"}, BotSays: says}} }
	cases := []struct {
		name  string
		nodes []Node
		want  []string
		// in is a text the first problem's detail must contain.
		in string
	}{
		{"right-to-left override", bot("abc\u202eoof.exe"), []string{"n.bot_says[0]: Bidirectional Control in Bot Says (w)"},
			"U+202E RIGHT-TO-LEFT OVERRIDE at character 4"},
		{"isolates", []Node{{Name: "n", UserSays: []string{"a\u2067b\u2069"}, BotSays: []string{"x"}}},
			[]string{"n.user_says[0]: Bidirectional Control in User Says (w)"}, "U+2067 RIGHT-TO-LEFT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE"},
		{"embedding in a name", []Node{{Name: "a\u202bb", UserSays: []string{"q"}, BotSays: []string{"x"}}},
			[]string{"a\u202bb: Bidirectional Control in Node Name (w)"}, "U+202B RIGHT-TO-LEFT EMBEDDING"},
		{"marks are everyday right-to-left text", bot("שלום!\u200f", "\u200eabc", "\u061c١٢"), nil, ""},
		{"leading byte order mark", bot("\ufeffHello"), []string{"n.bot_says[0]: Byte Order Mark in Bot Says (w)"}, `trimprefix(file(...), "\ufeff")`},
		{"byte order mark before HSL", bot("\ufeff{\"type\":\"TEXT\"}"), []string{"n.bot_says[0]: Byte Order Mark in Bot Says (w)"}, "not checked as HSL JSON"},
		{"inner no-break zero width space", bot("a\ufeffb"), nil, ""},
		{"replacement character", bot("caf\ufffd au lait"), []string{"n.bot_says[0]: Replacement Character in Bot Says (w)"},
			"U+FFFD REPLACEMENT CHARACTER (�) at character 4"},
		{"replacement character in user says", []Node{{Name: "n", UserSays: []string{"\ufffd"}, BotSays: []string{"x"}}},
			[]string{"n.user_says[0]: Replacement Character in User Says (w)"}, "not valid UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := ValidateAll(tc.nodes)
			if got := summaries(ps); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
			checkSentences(t, ps)
			if tc.in != "" && !strings.Contains(ps[0].Detail, tc.in) {
				t.Fatalf("%q does not contain %q", ps[0].Detail, tc.in)
			}
		})
	}
}

func TestDomainInvisible(t *testing.T) {
	for name, want := range map[string]string{
		"\u200b":       "Blank Domain Name",
		"acme\u2028x":  "Control Character in Domain Name",
		"acme_support": "",
	} {
		c := NewChecker()
		c.Domain(name)
		var got string
		if ps := c.Problems(); len(ps) > 0 {
			got = ps[0].Summary
		}
		if got != want {
			t.Errorf("Domain(%q) = %q, want %q", name, got, want)
		}
	}
}

// For any text: the ASCII key is the rule before this one, lower-casing first does not change a
// key, and scan's fast path agrees with its rune path.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"Reset  Password", "ΟΔΟΣ", "straße", "İstanbul", "a\u200bb", "\ufeff{", " \u00a0x\t", "\xff", "a \u200b b\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fo folder
		c := scan(s)
		if c.ascii {
			if got, want := asciiKey(s), strings.Join(strings.Fields(strings.ToLower(s)), " "); got != want {
				t.Fatalf("asciiKey(%q) = %q, want %q", s, got, want)
			}
		}
		if l := strings.ToLower(s); fo.key(s, c) != fo.key(l, scan(l)) {
			t.Fatalf("key(%q) = %q but key(%q) = %q", s, fo.key(s, c), l, fo.key(l, scan(l)))
		}
		slow := chars{ascii: true, blank: true}
		slow.scanRunes(s, 0)
		slow.ascii = c.ascii
		if c != slow {
			t.Fatalf("scan(%q) = %+v, the rune scan gives %+v", s, c, slow)
		}
		if utf8.ValidString(s) && visibleForm(s) != refVisible(s) {
			t.Fatalf("visibleForm(%q) = %q, want %q", s, visibleForm(s), refVisible(s))
		}
	})
}

// TestKey checks the exported Key against the duplicate rule it names: two user says count as
// the same exactly when their keys are equal.
func TestKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Straße", "STRASSE"},
		{"  Reset   my\tPassword ", "reset my password"},
		{"re\u200bset", "reset"},
		{"ΟΔΟΣ", "οδος"},
	} {
		if Key(c.a) != Key(c.b) {
			t.Errorf("Key(%q) = %q, Key(%q) = %q; want equal", c.a, Key(c.a), c.b, Key(c.b))
		}
		dup := ValidateAll([]Node{{Name: "a", UserSays: []string{c.a}, BotSays: []string{"x"}},
			{Name: "b", UserSays: []string{c.b}, BotSays: []string{"x"}}})
		if len(dup) == 0 {
			t.Errorf("%q and %q have one key but the rules do not call them the same", c.a, c.b)
		}
	}
	if Key("reset password") == Key("reset passwords") {
		t.Error("different text got one key")
	}
	var f Folder
	if got := f.Key("İSTANBUL"); got != Key("istanbul") {
		t.Errorf("Folder.Key(İSTANBUL) = %q", got)
	}
}
