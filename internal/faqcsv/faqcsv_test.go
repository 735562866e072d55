package faqcsv

import (
	"encoding/csv"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	got := string(RenderBytes([]Node{
		{Name: "b", UserSays: []string{"x", "y"}, BotSays: []string{"one", "two"}},
		{Name: "a", UserSays: []string{`say "hi", ok`}, BotSays: []string{"line1\nline2", " padded "}},
	}))
	want := "node_name,question,answer\r\n" +
		"a,\"say \"\"hi\"\", ok\",\"line1\nline2<m> padded \"\r\n" +
		"b,x|y,one<m>two\r\n"
	if got != want {
		t.Fatalf("Render:\n got %q\nwant %q", got, want)
	}
}

func TestRenderEmptyIsHeaderOnly(t *testing.T) {
	if got := string(RenderBytes(nil)); got != Header+"\r\n" {
		t.Fatalf("got %q", got)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	a := []Node{{Name: "z", UserSays: []string{"1"}, BotSays: []string{"1"}}, {Name: "m", UserSays: []string{"2"}, BotSays: []string{"2"}}}
	b := []Node{a[1], a[0]}
	if SHA256(RenderBytes(a)) != SHA256(RenderBytes(b)) {
		t.Fatal("the same nodes in another order render differently")
	}
	if a[0].Name != "z" {
		t.Fatal("Render reordered its caller's slice")
	}
}

// The rendered CSV reads back, through an independent RFC 4180 reader, as the same nodes.
func TestRenderReadsBackWithEncodingCSV(t *testing.T) {
	nodes := []Node{
		{Name: "Bad Feedbacks", UserSays: []string{"bad", "worse"}, BotSays: []string{"Sorry.", `{"type":"TEXT","data":{"quick_replies":[]},"isNew":false}`}},
		{Name: "q", UserSays: []string{`"quoted"`, "a,b"}, BotSays: []string{"multi\nline\n", "\ttab", "emoji 🎉 日本語"}},
	}
	r := csv.NewReader(strings.NewReader(string(RenderBytes(nodes))))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != Header {
		t.Fatalf("header %q", recs[0])
	}
	for i, rec := range recs[1:] {
		got := Node{Name: rec[0], UserSays: strings.Split(rec[1], "|"), BotSays: strings.Split(rec[2], "<m>")}
		if !reflect.DeepEqual(got, nodes[i]) {
			t.Errorf("row %d: got %#v, want %#v", i, got, nodes[i])
		}
	}
}

// summaries lists each problem as "path: Summary", with (w) for warnings.
func summaries(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		at := p.Node
		if p.Field != FieldName {
			at += "." + string(p.Field)
		}
		if p.Index >= 0 {
			at += fmt.Sprintf("[%d]", p.Index)
		}
		s := at + ": " + p.Summary
		if p.Warning {
			s += " (w)"
		}
		out = append(out, s)
	}
	return out
}

func TestValidateAll(t *testing.T) {
	ok := func(name string, says ...string) Node {
		return Node{Name: name, UserSays: says, BotSays: []string{"answer"}}
	}
	cases := []struct {
		name  string
		nodes []Node
		want  []string
	}{
		{"valid", []Node{ok("a", "hi"), ok("b", "hello")}, nil},
		{"blank name", []Node{ok(" ", "hi")}, []string{" : Blank Node Name"}},
		{"padded name", []Node{ok(" a", "hi")}, []string{" a: Node Name Has Surrounding Whitespace"}},
		{"newline in name", []Node{ok("a\nb", "hi")}, []string{"a\nb: Control Character in Node Name"}},
		{"long name", []Node{ok(strings.Repeat("é", MaxNameLength+1), "hi")}, []string{strings.Repeat("é", MaxNameLength+1) + ": Node Name Too Long"}},
		{"name at the limit", []Node{ok(strings.Repeat("é", MaxNameLength), "hi")}, nil},
		{"case twins", []Node{ok("Refunds", "a"), ok("refunds", "b")}, []string{"refunds: Node Names Differ Only in Case"}},
		{"empty user says", []Node{{Name: "n", BotSays: []string{"x"}}}, []string{"n.user_says: Empty User Says List"}},
		{"empty bot says", []Node{{Name: "n", UserSays: []string{"x"}}}, []string{"n.bot_says: Empty Bot Says List"}},
		{"blank user says", []Node{ok("n", "a", " \t")}, []string{"n.user_says[1]: Blank User Says"}},
		{"pipe", []Node{ok("n", "a|b")}, []string{"n.user_says[0]: Separator Inside User Says"}},
		{"newline in user says", []Node{ok("n", "a\nb")}, []string{"n.user_says[0]: Line Break in User Says"}},
		{"tab in user says is fine", []Node{ok("n", "a\tb")}, nil},
		{"repeat in node", []Node{ok("n", "Reset  Password", "reset password")}, []string{"n.user_says[1]: Repeated User Says"}},
		{"shared across nodes", []Node{ok("a", "x", "Hello there"), ok("b", "hello   THERE")}, []string{"b.user_says[0]: User Says in Two Nodes"}},
		{"tag in bot says", []Node{{Name: "n", UserSays: []string{"q"}, BotSays: []string{"a<M>b"}}}, []string{"n.bot_says[0]: Separator Inside Bot Says"}},
		{"pipe and <m> elsewhere are fine", []Node{{Name: "n", UserSays: []string{"<m>"}, BotSays: []string{"a|b"}}}, nil},
		{"CR in bot says", []Node{{Name: "n", UserSays: []string{"q"}, BotSays: []string{"a\r\nb"}}}, []string{"n.bot_says[0]: Control Character in Bot Says"}},
		{"LF and tab in bot says are fine", []Node{{Name: "n", UserSays: []string{"q"}, BotSays: []string{"a\n\tb"}}}, nil},
		{"several", []Node{{Name: "n", UserSays: []string{"a|b", ""}, BotSays: []string{""}}},
			[]string{"n.user_says[0]: Separator Inside User Says", "n.user_says[1]: Blank User Says", "n.bot_says[0]: Blank Bot Says"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := ValidateAll(tc.nodes)
			if got := summaries(ps); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
			for _, p := range ps {
				if !strings.HasSuffix(p.Detail, ".") || len(p.Detail) < 30 {
					t.Errorf("%+v: the detail should be full sentences", p)
				}
			}
		})
	}
}

func TestDomain(t *testing.T) {
	for name, want := range map[string]string{
		"acme_support": "",
		"":             "Blank Domain Name",
		" acme":        "Domain Name Has Surrounding Whitespace",
		"ac\tme":       "Control Character in Domain Name",
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

// Haptik's own sample answer from its documentation: no "text" key, is_default as a number.
const haptikSampleHSL = `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"Talk to an Agent","is_default":0,"type":"TEXT_ONLY","payload":{"link":"","message":"Talk to an Agent","gogo_message":""}}]},"isNew":false}`

func TestHSL(t *testing.T) {
	cases := []struct {
		name, hsl string
		want      []string
	}{
		{"haptik sample", haptikSampleHSL, nil},
		{"bare text type", `{"type":"TEXT"}`, nil},
		{"text", `  {"type":"TEXT","text":"Hi","data":{"quick_replies":[]}}`, nil},
		{"not json", `{"type":"TEXT",}`, []string{"Invalid HSL JSON"}},
		{"trailing data", `{"type":"TEXT"} extra`, []string{"Invalid HSL JSON"}},
		{"no type", `{"text":"hi"}`, []string{"HSL Without Type"}},
		{"type not string", `{"type":1}`, []string{"HSL Without Type"}},
		{"unknown type", `{"type":"VIDEO"}`, []string{"Unknown HSL Type (w)"}},
		{"data not object", `{"type":"TEXT","data":[]}`, []string{"Invalid HSL Structure"}},
		{"text not string", `{"type":"TEXT","text":5}`, []string{"Unexpected HSL Value (w)"}},
		{"quick replies not list", `{"type":"TEXT","data":{"quick_replies":{}}}`, []string{"Invalid HSL Structure"}},
		{"quick reply without label", `{"type":"TEXT","data":{"quick_replies":[{"payload":{"message":"m"}}]}}`, []string{"Incomplete HSL Button"}},
		{"quick reply without payload", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a"}]}}`, []string{"Incomplete HSL Quick Reply"}},
		{"quick reply without message", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","payload":{}}]}}`, []string{"Incomplete HSL Quick Reply"}},
		{"quick reply unknown type", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","type":"FANCY","payload":{"message":"m"}}]}}`, []string{"Unknown HSL Value (w)"}},
		{"is_default as string", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","is_default":"1","payload":{"message":"m"}}]}}`, nil},
		{"is_default odd", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","is_default":7,"payload":{"message":"m"}}]}}`, []string{"Unknown HSL Value (w)"}},
		{"button", `{"type":"BUTTON","text":"Pick","data":{"items":[{"actionable_text":"Call us","uri":"CALL","type":"APP_ACTION","payload":{}}]}}`, nil},
		{"button without items", `{"type":"BUTTON","data":{}}`, []string{"Incomplete HSL Button"}},
		{"button item without label", `{"type":"BUTTON","data":{"items":[{"uri":"LINK"}]}}`, []string{"Incomplete HSL Button"}},
		{"button unknown uri", `{"type":"BUTTON","data":{"items":[{"actionable_text":"x","uri":"TELEPORT"}]}}`, []string{"Unknown HSL Value (w)"}},
		{"carousel", `{"type":"CAROUSEL","data":{"width":"MEDIUM","items":[{"thumbnail":{"image":"https://x/y.png"},"title":"T","actionables":[{"actionable_text":"Open","uri":"LINK","type":"APP_ACTION"}]}]}}`, nil},
		{"carousel without image", `{"type":"CAROUSEL","data":{"items":[{"title":"T"}]}}`, []string{"Incomplete HSL Carousel Item"}},
		{"carousel odd width", `{"type":"CAROUSEL","data":{"width":"HUGE","items":[{"thumbnail":{"image":"i"}}]}}`, []string{"Unknown HSL Value (w)"}},
		{"carousel actionable without label", `{"type":"CAROUSEL","data":{"items":[{"thumbnail":{"image":"i"},"actionables":[{"uri":"LINK"}]}]}}`, []string{"Incomplete HSL Button"}},
		// Typos of documented keys are warnings; other undocumented keys pass, as in Haptik's samples.
		{"quick_reply for quick_replies", `{"type":"TEXT","data":{"quick_reply":[]}}`, []string{"Unknown HSL Key (w)"}},
		{"item for items", `{"type":"BUTTON","data":{"item":[{"actionable_text":"x"}]}}`, []string{"Unknown HSL Key (w)", "Incomplete HSL Button"}},
		{"Type for type", `{"Type":"TEXT"}`, []string{"Unknown HSL Key (w)", "HSL Without Type"}},
		{"typo in quick reply payload", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","paylod":{"message":"m"}}]}}`, []string{"Unknown HSL Key (w)", "Incomplete HSL Quick Reply"}},
		{"typo in carousel width", `{"type":"CAROUSEL","data":{"widht":"THIN","items":[{"thumbnail":{"image":"i"},"subtitle":"s"}]}}`, []string{"Unknown HSL Key (w)", "Unknown HSL Key (w)"}},
		{"undocumented keys far from documented ones", `{"type":"BUTTON","isNew":true,"data":{"layout":"x","items":[{"actionable_text":"x","url":"u","payload":{"url":"u"}}]}}`, nil},
		{"wrong-case type", `{"type":"text"}`, []string{"Unknown HSL Type (w)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range Validate(Node{Name: "n", UserSays: []string{"q"}, BotSays: []string{tc.hsl}}) {
				s := p.Summary
				if p.Warning {
					s += " (w)"
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// A typo names the documented key or value; invalid JSON says where it is and shows the text there.
func TestHSLDetails(t *testing.T) {
	cases := []struct{ name, hsl, want string }{
		{"quick_reply", `{"type":"TEXT","data":{"quick_reply":[]}}`,
			`The HSL TEXT "data" has the key "quick_reply", which Haptik does not document; did you mean "quick_replies"? Rename it, or check that Haptik accepts it.`},
		{"camel case", `{"type":"TEXT","data":{"quickReplies":[]}}`, `did you mean "quick_replies"?`},
		{"item", `{"type":"BUTTON","data":{"item":[]}}`, `The HSL BUTTON "data" has the key "item", which Haptik does not document; did you mean "items"?`},
		{"carousel item", `{"type":"CAROUSEL","data":{"items":[{"thumbnail":{"image":"i"},"Description":"d"}]}}`,
			`The HSL data.items[0] has the key "Description", which Haptik does not document; did you mean "description"?`},
		{"actionable", `{"type":"BUTTON","data":{"items":[{"actionable_txt":"x"}]}}`, `The HSL data.items[0] has the key "actionable_txt", which Haptik does not document; did you mean "actionable_text"?`},
		{"top level", `{"Type":"TEXT"}`, `The HSL object has the key "Type", which Haptik does not document; did you mean "type"?`},
		{"wrong-case type", `{"type":"text"}`,
			`The HSL type "text" is not one Haptik documents (BUTTON, CAROUSEL, TEXT); did you mean "TEXT"? If not, check that Haptik accepts it.`},
		{"typo in type", `{"type":"CAROUSAL"}`, `did you mean "CAROUSEL"?`},
		{"unknown type", `{"type":"VIDEO"}`, `The HSL type "VIDEO" is not one Haptik documents (BUTTON, CAROUSEL, TEXT); check that Haptik accepts it.`},
		{"wrong-case value", `{"type":"TEXT","data":{"quick_replies":[{"actionable_text":"a","type":"text_only","payload":{"message":"m"}}]}}`,
			`The HSL data.quick_replies[0].type is "text_only", which Haptik does not document (APP_ACTION, APP_FEEDBACK, FORM_SHOW, MESSAGE_BAR, SHARE, SHARE_RECEIPT, SHARE_REFERRAL, TAB_LIST_TEXT_ONLY, TEXT, TEXT_ONLY); did you mean "TEXT_ONLY"? If not, check`},
		{"syntax error", `{"type": "TEXT",}`,
			`not valid JSON: invalid character '}' looking for beginning of object key string at byte offset 16: after "{\"type\": \"TEXT\"," comes "}". Write it with jsonencode()`},
		{"syntax error far in", `{"type":"TEXT","text":"a long text before the mistake" "data":{"quick_replies":[]}}`,
			`invalid character '"' after object key:value pair at byte offset 55: after "…ext before the mistake\" " comes "\"data\":{\"quick_r…".`},
		{"syntax error after multibyte text", `{"text":"ünïcödé ünïcödé ünïcödé",}`,
			`at byte offset 46: after "…ünïcödé ünïcödé\"," comes "}".`},
		{"unclosed", `{"type":"TEXT"`, `not valid JSON: the JSON object is not closed: the answer ends at byte offset 14, after "{\"type\":\"TEXT\"".`},
		{"trailing text", "{\"type\":\"TEXT\"}\n  and more", `unexpected data after the JSON object at byte offset 18: after "{\"type\":\"TEXT\"}\n  " comes "and more".`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var details []string
			for _, p := range checkHSL(tc.hsl) {
				details = append(details, p.detail)
			}
			if !strings.Contains(strings.Join(details, "\n"), tc.want) {
				t.Fatalf("no problem says %q; got:\n%s", tc.want, strings.Join(details, "\n"))
			}
		})
	}
}

// Near enough is a typo, further is another word: Haptik documents few keys, and its samples use others.
func TestClosest(t *testing.T) {
	known := []string{"actionable_text", "location_required", "is_default", "uri", "type", "payload"}
	for s, want := range map[string]string{
		"payload": "", "paylod": "payload", "payloads": "payload", "PayLoad": "payload", "isDefault": "is_default",
		"is-default": "is_default", "locaton_requird": "location_required", "typ": "type", "types": "type", "tpye": "type", "Uri": "uri",
		"url": "", "link": "", "title": "", "": "",
	} {
		if got := closest(s, known); got != want {
			t.Errorf("closest(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCanonicalAndEquivalentHSL(t *testing.T) {
	pretty := "{\n  \"type\": \"TEXT\",\n  \"text\": \"a, b\"\n}"
	if got := Canonical(pretty); got != `{"type":"TEXT","text":"a, b"}` {
		t.Fatalf("Canonical = %q", got)
	}
	if got := Canonical(haptikSampleHSL); got != haptikSampleHSL {
		t.Fatalf("Canonical changed an already compact answer: %q", got)
	}
	if got := Canonical("plain  text "); got != "plain  text " {
		t.Fatalf("Canonical changed plain text: %q", got)
	}
	if !EquivalentHSL(pretty, `{"text":"a, b","type":"TEXT"}`) {
		t.Fatal("key order and whitespace should not matter")
	}
	for _, b := range []string{`{"text":"a, b","type":"BUTTON"}`, `{"type":"TEXT","text":"a, b","x":1}`, "plain"} {
		if EquivalentHSL(pretty, b) {
			t.Fatalf("%q counted as equivalent", b)
		}
	}
	if EquivalentHSL(`{"n":1}`, `{"n":1.0}`) {
		t.Fatal("numbers are compared as written")
	}
	// The rendered CSV carries the compact form.
	csv := string(RenderBytes([]Node{{Name: "n", UserSays: []string{"q"}, BotSays: []string{"hi", pretty}}}))
	if !strings.Contains(csv, `hi<m>{""type"":""TEXT"",""text"":""a, b""}`) {
		t.Fatalf("CSV %q does not carry the compact HSL", csv)
	}
}

func TestTextHSL(t *testing.T) {
	got := TextHSL("Need more help?", []string{"Talk to an Agent", "<Back> & forth"})
	want := `{"type":"TEXT","text":"Need more help?","data":{"quick_replies":[` +
		`{"actionable_text":"Talk to an Agent","is_default":0,"type":"TEXT_ONLY","payload":{"message":"Talk to an Agent","gogo_message":""}},` +
		`{"actionable_text":"<Back> & forth","is_default":0,"type":"TEXT_ONLY","payload":{"message":"<Back> & forth","gogo_message":""}}]}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if ps := Validate(Node{Name: "n", UserSays: []string{"q"}, BotSays: []string{got}}); len(ps) != 0 {
		t.Fatalf("TextHSL output fails validation: %+v", ps)
	}
	if got := TextHSL("Hi", nil); got != `{"type":"TEXT","text":"Hi","data":{"quick_replies":[]}}` {
		t.Fatalf("no replies: %s", got)
	}
}
