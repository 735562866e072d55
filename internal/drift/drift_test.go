package drift

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/review"
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func configured(t *testing.T) []faqcsv.Node {
	t.Helper()
	nodes, err := ReadNodes([]byte(readFile(t, "configured.json")))
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

func names(ns []faqcsv.Node) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}

// The exports in testdata hold, against configured.json: an edited plain answer beside an HSL
// answer that is only reformatted (refunds), an edited Hindi answer (greeting_hi), two added
// nodes (one in Hindi), a missing node (invoices), and three nodes that differ only in what the
// content rules call the same (user says order, case and spacing; a multi-line answer). The CRLF
// export is the same content saved with CRLF line ends and a byte order mark.
func TestCompareExports(t *testing.T) {
	for _, file := range []string{"dashboard.csv", "dashboard-crlf.csv"} {
		t.Run(file, func(t *testing.T) {
			export, err := ReadExport(readFile(t, file))
			if err != nil {
				t.Fatal(err)
			}
			c := Compare(export, configured(t))
			var edited []string
			for _, e := range c.Edited {
				edited = append(edited, e[0].Name)
			}
			if want := []string{"greeting_hi", "refunds"}; !reflect.DeepEqual(edited, want) {
				t.Errorf("edited %q, want %q", edited, want)
			}
			if got, want := names(c.Added), []string{"delivery_hi", "promo"}; !reflect.DeepEqual(got, want) {
				t.Errorf("added %q, want %q", got, want)
			}
			if got, want := names(c.Deactivated), []string{"invoices"}; !reflect.DeepEqual(got, want) {
				t.Errorf("deactivated %q, want %q", got, want)
			}
			if c.Same != 3 || !c.Drifted() {
				t.Errorf("%d nodes match (want 3), drifted %v", c.Same, c.Drifted())
			}
		})
	}
}

func TestCompareNoDrift(t *testing.T) {
	nodes := configured(t)
	// The CSV the provider uploads reads back as no drift, and so do the same nodes saved with
	// CRLF line ends, HSL pretty-printed and user says in another order and case.
	export, err := ReadExport(string(faqcsv.RenderBytes(nodes)))
	if err != nil {
		t.Fatal(err)
	}
	if c := Compare(export, nodes); c.Drifted() || c.Same != len(nodes) {
		t.Fatalf("the uploaded CSV reads as drift: %+v", c)
	}
	var reworked []faqcsv.Node
	for _, n := range nodes {
		m := faqcsv.Node{Name: n.Name}
		for i := len(n.UserSays) - 1; i >= 0; i-- {
			m.UserSays = append(m.UserSays, "  "+strings.ToUpper(n.UserSays[i])+" ")
		}
		for _, b := range n.BotSays {
			if faqcsv.IsHSL(b) {
				b = strings.ReplaceAll(b, ",", ",\n  ")
			}
			m.BotSays = append(m.BotSays, strings.ReplaceAll(b, "\n", "\r\n"))
		}
		reworked = append(reworked, m)
	}
	export, err = ReadExport(strings.ReplaceAll(string(faqcsv.RenderBytes(reworked)), "\r\n", "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c := Compare(export, nodes); c.Drifted() {
		t.Fatalf("reformatting reads as drift: %+v", c)
	}
}

func TestSameNode(t *testing.T) {
	a := faqcsv.Node{Name: "n", UserSays: []string{"Hi", "hello"}, BotSays: []string{"One", `{"type":"TEXT","text":"x"}`}}
	for _, tc := range []struct {
		b    faqcsv.Node
		same bool
	}{
		{faqcsv.Node{UserSays: []string{"HELLO", "hi"}, BotSays: []string{"One", `{ "text": "x", "type": "TEXT" }`}}, true},
		{faqcsv.Node{UserSays: []string{"Hi"}, BotSays: []string{"One", `{"type":"TEXT","text":"x"}`}}, false},
		{faqcsv.Node{UserSays: []string{"Hi", "hello", "hey"}, BotSays: []string{"One", `{"type":"TEXT","text":"x"}`}}, false},
		{faqcsv.Node{UserSays: []string{"Hi", "hello"}, BotSays: []string{`{"type":"TEXT","text":"x"}`, "One"}}, false},
		{faqcsv.Node{UserSays: []string{"Hi", "hello"}, BotSays: []string{"one", `{"type":"TEXT","text":"x"}`}}, false},
		{faqcsv.Node{UserSays: []string{"Hi", "hello"}, BotSays: []string{"One"}}, false},
	} {
		if got := SameNode(a, tc.b); got != tc.same {
			t.Errorf("SameNode(%q, %q) = %v", a, tc.b, got)
		}
	}
}

func TestReadExportErrors(t *testing.T) {
	for csv, want := range map[string]string{
		"":                               "line 1: the file is empty",
		"name,question,answer\n":         "it must be exactly node_name,question,answer",
		"node_name,question,answer\na,b": "line 2: 2 field(s)",
		"node_name,question,answer\r\na,b,c\r\na,d,e\r\n": `line 3: node_name "a" repeats the node of line 2`,
	} {
		if _, err := ReadExport(csv); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadExport(%q): %v, want %q", csv, err, want)
		}
	}
}

func TestReadNodes(t *testing.T) {
	nodes, err := ReadNodes([]byte(`{"b": {"user_says": ["x"], "bot_says": ["y"]}, "a": {"bot_says": ["q"], "user_says": ["p"]}}`))
	if err != nil || !reflect.DeepEqual(nodes, []faqcsv.Node{{Name: "a", UserSays: []string{"p"}, BotSays: []string{"q"}},
		{Name: "b", UserSays: []string{"x"}, BotSays: []string{"y"}}}) {
		t.Fatalf("%v %q", err, nodes)
	}
	for in, want := range map[string]string{
		`[]`:                          "is not a JSON object of nodes",
		`null`:                        "is not a JSON object of nodes",
		`{"a": {"user_says": ["x"]}}`: `node "a" has no bot_says list`,
		`{"a": {"user_says": [null], "bot_says": ["y"]}}`:            `node "a": user_says[0] is null`,
		`{"a": {"user_says": ["x"], "bot_says": ["y"], "extra": 1}}`: `node "a" is not an object with user_says and bot_says`,
		`{"a": {"user_says": [1], "bot_says": ["y"]}}`:               `node "a" is not an object`,
	} {
		if _, err := ReadNodes([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadNodes(%s): %v, want %q", in, err, want)
		}
	}
}

func TestPlanned(t *testing.T) {
	plan, err := os.ReadFile(filepath.Join("..", "review", "testdata", "changes.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	domains, err := review.PlannedDomains(plan)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Planned(domains, "acme_billing")
	if err != nil || d.Address != "haptik_faq_domain.billing" || !d.Uploads || len(d.Nodes) != 3 {
		t.Fatalf("%v %+v", err, d)
	}
	if _, err := Planned(domains, ""); err == nil || !strings.Contains(err.Error(), "name the exported one with -domain") {
		t.Fatalf("several domains without -domain: %v", err)
	}
	if _, err := Planned(domains, "acme_nope"); err == nil || !strings.Contains(err.Error(), `no haptik_faq_domain resource of the plan has domain_name "acme_nope"`) {
		t.Fatalf("unknown domain: %v", err)
	}
	if d, err := Planned(domains[:1], ""); err != nil || d.Domain != "acme_billing" {
		t.Fatalf("the only domain: %v %+v", err, d)
	}
	if _, err := Planned(nil, ""); err == nil {
		t.Fatal("a plan with no domain is accepted")
	}
}
