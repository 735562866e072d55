package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// Random sequences of Terraform operations against the emulator, in the spirit of Jepsen: edits,
// reverts, renames without a moved block, destroys, plain re-applies, forced replacements
// (-replace, replace_triggered_by; destroy-then-create or create_before_destroy), a domain_name
// unknown at plan (known at apply), and a second resource whose domain_name, unknown at plan,
// turns out to be the domain the first holds, each under a random fault (a task failing part-way, a task outliving the timeout, an interrupt, status and upload
// faults). After every operation the invariant is checked from Terraform's state and the
// emulator's own record:
//
//	every resource in state is either confirmed (confirmed true or null) and records exactly the
//	nodes the emulator holds active, or it is unconfirmed (confirmed = false) and the next plan
//	uploads (a non-empty plan for it).
//
// A forced replacement whose domain is known at plan must also never empty the bot: the
// emulator's own record shows no header-only CSV and no task leaving the domain without active
// nodes (checkStep).
//
// The provider is driven at the protocol level in-process, with the RPCs Terraform sends for
// `terraform apply` and `terraform destroy` (a fresh provider server per operation, as each
// command starts a new plugin process), and Terraform's handling of their answers: the state and
// private state an apply returns are kept, even on an error (a failed create's non-null state is
// kept tainted and replaced by the next apply: planned with a null prior state only, its destroy
// half given that plan's private state; a failed create's null state keeps nothing). A
// replacement is planned twice (the second time with a null prior state and the first plan's
// private state), its destroy half gets the second plan's private state, and its create is
// planned again in the apply with no private state; with create_before_destroy the old object is
// deposed first, restored when the create answers a null state with an error, and otherwise
// destroyed after it, planned again with its own private state (Terraform 1.11's
// NodeDestroyDeposedResourceInstanceObject; TestAccReplace_neverEmptiesTheBot checks the CLI). Slow
// tasks are emulator tasks that finish only when the sequence lets Haptik catch up, and most
// timeouts end the operation's context early (what the provider sees is the same as its own
// timeout firing), so a sequence costs milliseconds; a few operations use the real 1 s timeouts.
//
//	go test ./internal/provider -run '^TestSequences_invariant$' -sequences 500
//	go test ./internal/provider -run '^TestSequences_invariant$' -sequences 1 -seed <failing seed> -v
var (
	seqCount   = flag.Int("sequences", 30, "how many random operation sequences TestSequences_invariant runs")
	seqSeed    = flag.Uint64("seed", 0, "the first sequence's seed (0: a random one); sequence i uses seed+i")
	seqWorkers = flag.Int("sequence-workers", 8, "how many sequences run at once")
	seqCLI     = flag.Int("cli-sequences", 0, "how many sequences TestAccSequences_cli runs through the real Terraform CLI")
)

// seqDomain is the one domain every sequence works on.
const seqDomain = "d"

func TestSequences_invariant(t *testing.T) {
	base := *seqSeed
	if base == 0 {
		base = rand.Uint64() >> 1
	}
	t.Logf("sequences %d, seeds %d to %d", *seqCount, base, base+uint64(*seqCount)-1)
	seqCounts.Lock()
	seqCounts.n = map[string]int{}
	seqCounts.Unlock()
	// Sequences mostly wait for deadlines, so several run at once; t.Run may be called from
	// several goroutines.
	seeds := make(chan uint64)
	var wg sync.WaitGroup
	for range max(*seqWorkers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seed := range seeds {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runSequence(t, seed) })
			}
		}()
	}
	for i := range *seqCount {
		seeds <- base + uint64(i)
	}
	close(seeds)
	wg.Wait()
	seqCounts.Lock()
	defer seqCounts.Unlock()
	for _, what := range slices.Sorted(mapKeys(seqCounts.n)) {
		t.Logf("steps %q: %d", what, seqCounts.n[what])
	}
}

// seqWorld is one sequence: an emulated Haptik, the configuration, and Terraform's state.
type seqWorld struct {
	t   *testing.T
	rng *rand.Rand
	emu *emulator.Server
	url string
	// cfg is the configuration: one haptik_faq_domain at address addr (its name).
	addr   string
	nodes  map[string]testNode
	policy string // deletion_policy; "" leaves it null
	// history holds every nodes map the configuration has had, for reverts.
	history []map[string]testNode
	// state is Terraform's state: each resource's state and private state, by name.
	state map[string]*seqResource
	// cli, when set, runs each operation through the real Terraform CLI in its working
	// directory; state is then what Terraform wrote there.
	cli *terraformCLI
	// mustStateRm: the last plan failed with emptiesAnother.
	mustStateRm bool
	log         []string

	// What one step's configuration and command add (reset after every step):
	// replace: the apply is terraform apply -replace=<addr> (replace_triggered_by sends the same
	// RPCs); cbd: the resource has lifecycle { create_before_destroy = true }, which replacements
	// of every kind follow; unknownDomain: addr's domain_name is unknown at plan and seqDomain at
	// apply; extra: a second resource whose domain_name, unknown at plan, becomes seqDomain at
	// apply.
	replace, cbd, unknownDomain bool
	extra                       *seqExtra
	// domainGen is the CLI configuration's terraform_data trigger: a new value makes its output
	// (the domain_name) unknown at plan.
	domainGen int
}

// seqExtra is a second haptik_faq_domain in the configuration for one step.
type seqExtra struct {
	name  string
	nodes map[string]testNode
}

// seqExtraName is the extra resource's address (never one of the renames' a, b and c).
const seqExtraName = "x"

// deposedSuffix names, in seqWorld.state, the deposed objects of the resource whose name it
// follows (with a number after it from the second on): what create_before_destroy leaves in state
// when the new object was created but the old one was not destroyed, or when the create failed
// with a state (the new object tainted, the old one deposed).
const deposedSuffix = "~deposed"

// deposedKey is a key of seqWorld.state for another deposed object of name.
func (w *seqWorld) deposedKey(name string) string {
	key := name + deposedSuffix
	for n := 2; w.state[key] != nil; n++ {
		key = fmt.Sprintf("%s%s%d", name, deposedSuffix, n)
	}
	return key
}

type seqResource struct {
	state   tftypes.Value
	private []byte
	// deposed: the old object of a create_before_destroy replacement, which the next apply
	// destroys.
	deposed bool
	// tainted: a create failed but returned a state (one Haptik may have acted on, unconfirmed),
	// which Terraform keeps tainted: the next apply replaces it.
	tainted bool
}

func runSequence(t *testing.T, seed uint64) {
	emu := emulator.New(emulator.Config{Token: testToken, ClientID: testClientID})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	newSeqWorld(t, seed, emu, srv.URL).run()
}

// newSeqWorld starts sequence seed: its configuration, and an empty state.
func newSeqWorld(t *testing.T, seed uint64, emu *emulator.Server, url string) *seqWorld {
	w := &seqWorld{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), emu: emu, url: url,
		addr: "a", state: map[string]*seqResource{}}
	if w.rng.IntN(5) == 0 {
		w.policy = faqdomain.PolicyRetain
	}
	w.nodes = w.randomNodes()
	w.history = append(w.history, w.nodes)
	w.logf("seed %d: resource %q, deletion_policy %q, nodes %s", seed, w.addr, w.policy, nodeSummary(w.nodes))
	return w
}

// run runs the sequence's steps, checking the invariant after each, and then its heal.
func (w *seqWorld) run() {
	t := w.t

	steps := 4 + w.rng.IntN(12)
	for i := range steps {
		w.step(i)
		if err := w.check(); err != nil {
			w.fail("invariant broken after step %d: %v", i+1, err)
		}
	}
	// Liveness: once Haptik has caught up, a plain apply succeeds and confirms the configuration.
	w.emu.FinishRunningTasks()
	w.logf("heal: Haptik finishes every task, then a fault-free apply")
	errs := w.apply(context.Background(), false)
	if slices.Contains(errs, emptiesAnother) {
		w.logf("heal: terraform state rm of every address but %s, as the plan error says; state: %s", w.addr, w.stateRm())
		errs = w.apply(context.Background(), false)
	}
	if len(errs) > 0 {
		w.fail("a fault-free apply after Haptik caught up failed: %s", strings.Join(errs, "; "))
	}
	if err := w.check(); err != nil {
		w.fail("invariant broken after the final apply: %v", err)
	}
	r := w.state[w.addr]
	if r == nil || !isConfirmed(r.state) {
		w.fail("after the final apply the resource is not in state, confirmed")
	}
	if err := sameNodesHSL("active nodes after the final apply", w.emu.ActiveNodes(seqDomain), w.nodes); err != nil {
		w.fail("%v", err)
	}
	if testing.Verbose() {
		t.Logf("steps:\n  %s", strings.Join(w.log, "\n  "))
	}
}

// emptiesAnother is the plan error for a destroy beside another resource keeping its domain.
const emptiesAnother = "Destroy Would Empty Another Resource's Domain"

// stateRm removes every resource but the configured one from state (terraform state rm). A
// deposed object of the configured one has no address of its own: removing it removes the
// configured resource too.
func (w *seqWorld) stateRm() string {
	removed := map[string]bool{}
	for _, name := range slices.Sorted(mapKeys(w.state)) {
		addr, _, _ := strings.Cut(name, deposedSuffix)
		if name == w.addr || removed[addr] {
			continue
		}
		if w.cli != nil {
			w.cli.must("state", "rm", faqdomain.TypeName+"."+addr)
		}
		removed[addr] = true
		for key := range mapKeys(w.state) {
			if k, _, _ := strings.Cut(key, deposedSuffix); k == addr {
				delete(w.state, key)
			}
		}
	}
	return w.stateSummary()
}

func (w *seqWorld) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf(format, args...))
}

// fail ends the sequence, printing every step so far (each step is reproducible from the seed).
func (w *seqWorld) fail(format string, args ...any) {
	w.t.Helper()
	w.t.Fatalf("%s\n\nsteps:\n  %s", fmt.Sprintf(format, args...), strings.Join(w.log, "\n  "))
}

var (
	seqNames   = []string{"billing", "hours", "refunds", "reset", "shipping", "welcome"}
	seqAsks    = []string{"hi", "hello", "help me", "where is my order", "opening hours", "refund please"}
	seqAnswers = []string{"yes", "no", "ask support", "we open at 9", faqcsv.TextHSL("hi there", []string{"menu"}),
		spacedHSL(faqcsv.TextHSL("hi there", []string{"menu"}))}
)

// spacedHSL is an HSL answer reformatted: the provider treats it as equal to the compact one.
func spacedHSL(compact string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(compact), "", "  "); err != nil {
		panic(err)
	}
	return b.String()
}

func (w *seqWorld) pick(pool []string) []string {
	n := 1 + w.rng.IntN(2)
	out := make([]string, n)
	for i, j := range w.rng.Perm(len(pool))[:n] {
		out[i] = pool[j]
	}
	return out
}

// randomNode is a node named name; what users say names it, as no two nodes may share one.
func (w *seqWorld) randomNode(name string) testNode {
	asks := w.pick(seqAsks)
	for i := range asks {
		asks[i] += " about " + name
	}
	return testNode{UserSays: asks, BotSays: w.pick(seqAnswers)}
}

func (w *seqWorld) randomNodes() map[string]testNode {
	nodes := map[string]testNode{}
	for _, i := range w.rng.Perm(len(seqNames))[:1+w.rng.IntN(4)] {
		nodes[seqNames[i]] = w.randomNode(seqNames[i])
	}
	return nodes
}

// edited is the configuration's nodes with one node added, removed or changed.
func (w *seqWorld) edited() (map[string]testNode, string) {
	nodes := map[string]testNode{}
	for k, v := range w.nodes {
		nodes[k] = v
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range nodes {
			if !yield(k) {
				return
			}
		}
	})
	switch op := w.rng.IntN(3); {
	case op == 0 && len(nodes) < len(seqNames):
		for _, i := range w.rng.Perm(len(seqNames)) {
			if _, ok := nodes[seqNames[i]]; !ok {
				nodes[seqNames[i]] = w.randomNode(seqNames[i])
				return nodes, "add " + seqNames[i]
			}
		}
	case op == 1 && len(nodes) > 1:
		name := names[w.rng.IntN(len(names))]
		delete(nodes, name)
		return nodes, "remove " + name
	}
	name := names[w.rng.IntN(len(names))]
	nodes[name] = w.randomNode(name)
	return nodes, "change " + name
}

// seqFault is what goes wrong during one operation.
type seqFault int

const (
	faultNone seqFault = iota
	faultTaskPartial
	faultTaskFails
	faultSlowTimeout // a task that outlives the operation's deadline
	faultSlowFinishes
	faultRealTimeout // a task that outlives timeouts = "1s"
	faultInterrupt
	faultStatus5xx
	faultStatus400
	faultStatusReset
	faultUpload5xx
	faultUpload400
)

var faultWeights = []struct {
	fault  seqFault
	weight int
}{
	{faultNone, 30}, {faultTaskPartial, 12}, {faultTaskFails, 4}, {faultSlowTimeout, 10}, {faultSlowFinishes, 5},
	{faultRealTimeout, 1}, {faultInterrupt, 8}, {faultStatus5xx, 5}, {faultStatus400, 4}, {faultStatusReset, 3},
	{faultUpload5xx, 5}, {faultUpload400, 4},
}

func (w *seqWorld) randomFault() seqFault {
	total := 0
	for _, f := range faultWeights {
		total += f.weight
	}
	n := w.rng.IntN(total)
	for _, f := range faultWeights {
		if n < f.weight {
			return f.fault
		}
		n -= f.weight
	}
	panic("unreachable")
}

// inject queues the fault in the emulator and returns the operation's context.
func (w *seqWorld) inject(f seqFault) (context.Context, context.CancelFunc, string) {
	const late = time.Hour // finishes only when Haptik catches up (FinishRunningTasks)
	// Every operation ends by this deadline: ample for an operation that meets no slow task (a
	// few milliseconds), and what a timeout looks like to the provider when one is in the way.
	deadline := 60 * time.Millisecond
	switch f {
	case faultTaskPartial:
		rows := w.rng.IntN(4)
		w.emu.FailNextTask(emulator.TaskFault{Message: "Error at row " + fmt.Sprint(rows+1) + ": invalid answer",
			Partial: true, AppliedRows: rows})
		return w.deadline(deadline, fmt.Sprintf("the next task applies %d row(s), then fails", rows))
	case faultTaskFails:
		w.emu.FailNextTask(emulator.TaskFault{Message: "Exception: worker lost"})
		return w.deadline(deadline, "the next task fails, changing nothing")
	case faultSlowTimeout:
		w.emu.FinishNextTaskAfter(late)
		d := time.Duration(1+w.rng.IntN(40)) * time.Millisecond
		return w.deadline(d, fmt.Sprintf("the next task is slow; the operation times out after %s", d))
	case faultSlowFinishes:
		w.emu.FinishNextTaskAfter(late)
		d := time.Duration(w.rng.IntN(30)) * time.Millisecond
		go func() {
			time.Sleep(d)
			w.emu.FinishRunningTasks()
		}()
		return w.deadline(40*time.Millisecond, fmt.Sprintf("the next task is slow; Haptik finishes every task after %s, "+
			"the operation times out after 40ms", d))
	case faultRealTimeout:
		w.emu.FinishNextTaskAfter(late)
		return w.deadline(10*time.Second, "the next task outlives timeouts = 1s")
	case faultInterrupt:
		w.emu.FinishNextTaskAfter(late)
		d := time.Duration(w.rng.IntN(20)) * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(d)
			cancel()
		}()
		return ctx, cancel, fmt.Sprintf("the next task is slow; Terraform is interrupted after %s", d)
	case faultStatus5xx:
		n := 1 + w.rng.IntN(8)
		w.emu.FailStatus(emulator.StatusFault{Status: 502, Message: "bad gateway", Count: n})
		return w.deadline(deadline, fmt.Sprintf("the next %d status requests answer 502", n))
	case faultStatus400:
		w.emu.FailStatus(emulator.StatusFault{Status: 400, Message: "bad request"})
		return w.deadline(deadline, "the next status request answers 400")
	case faultStatusReset:
		w.emu.FailStatus(emulator.StatusFault{Reset: true, Count: 1 + w.rng.IntN(3)})
		return w.deadline(deadline, "the next status requests are reset")
	case faultUpload5xx:
		n := 1 + w.rng.IntN(7) // the client sends an upload up to 5 times
		w.emu.FailUploads(emulator.UploadFault{Status: 503, Message: "maintenance", Count: n})
		return w.deadline(deadline, fmt.Sprintf("the next %d upload requests answer 503", n))
	case faultUpload400:
		w.emu.FailUploads(emulator.UploadFault{Status: 400, Message: "invalid csv file"})
		return w.deadline(deadline, "the next upload request answers 400")
	default:
		return w.deadline(deadline, "no fault")
	}
}

func (w *seqWorld) deadline(d time.Duration, what string) (context.Context, context.CancelFunc, string) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return ctx, cancel, what
}

// step runs one random operation under one random fault.
func (w *seqWorld) step(i int) {
	if w.rng.IntN(5) == 0 {
		w.emu.FinishRunningTasks()
		w.logf("%d. Haptik finishes every running task", i+1)
	}
	if w.mustStateRm {
		// The plan failed because the old address of a rename whose destroy failed would empty
		// the domain: do what its error says.
		w.mustStateRm = false
		w.logf("%d. terraform state rm of every address but %s, as the plan error says; state: %s", i+1, w.addr, w.stateRm())
		return
	}
	destroy := false
	var what string
	live := w.state[w.addr] != nil && !w.state[w.addr].tainted
	switch n := w.rng.IntN(100); {
	case n < 30:
		var edit string
		w.nodes, edit = w.edited()
		w.history = append(w.history, w.nodes)
		what = "edit (" + edit + ")"
	case n < 42:
		w.nodes = w.history[w.rng.IntN(len(w.history))]
		w.history = append(w.history, w.nodes)
		what = "revert"
	case n < 51:
		old := w.addr
		for w.addr == old {
			w.addr = []string{"a", "b", "c"}[w.rng.IntN(3)]
		}
		what = fmt.Sprintf("rename %s to %s without a moved block", old, w.addr)
	case n < 60:
		destroy = true
		what = "terraform destroy"
	case n < 72 && live:
		w.replace = true
		what = "terraform apply -replace=" + w.addr
	case n < 78 && live && w.state[seqExtraName] == nil:
		// The other resource's upload is refused only when the apply plans this one again, so
		// this one changes too (a resource without changes is outside the check, as the plan
		// warns: seed 20261499 found an edit that gave a node its old content back).
		var edit string
		w.nodes, edit = w.edited()
		for range 20 {
			if w.changes(w.nodes) {
				break
			}
			w.nodes, edit = w.edited()
		}
		w.history = append(w.history, w.nodes)
		w.extra = &seqExtra{name: seqExtraName, nodes: w.randomNodes()}
		w.domainGen++
		what = fmt.Sprintf("edit (%s) beside a new resource %s whose domain_name, unknown at plan, is %q at apply",
			edit, seqExtraName, seqDomain)
		w.count("unknown domain_name held by another resource")
	default:
		what = "re-apply"
	}
	if !destroy && w.extra == nil && w.rng.IntN(8) == 0 {
		w.unknownDomain = true
		w.domainGen++
		what += fmt.Sprintf(", domain_name unknown at plan (%q at apply)", seqDomain)
		switch {
		case !live:
			w.count("unknown domain_name: create")
		case w.replace:
			w.count("unknown domain_name: forced replacement")
		default:
			w.count("unknown domain_name: replacement")
		}
	}
	f := w.randomFault()
	// create_before_destroy is the configuration's: every replacement of this step follows it,
	// under any fault (a create that Haptik may have acted on answers a tainted unconfirmed
	// state, so Terraform keeps the old object deposed; found by seed 8048477588864139709).
	if w.cbd = w.rng.IntN(2) == 0 && !w.tasksRunning(); w.cbd {
		what += ", create_before_destroy"
	}
	if w.replace && !w.unknownDomain {
		if w.cbd {
			w.count("-replace with create_before_destroy")
		} else {
			w.count("-replace")
		}
	}
	ctx, cancel, fault := w.inject(f)
	defer cancel()
	if w.cbd && (f == faultNone || f == faultUpload400) {
		// No slow task is in the way and no fault ends the context, so a long deadline costs
		// nothing, and a loaded machine does not turn the step into one that times out.
		ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
	}
	uploads, done := len(w.emu.Uploads()), len(w.emu.Completions(seqDomain))
	start := time.Now()
	errs := w.apply(ctx, destroy)
	took := time.Since(start).Round(time.Millisecond)
	// Faults an operation did not consume would hit the next one: start each step afresh.
	w.drainFaults()
	w.mustStateRm = slices.Contains(errs, emptiesAnother)
	outcome := "ok"
	if len(errs) > 0 {
		outcome = "errors: " + strings.Join(errs, "; ")
	}
	w.logf("%d. %s, nodes %s; fault: %s -> %s (%s); state: %s; active: %s", i+1, what, nodeSummary(w.nodes), fault,
		outcome, took, w.stateSummary(), activeSummary(w.emu.ActiveNodes(seqDomain)))
	if err := w.checkStep(uploads, done, fault); err != nil {
		w.fail("step %d: %v", i+1, err)
	}
	w.replace, w.cbd, w.unknownDomain, w.extra = false, false, false, nil
}

// changes reports whether configuring nodes plans a change of the configured resource's state
// (HSL answers that differ only in formatting plan none).
func (w *seqWorld) changes(nodes map[string]testNode) bool {
	var attrs map[string]tftypes.Value
	if err := w.state[w.addr].state.As(&attrs); err != nil {
		return true
	}
	had, err := stateNodes(attrs[faqdomain.AttrNodes])
	if err != nil {
		return true
	}
	var recorded []emulator.Node
	for name, n := range had {
		recorded = append(recorded, emulator.Node{Name: name, UserSays: n.UserSays, BotSays: n.BotSays})
	}
	return sameNodesHSL("", recorded, nodes) != nil
}

// tasksRunning reports whether a task of seqDomain is still running: a new task of the domain
// finishes only after it.
func (w *seqWorld) tasksRunning() bool {
	return len(w.emu.AcceptedUploads(seqDomain)) > len(w.emu.Completions(seqDomain))
}

// checkStep checks what the emulator's own record says of this step's uploads (those from
// index uploads on, and the task completions from index done on), beside the invariant:
//   - a forced replacement whose domain is known at plan never empties the bot: Haptik receives
//     no header-only CSV, and no task of the step leaves the domain without active nodes (unless
//     the step's fault is a failing task: one that applies no row, or one that changes nothing
//     in a domain an earlier fault emptied);
//   - with another resource's domain_name unknown at plan, at most one content reaches the
//     domain: the apply refuses the other upload, sending nothing.
func (w *seqWorld) checkStep(uploads, done int, fault string) error {
	var sent []emulator.Upload
	for _, u := range w.emu.Uploads()[uploads:] {
		if u.Domain == seqDomain {
			sent = append(sent, u)
		}
	}
	if w.replace && !w.unknownDomain {
		for _, u := range sent {
			if rows, err := emulator.ParseCSV([]byte(u.CSV)); err == nil && len(rows) == 0 {
				return fmt.Errorf("the forced replacement sent a header-only CSV (upload %d, HTTP %d)", u.Seq, u.HTTPStatus)
			}
		}
		ours := map[string]bool{}
		for _, u := range sent {
			ours[u.TaskID] = u.TaskID != ""
		}
		for _, c := range w.emu.Completions(seqDomain)[done:] {
			if ours[c.TaskID] && c.ActiveNodes == 0 && !strings.Contains(fault, "fails") {
				return fmt.Errorf("after task %s of the forced replacement (%d rows) the domain had no active node", c.TaskID, c.Rows)
			}
		}
	}
	if w.extra != nil {
		contents := map[string]bool{}
		for _, u := range sent {
			contents[u.CSV] = true
		}
		if len(contents) > 1 {
			return fmt.Errorf("two resources' contents were uploaded to domain %q in one apply (%d uploads)", seqDomain, len(sent))
		}
	}
	return nil
}

// seqCounts counts, across the sequences of the test, how often each new kind of step ran.
var seqCounts = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

func (w *seqWorld) count(what string) {
	seqCounts.Lock()
	defer seqCounts.Unlock()
	seqCounts.n[what]++
}

// drainFaults forgets the faults no request consumed, through the emulator's own endpoint.
func (w *seqWorld) drainFaults() {
	// The emulator has no "clear faults" call short of Reset, which would forget the content:
	// consume what is left with requests that cannot change a domain.
	c, err := haptik.New(haptik.Config{BaseURL: w.url, ClientID: testClientID, Token: testToken, RetryMax: -1})
	if err != nil {
		w.t.Fatal(err)
	}
	for range 10 {
		_, _ = c.TaskStatus(context.Background(), "none")
	}
	for range 8 {
		// An upload to no domain is refused by the emulator after it consumed an upload fault.
		_, _ = c.UploadFAQ(context.Background(), "", []byte("node_name,question,answer\n"))
	}
	// Task faults and late finishes are consumed only by an accepted upload: give them one on a
	// domain no sequence uses.
	_, _ = c.UploadFAQ(context.Background(), "scratch", []byte("node_name,question,answer\n"))
	_, _ = c.UploadFAQ(context.Background(), "scratch", []byte("node_name,question,answer\n"))
}

// seqServer is a fresh provider server configured for the emulator, polling and retrying within
// milliseconds: one Terraform command's plugin process.
func (w *seqWorld) server() tfprotov6.ProviderServer {
	ps, err := newServer(&haptikProvider{version: "test",
		poll: haptik.PollPolicy{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, Fraction: 0.2},
		tuneClient: func(c *haptik.Config) {
			c.RetryWaitMin, c.RetryWaitMax = time.Millisecond, 3*time.Millisecond
		}})
	if err != nil {
		w.t.Fatal(err)
	}
	ctx := context.Background()
	schema, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		w.t.Fatalf("GetProviderSchema: %v %v", err, schema.Diagnostics)
	}
	p := &protocolServer{t: w.t, schema: schema}
	cfg := p.value(schema.Provider.ValueType(), map[string]any{"base_url": w.url, "client_id": testClientID, "token": testToken})
	resp, err := ps.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg, TerraformVersion: "1.14.0"})
	if err != nil || len(resp.Diagnostics) > 0 {
		w.t.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
	return ps
}

// config is the resource's configuration, as the apply sees it.
func (w *seqWorld) config() tftypes.Value { return w.configOf(w.nodes, true) }

// configured is the configuration's resources by name, as the plan (atPlan) or the apply sees
// them: a domain_name unknown at plan is seqDomain at apply.
func (w *seqWorld) configured(atPlan bool) map[string]tftypes.Value {
	out := map[string]tftypes.Value{w.addr: w.configOf(w.nodes, !atPlan || !w.unknownDomain)}
	if w.extra != nil {
		out[w.extra.name] = w.configOf(w.extra.nodes, !atPlan)
	}
	return out
}

// configOf is the configuration of a resource of nodes whose domain_name is seqDomain, or
// unknown unless known.
func (w *seqWorld) configOf(nodeMap map[string]testNode, known bool) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	types := faqdomain.Type.(tftypes.Object).AttributeTypes
	for name, typ := range types {
		attrs[name] = tftypes.NewValue(typ, nil)
	}
	attrs[faqdomain.AttrDomainName] = tftypes.NewValue(tftypes.String, seqDomain)
	if !known {
		attrs[faqdomain.AttrDomainName] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	}
	if w.policy != "" {
		attrs[faqdomain.AttrDeletionPolicy] = tftypes.NewValue(tftypes.String, w.policy)
	}
	nodeType := types[faqdomain.AttrNodes].(tftypes.Map).ElementType
	list := func(ss []string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for i, s := range ss {
			vs[i] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	nodes := map[string]tftypes.Value{}
	for name, n := range nodeMap {
		nodes[name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{"user_says": list(n.UserSays), "bot_says": list(n.BotSays)})
	}
	attrs[faqdomain.AttrNodes] = tftypes.NewValue(types[faqdomain.AttrNodes], nodes)
	tt := types[faqdomain.AttrTimeouts].(tftypes.Object)
	attrs[faqdomain.AttrTimeouts] = tftypes.NewValue(tt, map[string]tftypes.Value{
		faqdomain.OpCreate: tftypes.NewValue(tftypes.String, "1s"),
		faqdomain.OpUpdate: tftypes.NewValue(tftypes.String, "1s"),
		faqdomain.OpDelete: tftypes.NewValue(tftypes.String, "1s"),
	})
	return tftypes.NewValue(faqdomain.Type, attrs)
}

// seqComputed are the attributes the provider sets, which Terraform's proposed new state takes
// from the prior state (unknown on create) where the configuration leaves them null.
var seqComputed = []string{faqdomain.AttrID, faqdomain.AttrNodeCount, faqdomain.AttrContentSHA256,
	faqdomain.AttrLastTaskID, faqdomain.AttrConfirmed, faqdomain.AttrDeletionPolicy}

// proposedState is Terraform's proposed new state for config over prior (null on create).
func proposedState(prior, config tftypes.Value) tftypes.Value {
	var attrs map[string]tftypes.Value
	_ = config.As(&attrs)
	var before map[string]tftypes.Value
	if !prior.IsNull() {
		_ = prior.As(&before)
	}
	out := map[string]tftypes.Value{}
	for k, v := range attrs {
		out[k] = v
	}
	types := faqdomain.Type.(tftypes.Object).AttributeTypes
	for _, name := range seqComputed {
		if !out[name].IsNull() {
			continue
		}
		if before == nil {
			out[name] = tftypes.NewValue(types[name], tftypes.UnknownValue)
		} else {
			out[name] = before[name]
		}
	}
	return tftypes.NewValue(faqdomain.Type, out)
}

func encodeValue(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(faqdomain.Type, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func decodeValue(t *testing.T, dv *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if dv == nil {
		return tftypes.NewValue(faqdomain.Type, nil)
	}
	v, err := dv.Unmarshal(faqdomain.Type)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// errorsOf are the error diagnostics' summaries.
func errorsOf(ds []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d.Summary)
		}
	}
	return out
}

// seqChange is one planned resource change.
type seqChange struct {
	name             string
	prior, planned   tftypes.Value
	priorPrivate     []byte
	plannedPrivate   []byte
	destroy, created bool
	// replace: prior is destroyed and the resource created again (a forced replacement, or a
	// domain_name that changes); planned and plannedPrivate are those of Terraform's second plan,
	// with a null prior state. cbd orders it create_before_destroy.
	replace, cbd bool
	// replanDestroy: the destroy of a deposed object, which the apply plans again.
	replanDestroy bool
}

// apply runs one `terraform apply` (or, with destroy, `terraform destroy`) of the configuration
// over the state, and returns the errors it reported.
func (w *seqWorld) apply(ctx context.Context, destroy bool) []string {
	if w.cli != nil {
		return w.applyCLI(ctx, destroy)
	}
	t := w.t
	srv := w.server()
	bg := context.Background()
	null := tftypes.NewValue(faqdomain.Type, nil)
	typeName := faqdomain.TypeName

	// Refresh.
	for _, r := range w.state {
		resp, err := srv.ReadResource(bg, &tfprotov6.ReadResourceRequest{TypeName: typeName,
			CurrentState: encodeValue(t, r.state), Private: r.private})
		if err != nil || len(errorsOf(resp.Diagnostics)) > 0 {
			return []string{fmt.Sprintf("ReadResource: %v %s", err, diagText(resp.Diagnostics))}
		}
		r.state, r.private = decodeValue(t, resp.NewState), resp.Private
	}
	// Terraform encodes one configuration the same way in every RPC (cty sorts map keys;
	// tftypes does not), so each is encoded once: as the plan sees it, and as the apply does (a
	// domain_name unknown at plan is known at apply).
	planCfg, applyCfg := w.configured(true), w.configured(false)
	planDV, applyDV := map[string]*tfprotov6.DynamicValue{}, map[string]*tfprotov6.DynamicValue{}
	for name := range planCfg {
		planDV[name], applyDV[name] = encodeValue(t, planCfg[name]), encodeValue(t, applyCfg[name])
	}
	nullDV := encodeValue(t, null)
	configuredNames := slices.Sorted(mapKeys(planCfg))
	if !destroy {
		for _, name := range configuredNames {
			resp, err := srv.ValidateResourceConfig(bg, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName,
				Config: planDV[name]})
			if err != nil {
				t.Fatal(err)
			}
			if errs := errorsOf(resp.Diagnostics); len(errs) > 0 {
				return errs
			}
		}
	}

	// Plan: destroy every resource the configuration no longer has (all of them for a destroy,
	// a deposed object, and a tainted one before it is created again), then the configured ones.
	var changes []seqChange
	plan := func(name string, prior tftypes.Value, private []byte, destroying bool) []string {
		proposed, cfg := null, nullDV
		if !destroying {
			proposed, cfg = proposedState(prior, planCfg[name]), planDV[name]
		}
		resp, err := srv.PlanResourceChange(bg, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
			PriorState: encodeValue(t, prior), ProposedNewState: encodeValue(t, proposed), Config: cfg,
			PriorPrivate: private})
		if err != nil {
			t.Fatal(err)
		}
		if errs := errorsOf(resp.Diagnostics); len(errs) > 0 {
			return errs
		}
		planned := decodeValue(t, resp.PlannedState)
		if !destroying && !prior.IsNull() && (len(resp.RequiresReplace) > 0 || (w.replace && name == w.addr)) {
			// A replacement. Terraform plans the create again, with a null prior state and the
			// first plan's private state, shows none of that plan's warnings, and hands its
			// private state to the destroy half too (plans.ResourceInstanceChange.Simplify).
			again, err := srv.PlanResourceChange(bg, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
				PriorState: nullDV, ProposedNewState: encodeValue(t, proposedState(null, planCfg[name])), Config: cfg,
				PriorPrivate: resp.PlannedPrivate})
			if err != nil {
				t.Fatal(err)
			}
			if errs := errorsOf(again.Diagnostics); len(errs) > 0 {
				return errs
			}
			changes = append(changes, seqChange{name: name, prior: prior, planned: decodeValue(t, again.PlannedState),
				priorPrivate: private, plannedPrivate: again.PlannedPrivate, replace: true, cbd: w.cbd})
			return nil
		}
		if !destroying && !prior.IsNull() && planned.Equal(prior) {
			return nil // no change: Terraform does not apply it
		}
		r := w.state[name]
		changes = append(changes, seqChange{name: name, prior: prior, planned: planned, priorPrivate: private,
			plannedPrivate: resp.PlannedPrivate, destroy: destroying, created: prior.IsNull(),
			replanDestroy: destroying && r != nil && r.deposed})
		return nil
	}
	for _, name := range slices.Sorted(mapKeys(w.state)) {
		r := w.state[name]
		if _, configured := planCfg[name]; destroy || !configured {
			if errs := plan(name, r.state, r.private, true); len(errs) > 0 {
				return errs
			}
		}
	}
	if !destroy {
		for _, name := range configuredNames {
			prior, private := null, []byte(nil)
			if r := w.state[name]; r != nil && r.tainted {
				// Terraform plans a tainted object's replacement with a null prior state only, and
				// hands that plan's private state to the destroy half too.
				resp, err := srv.PlanResourceChange(bg, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
					PriorState: nullDV, ProposedNewState: encodeValue(t, proposedState(null, planCfg[name])),
					Config: planDV[name], PriorPrivate: r.private})
				if err != nil {
					t.Fatal(err)
				}
				if errs := errorsOf(resp.Diagnostics); len(errs) > 0 {
					return errs
				}
				changes = append(changes, seqChange{name: name, prior: r.state, planned: decodeValue(t, resp.PlannedState),
					priorPrivate: r.private, plannedPrivate: resp.PlannedPrivate, replace: true, cbd: w.cbd})
				continue
			} else if r != nil {
				prior, private = r.state, r.private
			}
			if errs := plan(name, prior, private, false); len(errs) > 0 {
				return errs
			}
		}
	}

	// Apply. Changes of different addresses are independent, so Terraform runs them at once (a
	// rename: the old address's destroy and the new one's create, in either order); the destroy
	// of a tainted resource comes before its create.
	var (
		mu   sync.Mutex
		errs []string
		wg   sync.WaitGroup
	)
	addErrs := func(failed []string) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, failed...)
	}
	// The apply walk is a new plugin process; it plans each create and update again (with the
	// configuration as the apply sees it), and the destroy of a deposed object; other destroys
	// are applied as planned.
	srv = w.server()
	replan := func(name string, prior tftypes.Value, private []byte) (tftypes.Value, []byte, bool) {
		resp, err := srv.PlanResourceChange(bg, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
			PriorState: encodeValue(t, prior), ProposedNewState: encodeValue(t, proposedState(prior, applyCfg[name])),
			Config: applyDV[name], PriorPrivate: private})
		if err != nil {
			t.Error(err)
			return null, nil, false
		}
		if failed := errorsOf(resp.Diagnostics); len(failed) > 0 {
			addErrs(failed)
			return null, nil, false
		}
		return decodeValue(t, resp.PlannedState), resp.PlannedPrivate, true
	}
	replanDestroy := func(prior tftypes.Value, private []byte) ([]byte, bool) {
		resp, err := srv.PlanResourceChange(bg, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
			PriorState: encodeValue(t, prior), ProposedNewState: nullDV, Config: nullDV, PriorPrivate: private})
		if err != nil {
			t.Error(err)
			return nil, false
		}
		if failed := errorsOf(resp.Diagnostics); len(failed) > 0 {
			addErrs(failed)
			return nil, false
		}
		return resp.PlannedPrivate, true
	}
	// applyOne applies one change of the object state keeps under key and keeps what Terraform
	// keeps; it reports whether the apply failed.
	applyOne := func(key string, prior, planned tftypes.Value, cfg *tfprotov6.DynamicValue, private []byte,
		created, deposed bool,
	) bool {
		resp, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: typeName,
			PriorState: encodeValue(t, prior), PlannedState: encodeValue(t, planned), Config: cfg,
			PlannedPrivate: private})
		if err != nil {
			t.Error(err)
			return true
		}
		newState := decodeValue(t, resp.NewState)
		failed := errorsOf(resp.Diagnostics)
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, failed...)
		switch {
		case newState.IsNull() && len(failed) > 0 && !created:
			// A failed update or destroy that answered null: Terraform keeps the prior object.
		case newState.IsNull():
			delete(w.state, key)
		default:
			if len(failed) == 0 {
				if err := consistent(planned, newState); err != nil {
					errs = append(errs, "Provider produced inconsistent result after apply: "+err.Error())
				}
			}
			w.state[key] = &seqResource{state: newState, private: resp.Private, tainted: created && len(failed) > 0,
				deposed: deposed}
		}
		return len(failed) > 0
	}
	run := func(c seqChange) {
		switch {
		case c.replace && c.cbd:
			w.replaceCreateFirst(c, &mu, replan, replanDestroy, applyOne, applyDV[c.name], nullDV)
		case c.replace:
			// Destroy, with the private state of the create's plan, then create (planned again,
			// from a null prior state and no private state).
			if applyOne(c.name, c.prior, null, nullDV, c.plannedPrivate, false, false) {
				return // Terraform does not create what a failed destroy still holds
			}
			if planned, private, ok := replan(c.name, null, nil); ok {
				applyOne(c.name, null, planned, applyDV[c.name], private, true, false)
			}
		case c.destroy:
			private := c.plannedPrivate
			if c.replanDestroy {
				var ok bool
				if private, ok = replanDestroy(c.prior, c.priorPrivate); !ok {
					return
				}
			}
			applyOne(c.name, c.prior, null, nullDV, private, false, c.replanDestroy)
		default:
			if planned, private, ok := replan(c.name, c.prior, c.priorPrivate); ok {
				applyOne(c.name, c.prior, planned, applyDV[c.name], private, c.created, false)
			}
		}
	}
	var first []seqChange
	var after []seqChange
	for _, c := range changes {
		if !c.destroy && !c.replace && slices.ContainsFunc(changes, func(d seqChange) bool { return d.destroy && d.name == c.name }) {
			after = append(after, c)
		} else {
			first = append(first, c)
		}
	}
	delays := make([]time.Duration, len(first))
	for i := range delays {
		delays[i] = time.Duration(w.rng.IntN(3000)) * time.Microsecond
	}
	for i, c := range first {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(delays[i])
			run(c)
		}()
	}
	wg.Wait()
	failedDestroy := false
	for _, c := range first {
		if r := w.state[c.name]; c.destroy && r != nil {
			failedDestroy = true
		}
	}
	for _, c := range after {
		if !failedDestroy { // Terraform does not create what a failed destroy still holds
			run(c)
		}
	}
	return errs
}

// replaceCreateFirst applies a create_before_destroy replacement as Terraform does: the object in
// state is deposed, the create is planned again (null prior, no private state) and applied; a
// failed create's null state restores the deposed object, and after a successful one the deposed
// object's destroy is planned again with its own private state and applied. An apply-time plan
// that fails leaves the deposed object deposed (Terraform restores it only after a failed apply).
func (w *seqWorld) replaceCreateFirst(c seqChange, mu *sync.Mutex,
	replan func(string, tftypes.Value, []byte) (tftypes.Value, []byte, bool),
	replanDestroy func(tftypes.Value, []byte) ([]byte, bool),
	applyOne func(string, tftypes.Value, tftypes.Value, *tfprotov6.DynamicValue, []byte, bool, bool) bool,
	config, nullDV *tfprotov6.DynamicValue,
) {
	null := tftypes.NewValue(faqdomain.Type, nil)
	mu.Lock()
	key := w.deposedKey(c.name)
	old := w.state[c.name]
	delete(w.state, c.name)
	w.state[key] = &seqResource{state: old.state, private: old.private, deposed: true}
	mu.Unlock()
	planned, private, ok := replan(c.name, null, nil)
	if !ok {
		w.count("create_before_destroy: deposed object left in state")
		return
	}
	if applyOne(c.name, null, planned, config, private, true, false) {
		mu.Lock()
		defer mu.Unlock()
		if w.state[c.name] == nil {
			w.state[c.name] = old
			delete(w.state, key)
		}
		return
	}
	if private, ok := replanDestroy(old.state, old.private); ok {
		applyOne(key, old.state, null, nullDV, private, false, true)
	}
	mu.Lock()
	defer mu.Unlock()
	if w.state[key] != nil {
		w.count("create_before_destroy: deposed object left in state")
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// consistent is Terraform's check after a successful apply: every value known in the plan is
// the value the new state holds.
func consistent(planned, got tftypes.Value) error {
	var p, g map[string]tftypes.Value
	if err := planned.As(&p); err != nil {
		return err
	}
	if err := got.As(&g); err != nil {
		return err
	}
	for name, v := range p {
		if v.IsFullyKnown() && !v.Equal(g[name]) {
			return fmt.Errorf("%s was planned as %v but is %v", name, v, g[name])
		}
	}
	return nil
}

// check is the invariant, for every resource in state.
func (w *seqWorld) check() error {
	active := w.emu.ActiveNodes(seqDomain)
	for _, name := range slices.Sorted(mapKeys(w.state)) {
		r := w.state[name]
		if r.tainted {
			continue // the next plan replaces it
		}
		if r.deposed {
			// The old object of a create_before_destroy replacement whose destroy did not run
			// (an interrupt, or the apply's plan of it failed): Terraform records it as replaced,
			// and the next plan destroys it, or fails beside the new object (emptiesAnother).
			continue
		}
		var attrs map[string]tftypes.Value
		if err := r.state.As(&attrs); err != nil {
			return err
		}
		nodes, err := stateNodes(attrs[faqdomain.AttrNodes])
		if err != nil {
			return err
		}
		if isConfirmed(r.state) {
			if err := sameNodesHSL(fmt.Sprintf("resource %s is confirmed, but Haptik's active nodes differ from its state's", name),
				active, nodes); err != nil {
				return err
			}
			var sha string
			_ = attrs[faqdomain.AttrContentSHA256].As(&sha)
			if sha != shaOf(nodes) {
				return fmt.Errorf("resource %s is confirmed, but its content_sha256 is not its nodes' hash", name)
			}
			continue
		}
		if name != w.addr {
			continue // the next plan destroys it
		}
		// Unconfirmed: the next plan of the configuration must upload.
		if w.cli != nil {
			w.cli.write(w.hcl())
			out, err := w.cli.run("plan", "-input=false", "-detailed-exitcode")
			if code := exitCode(err); code == 1 && len(w.state) > 1 && wrapped("Error: "+emptiesAnother).MatchString(out) {
				// Another address in state (a failed create's tainted object, an old address)
				// is destroyed beside this one: the plan fails and says to state rm it, which the
				// next step does. (The in-process check plans this resource alone.)
				w.mustStateRm = true
				continue
			}
			if code := exitCode(err); code != 2 || !wrapped("Warning: Haptik's Content Is Unconfirmed").MatchString(out) ||
				!wrapped(faqdomain.TypeName+"."+name+" will be updated in-place").MatchString(out) {
				return fmt.Errorf("resource %s is unconfirmed, but terraform plan (exit %d) does not upload it with the warning:\n%s", name, code, out)
			}
			continue
		}
		srv := w.server()
		config := w.config()
		resp, err := srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: faqdomain.TypeName, PriorState: encodeValue(w.t, r.state), PriorPrivate: r.private,
			ProposedNewState: encodeValue(w.t, proposedState(r.state, config)), Config: encodeValue(w.t, config)})
		if err != nil {
			return err
		}
		if errs := errorsOf(resp.Diagnostics); len(errs) > 0 {
			return fmt.Errorf("resource %s is unconfirmed, and the next plan fails: %s", name, strings.Join(errs, "; "))
		}
		var planned map[string]tftypes.Value
		if err := decodeValue(w.t, resp.PlannedState).As(&planned); err != nil {
			return err
		}
		if planned[faqdomain.AttrLastTaskID].IsKnown() {
			return fmt.Errorf("resource %s is unconfirmed, but the next plan does not upload (last_task_id known)", name)
		}
		if !strings.Contains(diagText(resp.Diagnostics), "Haptik's Content Is Unconfirmed") {
			return fmt.Errorf("resource %s is unconfirmed, but the next plan does not warn:\n%s", name, diagText(resp.Diagnostics))
		}
	}
	return nil
}

// isConfirmed reads confirmed: true or null (state from before the attribute) is confirmed.
func isConfirmed(state tftypes.Value) bool {
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		return false
	}
	c := attrs[faqdomain.AttrConfirmed]
	if c.IsNull() {
		return true
	}
	var b bool
	return c.As(&b) == nil && b
}

// stateNodes reads a state's nodes map (null reads as none).
func stateNodes(v tftypes.Value) (map[string]testNode, error) {
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		return nil, err
	}
	out := map[string]testNode{}
	for name, nv := range m {
		var fields map[string]tftypes.Value
		if err := nv.As(&fields); err != nil {
			return nil, err
		}
		var n testNode
		for key, dst := range map[string]*[]string{"user_says": &n.UserSays, "bot_says": &n.BotSays} {
			var list []tftypes.Value
			if err := fields[key].As(&list); err != nil {
				return nil, err
			}
			for _, s := range list {
				var str string
				if err := s.As(&str); err != nil {
					return nil, err
				}
				*dst = append(*dst, str)
			}
		}
		out[name] = n
	}
	return out, nil
}

// sameNodesHSL is sameNodes where an HSL answer equals its reformatting (the provider uploads
// HSL compact, and state may keep the configuration's formatting).
func sameNodesHSL(what string, nodes []emulator.Node, want map[string]testNode) error {
	normal := func(n testNode) testNode {
		out := testNode{UserSays: n.UserSays}
		for _, a := range n.BotSays {
			var b bytes.Buffer
			if json.Compact(&b, []byte(a)) == nil {
				a = b.String()
			}
			out.BotSays = append(out.BotSays, a)
		}
		return out
	}
	got := make([]emulator.Node, len(nodes))
	for i, n := range nodes {
		c := normal(testNode{UserSays: n.UserSays, BotSays: n.BotSays})
		got[i] = emulator.Node{Name: n.Name, UserSays: c.UserSays, BotSays: c.BotSays}
	}
	norm := map[string]testNode{}
	for k, v := range want {
		norm[k] = normal(v)
	}
	return sameNodes(what, got, norm)
}

func nodeSummary(nodes map[string]testNode) string {
	names := slices.Sorted(mapKeys(nodes))
	for i, n := range names {
		names[i] = fmt.Sprintf("%s(%s)", n, shortSHA(nodes[n]))
	}
	return "{" + strings.Join(names, " ") + "}"
}

func activeSummary(nodes []emulator.Node) string {
	m := map[string]testNode{}
	for _, n := range nodes {
		m[n.Name] = testNode{UserSays: n.UserSays, BotSays: n.BotSays}
	}
	return nodeSummary(m)
}

// shortSHA tells node contents apart in the log.
func shortSHA(n testNode) string {
	return faqcsv.SHA256(faqcsv.RenderBytes([]faqcsv.Node{{Name: "x", UserSays: n.UserSays, BotSays: n.BotSays}}))[:6]
}

func (w *seqWorld) stateSummary() string {
	if len(w.state) == 0 {
		return "empty"
	}
	var parts []string
	for _, name := range slices.Sorted(mapKeys(w.state)) {
		r := w.state[name]
		var attrs map[string]tftypes.Value
		_ = r.state.As(&attrs)
		nodes, _ := stateNodes(attrs[faqdomain.AttrNodes])
		s := fmt.Sprintf("%s confirmed=%v nodes=%s", name, isConfirmed(r.state), nodeSummary(nodes))
		if r.tainted {
			s += " tainted"
		}
		if r.deposed {
			s += " deposed"
		}
		parts = append(parts, s)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// The shortest sequence the random test found (seed 1056): a rename from a to b whose destroy of
// a was refused leaves both addresses in state on one domain, and renaming back planned b's
// destroy beside a's no-op, which deactivated the domain while a stayed confirmed. The plan must
// fail instead, before anything is uploaded; removing the old address from state as the error
// says leaves the content in place.
func TestSequences_renameBackAfterFailedDestroy(t *testing.T) {
	emu := emulator.New(emulator.Config{Token: testToken, ClientID: testClientID})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	w := &seqWorld{t: t, rng: rand.New(rand.NewPCG(1, 2)), emu: emu, url: srv.URL, addr: "a",
		state: map[string]*seqResource{}, nodes: oneNode}
	if errs := w.apply(context.Background(), false); len(errs) > 0 {
		t.Fatal(errs)
	}
	// What the failed rename leaves: a as it was, and b created after it.
	a := w.state["a"]
	delete(w.state, "a")
	w.addr = "b"
	if errs := w.apply(context.Background(), false); len(errs) > 0 {
		t.Fatal(errs)
	}
	w.state["a"] = a
	if err := w.check(); err != nil {
		t.Fatal(err)
	}

	w.addr = "a" // rename back
	uploads := len(emu.Uploads())
	errs := w.apply(context.Background(), false)
	if !slices.Contains(errs, emptiesAnother) {
		t.Fatalf("renaming back planned %v, want the error %q", errs, emptiesAnother)
	}
	if err := w.check(); err != nil {
		t.Fatal(err)
	}
	if n := len(emu.Uploads()); n != uploads {
		t.Fatalf("%d upload(s) after a failed plan", n-uploads)
	}
	w.stateRm()
	if errs := w.apply(context.Background(), false); len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := w.check(); err != nil {
		t.Fatal(err)
	}
	if err := sameNodesHSL("active nodes", emu.ActiveNodes(seqDomain), oneNode); err != nil {
		t.Fatal(err)
	}
}

// TestAccSequences_cli runs -cli-sequences random sequences (none unless asked: each operation
// costs the real CLI's half second) through the real Terraform CLI, to check that the protocol
// harness above behaves as Terraform does. Slow tasks there meet the real timeouts = "1s" and an
// interrupt is a SIGINT.
//
//	TF_ACC=1 go test ./internal/provider -run '^TestAccSequences_cli$' -cli-sequences 3 -v
func TestAccSequences_cli(t *testing.T) {
	if os.Getenv("TF_ACC") == "" || *seqCLI == 0 {
		t.Skip("set TF_ACC=1 and -cli-sequences N to run sequences through the Terraform CLI")
	}
	base := *seqSeed
	if base == 0 {
		base = rand.Uint64() >> 1
	}
	for i := range *seqCLI {
		seed := base + uint64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			env := newTestEnv(t)
			env.emu.SetTaskDuration(0)
			cli := newTerraformCLI(t, env)
			w := newSeqWorld(t, seed, env.emu, env.url)
			w.cli = cli
			cli.write(w.hcl())
			cli.init()
			w.run()
		})
	}
}

// hcl is the configuration as a file.
func (w *seqWorld) hcl() string {
	extra := "  timeouts = { create = \"1s\", update = \"1s\", delete = \"1s\" }\n"
	if w.policy != "" {
		extra += fmt.Sprintf("  deletion_policy = %q\n", w.policy)
	}
	// A domain_name unknown at plan comes from terraform_data, whose output is unknown while a
	// new trigger replaces it.
	const known, unknown = `domain_name = "` + seqDomain + `"`, "domain_name = terraform_data.domain.output"
	resource := func(name string, nodes map[string]testNode, extra string, unknownDomain bool) string {
		hcl := strings.Replace(domainConfig(seqDomain, nodes, extra), `"test"`, fmt.Sprintf("%q", name), 1)
		if unknownDomain {
			hcl = strings.Replace(hcl, known, unknown, 1)
		}
		return hcl
	}
	cfg := resource(w.addr, w.nodes, extra, w.unknownDomain)
	if w.cbd {
		cfg = resource(w.addr, w.nodes, extra+"  lifecycle {\n    create_before_destroy = true\n  }\n", w.unknownDomain)
	}
	if w.extra != nil {
		cfg += resource(w.extra.name, w.extra.nodes, extra, true)
	}
	return cfg + fmt.Sprintf("resource \"terraform_data\" \"domain\" {\n  input            = %q\n  triggers_replace = [%d]\n}\n",
		seqDomain, w.domainGen) +
		fmt.Sprintf("provider \"haptik\" {\n  base_url  = %q\n  client_id = %q\n  token     = %q\n}\n", w.url, testClientID, testToken)
}

// applyCLI runs terraform apply (or destroy), sending SIGINT when ctx is canceled (an interrupt;
// a deadline is left to the configured timeouts), and reads back the state Terraform wrote.
func (w *seqWorld) applyCLI(ctx context.Context, destroy bool) []string {
	w.cli.write(w.hcl())
	cmd := "apply"
	if destroy {
		cmd = "destroy"
	}
	args := []string{cmd, "-auto-approve", "-input=false"}
	if w.replace {
		args = append(args, "-replace="+faqdomain.TypeName+"."+w.addr)
	}
	proc, out := w.cli.start(args...)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			if !errors.Is(ctx.Err(), context.Canceled) {
				return
			}
		case <-done:
			return
		}
		// The CLI takes longer to start than the fault's delay: interrupt once it applies.
		for !applying.MatchString(out.String()) {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
		_ = proc.Process.Signal(os.Interrupt)
	}()
	err := proc.Wait()
	close(done)
	var errs []string
	for _, m := range regexp.MustCompile(`(?m)^(?:│ )?Error: (.+)$`).FindAllStringSubmatch(out.String(), -1) {
		errs = append(errs, strings.TrimSpace(m[1]))
	}
	if err != nil && len(errs) == 0 {
		errs = append(errs, fmt.Sprintf("terraform %s: %v", cmd, err))
	}
	w.loadState()
	return errs
}

// applying matches the CLI's output once it applies a change.
var applying = regexp.MustCompile(`(Creating|Modifying|Destroying)\.\.\.`)

// loadState reads the resources from terraform.tfstate.
func (w *seqWorld) loadState() {
	w.state = map[string]*seqResource{}
	raw, err := os.ReadFile(filepath.Join(w.cli.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var file struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Status     string          `json:"status"`
				Deposed    string          `json:"deposed"`
				Attributes json.RawMessage `json:"attributes"`
				Private    []byte          `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		w.t.Fatal(err)
	}
	for _, r := range file.Resources {
		if r.Type != faqdomain.TypeName {
			continue
		}
		for _, in := range r.Instances {
			v, err := (&tfprotov6.DynamicValue{JSON: in.Attributes}).Unmarshal(faqdomain.Type)
			if err != nil {
				w.t.Fatal(err)
			}
			key := r.Name
			if in.Deposed != "" {
				key = w.deposedKey(r.Name)
			}
			w.state[key] = &seqResource{state: v, private: in.Private, tainted: in.Status == "tainted",
				deposed: in.Deposed != ""}
		}
	}
}

func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
