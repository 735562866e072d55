// Command haptik-bench measures the provider against Terraform's own floor and prints a table of
// figures, targets and pass/fail, written also to <out>/results.md with a chart of plan time
// against node count (<out>/plan-time.svg). Run it with `make bench`.
//
// Plan overhead: `terraform plan` of a haptik_faq_domain against `terraform plan` of a
// terraform_data holding the same map as input, both read from one JSON file, first plan and
// no-change plan after apply; and, for reference, the same schema served by a provider that does
// nothing (floorprovider), which shows what Terraform itself spends on the schema. Poll lag: how long after the emulator's task finishes the client
// notices, against a fixed 5-second polling loop. Render: ns per node and allocations at 100k nodes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// row is one line of the results table.
type row struct {
	figure, value, target string
	pass                  bool
}

func main() {
	if base := os.Getenv(memChildEnv); base != "" {
		n, err := strconv.Atoi(os.Getenv(memNodesEnv))
		if err == nil {
			err = applyChild(base, n)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "haptik-bench apply process:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "haptik-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	sizes := flag.String("sizes", "250,500,1000,2000", "node counts to plan")
	runs := flag.Int("runs", 3, "plans per measurement (the median is reported)")
	out := flag.String("out", "bin/bench", "directory for the results, the chart and the work files")
	tf := flag.String("terraform", "terraform", "the terraform binary")
	memNodes := flag.Int("memory-nodes", 100_000, "node count of the apply whose peak memory is measured (0 skips it)")
	flag.Parse()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	outDir, _ := filepath.Abs(*out)
	ctx := context.Background()

	emu := emulator.New(emulator.Config{Token: "bench-token", ClientID: "bench-client"})
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()
	base := "http://" + ln.Addr().String()

	var rows []row
	var points []point
	plan := &planner{tf: *tf, out: outDir, base: base, runs: *runs}
	if err := plan.setup(ctx); err != nil {
		return err
	}
	for _, s := range strings.Split(*sizes, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-sizes: %w", err)
		}
		p, err := plan.measure(ctx, n)
		if err != nil {
			return err
		}
		points = append(points, p)
		for _, m := range []struct {
			what                  string
			haptik, tfdata, floor time.Duration
		}{{"first plan", p.haptikFirst, p.dataFirst, p.floorFirst}, {"no-change plan", p.haptikNoop, p.dataNoop, p.floorNoop}} {
			ratio := float64(m.haptik) / float64(m.tfdata)
			ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
			rows = append(rows, row{
				figure: fmt.Sprintf("plan overhead, %s, %d nodes", m.what, n),
				value:  fmt.Sprintf("%.2f (%s vs %s)", ratio, ms(m.haptik), ms(m.tfdata)),
				target: "≤ 1.15", pass: ratio <= 1.15,
			}, row{
				figure: fmt.Sprintf("(reference) %s, %d nodes: the same schema with a do-nothing provider", m.what, n),
				value: fmt.Sprintf("%s, %.2f× terraform_data; haptik_faq_domain is %.2f× this", ms(m.floor),
					float64(m.floor)/float64(m.tfdata), float64(m.haptik)/float64(m.floor)),
				target: "-", pass: true,
			})
		}
	}

	lagRows, err := pollLag(ctx, emu, base)
	if err != nil {
		return err
	}
	rows = append(rows, lagRows...)
	rows = append(rows, renderRows()...)
	if *memNodes > 0 {
		memRows, err := memoryRows(ctx, emu, base, *memNodes)
		if err != nil {
			return err
		}
		rows = append(rows, memRows...)
	}

	table := formatTable(rows)
	fmt.Print(table)
	if err := os.WriteFile(filepath.Join(outDir, "results.md"), []byte("# make bench results\n\n"+table), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "plan-time.svg"), []byte(chart(points)), 0o644)
}

// planner runs terraform plans of both resources over the same generated JSON.
type planner struct {
	tf, out, base string
	runs          int
	cliConfig     string
}

type point struct {
	nodes                                        int
	haptikFirst, dataFirst, haptikNoop, dataNoop time.Duration
	// floorFirst and floorNoop are the same schema served by a provider that does nothing
	// (floorprovider): what Terraform itself spends on haptik_faq_domain's schema.
	floorFirst, floorNoop time.Duration
}

func (p *planner) setup(ctx context.Context) error {
	binDir := filepath.Join(p.out, "provider")
	for bin, pkg := range map[string]string{"terraform-provider-haptik": ".",
		"terraform-provider-haptikfloor": "./internal/cmd/haptik-bench/floorprovider"} {
		build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(binDir, bin), pkg)
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %w\n%s", bin, err, out)
		}
	}
	p.cliConfig = filepath.Join(p.out, "dev.tfrc")
	return os.WriteFile(p.cliConfig, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n"+
		"    \"faqops/haptik\" = %q\n    \"faqops/haptikfloor\" = %q\n  }\n  direct {}\n}\n", binDir, binDir)), 0o644)
}

func (p *planner) measure(ctx context.Context, n int) (point, error) {
	pt := point{nodes: n}
	dir := filepath.Join(p.out, fmt.Sprintf("nodes-%d", n))
	if err := os.RemoveAll(dir); err != nil {
		return pt, err
	}
	nodes, err := json.Marshal(benchNodes(n))
	if err != nil {
		return pt, err
	}
	haptikConfig := func(source string) string {
		return fmt.Sprintf("terraform {\n  required_providers {\n    haptik = { source = %q }\n  }\n}\n"+
			"provider \"haptik\" {\n  base_url = %q\n  client_id = \"bench-client\"\n  token = \"bench-token\"\n}\n"+
			"resource \"haptik_faq_domain\" \"bench\" {\n  domain_name = \"bench_%d\"\n  deletion_policy = \"retain\"\n"+
			"  nodes = jsondecode(file(\"${path.module}/nodes.json\"))\n}\n", source, p.base, n)
	}
	configs := map[string]string{
		"haptik": haptikConfig("faqops/haptik"),
		"floor":  haptikConfig("faqops/haptikfloor"),
		"data":   "resource \"terraform_data\" \"bench\" {\n  input = jsondecode(file(\"${path.module}/nodes.json\"))\n}\n",
	}
	for name, cfg := range configs {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return pt, err
		}
		if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(cfg), 0o644); err != nil {
			return pt, err
		}
		if err := os.WriteFile(filepath.Join(d, "nodes.json"), nodes, 0o644); err != nil {
			return pt, err
		}
	}
	if _, err := p.terraform(ctx, filepath.Join(dir, "data"), "init", "-input=false"); err != nil {
		return pt, err
	}
	if pt.haptikFirst, err = p.median(ctx, filepath.Join(dir, "haptik")); err != nil {
		return pt, err
	}
	if pt.dataFirst, err = p.median(ctx, filepath.Join(dir, "data")); err != nil {
		return pt, err
	}
	if pt.floorFirst, err = p.median(ctx, filepath.Join(dir, "floor")); err != nil {
		return pt, err
	}
	for _, name := range []string{"haptik", "data", "floor"} {
		if _, err := p.terraform(ctx, filepath.Join(dir, name), "apply", "-auto-approve", "-input=false"); err != nil {
			return pt, err
		}
	}
	if pt.haptikNoop, err = p.median(ctx, filepath.Join(dir, "haptik")); err != nil {
		return pt, err
	}
	if pt.dataNoop, err = p.median(ctx, filepath.Join(dir, "data")); err != nil {
		return pt, err
	}
	pt.floorNoop, err = p.median(ctx, filepath.Join(dir, "floor"))
	fmt.Fprintf(os.Stderr, "%d nodes: first plan %s vs %s (floor %s), no-change plan %s vs %s (floor %s)\n", n,
		pt.haptikFirst, pt.dataFirst, pt.floorFirst, pt.haptikNoop, pt.dataNoop, pt.floorNoop)
	return pt, err
}

// median times `terraform plan` runs times and returns the median.
func (p *planner) median(ctx context.Context, dir string) (time.Duration, error) {
	var ds []time.Duration
	for range p.runs {
		d, err := p.terraform(ctx, dir, "plan", "-input=false", "-refresh=false")
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

func (p *planner) terraform(ctx context.Context, dir string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, p.tf, append([]string{"-chdir=" + dir}, append(args, "-no-color")...)...)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+p.cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out)
	}
	return time.Since(start), nil
}

// benchNodes is faqcsv.SampleNodes as the nodes map of a configuration.
func benchNodes(n int) map[string]map[string][]string {
	nodes := make(map[string]map[string][]string, n)
	for _, node := range faqcsv.SampleNodes(n) {
		nodes[node.Name] = map[string][]string{"user_says": node.UserSays, "bot_says": node.BotSays}
	}
	return nodes
}

// pollLag measures how long after a task finishes the client notices it, with the provider's
// policy and with a fixed 5-second loop, and counts the polls of a 10-minute task.
func pollLag(ctx context.Context, emu *emulator.Server, base string) ([]row, error) {
	client, err := haptik.New(haptik.Config{BaseURL: base, ClientID: "bench-client", Token: "bench-token"})
	if err != nil {
		return nil, err
	}
	csv := faqcsv.RenderBytes([]faqcsv.Node{{Name: "n", UserSays: []string{"q"}, BotSays: []string{"a"}}})
	var rows []row
	for _, d := range []time.Duration{time.Second, 4 * time.Second} {
		emu.SetTaskDuration(d)
		id, err := client.UploadFAQ(ctx, "lag", csv)
		if err != nil {
			return nil, err
		}
		if _, err := client.WaitForTask(ctx, id, haptik.DefaultPollPolicy); err != nil {
			return nil, err
		}
		noticed := time.Now()
		task, _ := emu.Task(id)
		lag := noticed.Sub(task.ReadyAt)
		limit := max(500*time.Millisecond, d/5)
		rows = append(rows, row{figure: fmt.Sprintf("poll lag, %s task (%d polls)", d, task.Polls),
			value: lag.Round(time.Millisecond).String(), target: "≤ " + limit.String(), pass: lag <= limit})
	}
	// The same 4-second task, polled like a shell loop: upload, then `sleep 5` between status calls.
	emu.SetTaskDuration(4 * time.Second)
	id, err := client.UploadFAQ(ctx, "lag", csv)
	if err != nil {
		return nil, err
	}
	var fixedLag time.Duration
	for {
		time.Sleep(5 * time.Second)
		st, err := client.TaskStatus(ctx, id)
		if err != nil {
			return nil, err
		}
		if st.State == haptik.StateSucceeded {
			task, _ := emu.Task(id)
			fixedLag = time.Since(task.ReadyAt)
			break
		}
		if st.State == haptik.StateFailed {
			return nil, errors.New("the comparison task failed")
		}
	}
	rows = append(rows, row{figure: "poll lag, 4s task, sleep-5 loop (comparison)",
		value: fixedLag.Round(time.Millisecond).String(), target: "-", pass: true})

	// A 10-minute task, following the policy's schedule without waiting it out.
	const task = 10 * time.Minute
	polls, worst := policyPolls(haptik.DefaultPollPolicy, task)
	fewest := fewestPolls(task)
	rows = append(rows, row{figure: "status polls for a 10-minute task (policy schedule)",
		value:  fmt.Sprintf("%d polls, lag ≤ %s", polls, worst.Round(time.Millisecond)),
		target: fmt.Sprintf("about 30; the lag target allows no fewer than %d", fewest),
		pass:   polls <= fewest && worst <= task/5})
	return rows, nil
}

// policyPolls counts the status requests WaitForTask makes for a task of duration d (it waits
// before every poll, the first included) and the lag between the task finishing and the last poll.
func policyPolls(p haptik.PollPolicy, d time.Duration) (int, time.Duration) {
	polls, elapsed := 0, time.Duration(0)
	for elapsed < d {
		elapsed += p.Next(elapsed)
		polls++
	}
	return polls, elapsed - d
}

// fewestPolls is the fewest status requests any schedule can make for a task of duration d while
// noticing a task that ends at any moment t within max(0.5 s, t/5): after a poll at t, the next one
// can come no later than t + max(0.5 s, t/5), so the greedy schedule is the sparsest.
func fewestPolls(d time.Duration) int {
	polls, t := 0, time.Duration(0)
	for t < d {
		t += max(500*time.Millisecond, t/5)
		polls++
	}
	return polls
}

// renderRows benchmarks rendering 100,000 nodes.
func renderRows() []row {
	nodes := make([]faqcsv.Node, 0, 100_000)
	for name, n := range benchNodes(100_000) {
		nodes = append(nodes, faqcsv.Node{Name: name, UserSays: n["user_says"], BotSays: n["bot_says"]})
	}
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = faqcsv.Render(io.Discard, nodes)
		}
	})
	perNode := float64(r.NsPerOp()) / float64(len(nodes))
	return []row{{figure: "render 100,000 nodes to CSV", target: "report",
		value: fmt.Sprintf("%.0f ns/node, %d allocs/op, %.1f MB/op", perNode, r.AllocsPerOp(), float64(r.AllocedBytesPerOp())/1e6), pass: true}}
}

func formatTable(rows []row) string {
	var b strings.Builder
	b.WriteString("| figure | value | target | result |\n|---|---|---|---|\n")
	for _, r := range rows {
		result := "pass"
		if !r.pass {
			result = "FAIL"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.figure, r.value, r.target, result)
	}
	return b.String()
}

// chart draws first-plan time against node count for both resources as an SVG line chart.
func chart(points []point) string {
	const w, h, left, bottom, top, right = 640.0, 400.0, 70.0, 50.0, 40.0, 20.0
	maxN, maxT := 1.0, 1.0
	for _, p := range points {
		maxN = max(maxN, float64(p.nodes))
		maxT = max(maxT, p.haptikFirst.Seconds(), p.dataFirst.Seconds(), p.floorFirst.Seconds())
	}
	x := func(n int) float64 { return left + float64(n)/maxN*(w-left-right) }
	y := func(d time.Duration) float64 { return h - bottom - d.Seconds()/maxT*(h-bottom-top) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="22" font-size="14">terraform plan time (first plan, median) by node count</text>`+"\n", left)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n",
		left, h-bottom, w-right, h-bottom, left, h-bottom, left, top)
	for i := 0; i <= 4; i++ {
		t := time.Duration(float64(i) / 4 * maxT * float64(time.Second))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%.1f s</text>`+"\n", left-6, y(t)+4, t.Seconds())
	}
	for _, p := range points {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">%d</text>`+"\n", x(p.nodes), h-bottom+18, p.nodes)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">nodes</text>`+"\n", (left+w-right)/2, h-10)
	for _, s := range []struct {
		name, color string
		at          func(point) time.Duration
	}{{"haptik_faq_domain", "#c0392b", func(p point) time.Duration { return p.haptikFirst }},
		{"terraform_data", "#2c7fb8", func(p point) time.Duration { return p.dataFirst }},
		{"same schema, do-nothing provider", "#7f7f7f", func(p point) time.Duration { return p.floorFirst }}} {
		var pts []string
		for _, p := range points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(p.nodes), y(s.at(p))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.color, strings.Join(pts, " "))
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#c0392b">haptik_faq_domain</text><text x="%.0f" y="%.0f" fill="#2c7fb8">terraform_data</text>`+
		`<text x="%.0f" y="%.0f" fill="#7f7f7f">same schema, do-nothing provider</text>`+"\n", left+10, top+14, left+10, top+30, left+10, top+46)
	b.WriteString("</svg>\n")
	return b.String()
}
