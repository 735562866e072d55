package faqcsv

import (
	"reflect"
	"strings"
	"testing"
)

func TestStartsFormula(t *testing.T) {
	formulas := []string{
		"=1+1", "=HYPERLINK(\"https://evil.example\",\"Click\")", "=", "=)", "@SUM(A1:A3)", "@support",
		"+SUM(1,2)", "-SUM(1,2)", "+HYPERLINK(\"x\")", "-1+2", "+1-2", "-2.5*3", "+3^2", "-1/2", "+1&2",
		"-cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-Sheet1!A1", "+A1", "-$A$1*2", "+AB12:AC20", "-(1+2)",
		"+91-98765-43210", // a spreadsheet computes it: 91-98765-43210 = -141884
		"+1-800-555-0199",
		// A spreadsheet skips leading tabs and carriage returns before a formula.
		"\t=1+1", "\r=1+1", "\t\r=1+1", "\t@SUM(A1)", "\r@x", "\t+SUM(1,2)", "\r-1+2", "\t-cmd|' /C calc'!A0",
		// A sign then "@".
		"-@SUM(A1:A3)", "+@x", "-@", "\t-@A1", "\r+@HYPERLINK(\"x\")",
	}
	for _, s := range formulas {
		if !startsFormula(s) {
			t.Errorf("%q is not reported as a formula", s)
		}
	}
	text := []string{
		"", "+", "-", "Hello", "+91 98765 43210", "+44 20 7946 0958", "+919876543210", "-5", "+44", "-5%", "-50% off today!",
		"- step one", "-- see below", "-> next", "+ add a card", "-ish", "+B2B sales", "-A1 grade paper",
		"-Wow!", "-Hello! Welcome", "-(see below)", "+1.5", " =1+1", " \t=1+1", "\n=1+1", "a=1+1",
		"\t", "\r", "\tHello", "\t+91 98765 43210", "\r- step one", "\t-5", "+ @support", "-\t@x", "{\"type\":\"TEXT\"}",
		"–1+2", // an en dash, not a minus
		"-é", "+_", "-A", "-ABCD1",
	}
	for _, s := range text {
		if startsFormula(s) {
			t.Errorf("%q is reported as a formula", s)
		}
	}
}

func TestFormulaShown(t *testing.T) {
	for s, want := range map[string]string{
		"-1+2":                        "-1+2",
		"=SUM(A1) is the total":       "=SUM(A1)",
		"=HYPERLINK(\"https://x.y\")": "=HYPERLINK(\"https://x.y\"…",
		"@support":                    "@support",
		"=日本語日本語日本語":                  "=日本語日本語日…",
		"\t=1+1 total":                "\t=1+1",
		"\r\t-@A1":                    "\r\t-@A1",
	} {
		if got := formulaShown(s); got != want {
			t.Errorf("formulaShown(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestFormulaWarnings(t *testing.T) {
	nodes := []Node{
		{Name: "=calc", UserSays: []string{"+SUM(1,2)", "+91 98765 43210"}, BotSays: []string{"- step one\n- step two", "=HYPERLINK(\"https://evil.example\",\"Click\")"}},
		{Name: "phone", UserSays: []string{"call"}, BotSays: []string{"+91 98765 43210", "-1+2"}},
		{Name: "tabbed", UserSays: []string{"-@x", "\tHello"}, BotSays: []string{"\t=HYPERLINK(\"https://evil.example\")"}},
	}
	ps := ValidateAll(nodes)
	want := []string{
		"=calc: Spreadsheet Formula in Node Name (w)",
		"=calc.user_says[0]: Spreadsheet Formula in User Says (w)",
		"=calc.bot_says[1]: Spreadsheet Formula in Bot Says (w)",
		"phone.bot_says[1]: Spreadsheet Formula in Bot Says (w)",
		"tabbed.user_says[0]: Spreadsheet Formula in User Says (w)",
		"tabbed.bot_says[0]: Spreadsheet Formula in Bot Says (w)",
	}
	if got := summaries(ps); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	checkSentences(t, ps)
	if hasErrors(ps) {
		t.Fatal("a formula is a warning, not an error")
	}
	wantDetail := `The bot says starts with "-1+2", which spreadsheets such as Excel read as a formula and run when a content team opens a CSV export of the bot, so the cell can show other text, fetch a web address or start a program. It is uploaded as written, because escaping it would change what the bot says; if it is not meant as a formula, start the text with a word or another character, and import exported columns as text when opening them in a spreadsheet.`
	if got := ps[3].Detail; got != wantDetail {
		t.Fatalf("detail\n got %s\nwant %s", got, wantDetail)
	}
	if got, want := ps[5].Detail, `The bot says starts with "\t=HYPERLINK(\"https://evil…", which`; !strings.HasPrefix(got, want) {
		t.Fatalf("detail\n got %s\nwant %s...", got, want)
	}
	// Uploaded verbatim.
	csv := string(RenderBytes(nodes))
	for _, s := range []string{"\n=calc,\"+SUM(1,2)|+91 98765 43210\",", `=HYPERLINK(""https://evil.example"",""Click"")`, "<m>-1+2\r\n"} {
		if !strings.Contains(csv, s) {
			t.Errorf("the CSV %q does not carry %q verbatim", csv, s)
		}
	}
}
