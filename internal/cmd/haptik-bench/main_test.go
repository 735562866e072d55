package main

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

func TestFormatTable(t *testing.T) {
	got := formatTable([]row{
		{figure: "plan overhead", value: "1.05", target: "≤ 1.15", pass: true},
		{figure: "poll lag", value: "2s", target: "≤ 500ms", pass: false},
	})
	want := "| figure | value | target | result |\n|---|---|---|---|\n" +
		"| plan overhead | 1.05 | ≤ 1.15 | pass |\n| poll lag | 2s | ≤ 500ms | FAIL |\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// The chart is well-formed SVG with one line per resource and a point per size.
func TestChart(t *testing.T) {
	svg := chart([]point{
		{nodes: 250, haptikFirst: 500 * time.Millisecond, dataFirst: 100 * time.Millisecond, floorFirst: 400 * time.Millisecond},
		{nodes: 1000, haptikFirst: 2 * time.Second, dataFirst: 400 * time.Millisecond, floorFirst: 1800 * time.Millisecond},
	})
	dec := xml.NewDecoder(strings.NewReader(svg))
	lines := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "polyline" {
			lines++
			for _, a := range el.Attr {
				if a.Name.Local == "points" && len(strings.Fields(a.Value)) != 2 {
					t.Fatalf("polyline with points %q, want 2", a.Value)
				}
			}
		}
	}
	if lines != 3 || !strings.Contains(svg, "haptik_faq_domain") || !strings.Contains(svg, "terraform_data") ||
		!strings.Contains(svg, "do-nothing provider") {
		t.Fatalf("%d polylines in:\n%s", lines, svg)
	}
}

func TestBenchNodesAreValid(t *testing.T) {
	nodes := benchNodes(50)
	if len(nodes) != 50 {
		t.Fatalf("%d nodes", len(nodes))
	}
	var all []faqcsv.Node
	for name, n := range nodes {
		if len(n["user_says"]) != 3 || len(n["bot_says"]) != 2 || !strings.HasPrefix(n["bot_says"][1], "{") {
			t.Fatalf("node %s is not shaped as the benchmark requires: %v", name, n)
		}
		all = append(all, faqcsv.Node{Name: name, UserSays: n["user_says"], BotSays: n["bot_says"]})
	}
	// The plans would fail on content errors, measuring nothing.
	if ps := faqcsv.ValidateAll(all); len(ps) != 0 {
		t.Fatalf("the benchmark's nodes break the content rules: %+v", ps[0])
	}
}

func TestPollCounts(t *testing.T) {
	const task = 10 * time.Minute
	polls, lag := policyPolls(haptik.DefaultPollPolicy, task)
	if fewest := fewestPolls(task); polls != fewest || fewest != 36 {
		t.Errorf("default policy: %d polls, fewest possible %d; want both 36", polls, fewest)
	}
	if lag > task/5 {
		t.Errorf("default policy: lag %s, over 20%% of the task", lag)
	}
	// A sparser schedule polls less, but misses the lag target.
	sparse := haptik.PollPolicy{MinInterval: time.Second, MaxInterval: 5 * time.Minute, Fraction: 0.3}
	if p, _ := policyPolls(sparse, task); p >= 36 {
		t.Errorf("sparse policy: %d polls, want fewer than 36", p)
	}
	if p, _ := policyPolls(haptik.PollPolicy{MinInterval: time.Second}, 10*time.Second); p != 10 {
		t.Errorf("fixed 1 s policy over 10 s: %d polls, want 10", p)
	}
}

func TestProcStatus(t *testing.T) {
	rss, err := procStatus("VmRSS")
	if err != nil || rss < 1<<20 {
		t.Fatalf("VmRSS = %d, %v; want at least 1 MiB", rss, err)
	}
	if _, err := procStatus("NoSuchLine"); err == nil {
		t.Fatal("want an error for a missing line")
	}
}
