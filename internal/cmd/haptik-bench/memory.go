package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
	"github.com/faqops/terraform-provider-haptik/internal/provider"
)

// memChildEnv, when set in the environment, makes the bench binary the provider of one apply (see
// applyChild); its value is the emulator's base URL, and memNodesEnv the node count.
const (
	memChildEnv = "HAPTIK_BENCH_APPLY_CHILD"
	memNodesEnv = "HAPTIK_BENCH_APPLY_NODES"
)

// memReport is what the child process reports, in bytes.
type memReport struct {
	Baseline     int64 `json:"baseline"`      // RSS of the configured, idle provider
	Peak         int64 `json:"peak"`          // peak RSS during the apply (the request bytes included)
	RequestBytes int64 `json:"request_bytes"` // config plus planned state, as Terraform sends them
}

// memoryRows applies n nodes in a fresh process that serves the provider's protocol server in
// process, and compares its peak RSS during ApplyResourceChange with the CSV the emulator received.
func memoryRows(ctx context.Context, emu *emulator.Server, base string, n int) ([]row, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	emu.SetTaskDuration(0)
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), memChildEnv+"="+base, memNodesEnv+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("the apply process: %w", err)
	}
	var rep memReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("the apply process printed %q: %w", out, err)
	}
	ups := emu.AcceptedUploads(memDomain)
	if len(ups) == 0 {
		return nil, errors.New("the apply process uploaded nothing")
	}
	csv := int64(len(ups[len(ups)-1].CSV))
	over := rep.Peak - rep.Baseline
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
	return []row{{
		figure: fmt.Sprintf("peak provider memory, apply of %d nodes", n),
		value: fmt.Sprintf("%s over a %s baseline = %.2f× the %s CSV (request %s)",
			mb(over), mb(rep.Baseline), float64(over)/float64(csv), mb(csv), mb(rep.RequestBytes)),
		target: "≤ 3× CSV + baseline", pass: over <= 3*csv,
	}}, nil
}

const memDomain = "bench_memory"

// applyChild is the child process of memoryRows: it configures the provider, plans n nodes, drops
// everything but the request Terraform would send, resets the kernel's peak-RSS mark and applies.
func applyChild(base string, n int) error {
	ctx := context.Background()
	srv, err := provider.NewServer("bench")()
	if err != nil {
		return err
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return err
	}
	pcfg, err := tfprotov6.NewDynamicValue(schemas.Provider.ValueType(), objectOf(schemas.Provider.ValueType(), map[string]tftypes.Value{
		"base_url":  tftypes.NewValue(tftypes.String, base),
		"client_id": tftypes.NewValue(tftypes.String, "bench-client"),
		"token":     tftypes.NewValue(tftypes.String, "bench-token"),
	}))
	if err != nil {
		return err
	}
	cresp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg})
	if err != nil || diagErr(cresp.Diagnostics) != nil {
		return errors.Join(err, diagErr(cresp.Diagnostics))
	}
	settle()
	baseline, err := procStatus("VmRSS")
	if err != nil {
		return err
	}

	typ := schemas.ResourceSchemas["haptik_faq_domain"].ValueType()
	config, planned, err := planNodes(ctx, srv, typ, n)
	if err != nil {
		return err
	}
	settle()
	// Reset VmHWM to the current RSS, so the peak below is the apply's alone.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("resetting the peak RSS: %w", err)
	}
	resp, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "haptik_faq_domain", Config: config, PlannedState: planned,
		PriorState: nullValue(typ),
	})
	if err != nil || diagErr(resp.Diagnostics) != nil {
		return errors.Join(err, diagErr(resp.Diagnostics))
	}
	peak, err := procStatus("VmHWM")
	if err != nil {
		return err
	}
	rep := memReport{Baseline: baseline, Peak: peak, RequestBytes: int64(len(config.MsgPack) + len(planned.MsgPack))}
	runtime.KeepAlive(resp)
	return json.NewEncoder(os.Stdout).Encode(rep)
}

// planNodes builds the configuration of a haptik_faq_domain with n bench nodes and plans it as a
// create, returning both as Terraform would send them to ApplyResourceChange.
func planNodes(ctx context.Context, srv tfprotov6.ProviderServer, typ tftypes.Type, n int) (*tfprotov6.DynamicValue, *tfprotov6.DynamicValue, error) {
	nodeType := typ.(tftypes.Object).AttributeTypes["nodes"].(tftypes.Map).ElementType
	listType := tftypes.List{ElementType: tftypes.String}
	strs := func(ss []string) tftypes.Value {
		vs := make([]tftypes.Value, len(ss))
		for i, s := range ss {
			vs[i] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(listType, vs)
	}
	nodes := make(map[string]tftypes.Value, n)
	for name, node := range benchNodes(n) {
		nodes[name] = tftypes.NewValue(nodeType, map[string]tftypes.Value{
			"user_says": strs(node["user_says"]), "bot_says": strs(node["bot_says"])})
	}
	cfg := objectOf(typ, map[string]tftypes.Value{
		"domain_name":     tftypes.NewValue(tftypes.String, memDomain),
		"deletion_policy": tftypes.NewValue(tftypes.String, "retain"),
		"nodes":           tftypes.NewValue(typ.(tftypes.Object).AttributeTypes["nodes"], nodes),
	})
	config, err := tfprotov6.NewDynamicValue(typ, cfg)
	if err != nil {
		return nil, nil, err
	}
	resp, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "haptik_faq_domain", Config: &config, ProposedNewState: &config,
		PriorState: nullValue(typ),
	})
	if err != nil || diagErr(resp.Diagnostics) != nil {
		return nil, nil, errors.Join(err, diagErr(resp.Diagnostics))
	}
	return &config, resp.PlannedState, nil
}

// objectOf is an object of type typ with the given attributes and every other attribute null.
func objectOf(typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	all := map[string]tftypes.Value{}
	for name, t := range typ.(tftypes.Object).AttributeTypes {
		all[name] = tftypes.NewValue(t, nil)
		if v, ok := attrs[name]; ok {
			all[name] = v
		}
	}
	return tftypes.NewValue(typ, all)
}

func nullValue(typ tftypes.Type) *tfprotov6.DynamicValue {
	v, _ := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	return &v
}

func diagErr(ds []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range ds {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

// settle collects garbage and returns freed memory to the OS, so RSS is the live memory.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// procStatus reads a memory line of /proc/self/status (VmRSS, VmHWM) in bytes.
func procStatus(key string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", key)
}
