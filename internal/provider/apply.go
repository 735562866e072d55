package provider

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// An apply works on the planned state's MessagePack encoding, as Terraform sends it, rather than
// on decoded values: decoding 100,000 nodes into tftypes values takes about five times their
// encoded size, and the framework's own conversion as much again. The nodes are read in place, and
// the new state is the planned state's bytes with the computed attributes filled in.

// plannedDomain is what an apply needs from the planned state.
type plannedDomain struct {
	domain string
	// nodes' strings point into the planned state's bytes: they must not outlive them.
	nodes         []faqcsv.Node
	createTimeout string
	updateTimeout string
	lastTaskKnown bool
}

// readPlanned reads the planned state of a haptik_faq_domain.
func readPlanned(b []byte) (plannedDomain, error) {
	var p plannedDomain
	o, err := readObject(b)
	if err != nil {
		return p, err
	}
	if p.domain, err = o.reader("domain_name").String(); err != nil {
		return p, fmt.Errorf("attribute domain_name: %w", err)
	}
	if p.nodes, err = readNodes(o.reader("nodes")); err != nil {
		return p, fmt.Errorf("attribute nodes: %w", err)
	}
	p.lastTaskKnown = !o.isUnknown("last_task_id")
	if p.createTimeout, p.updateTimeout, err = readTimeouts(o.reader("timeouts")); err != nil {
		return p, fmt.Errorf("attribute timeouts: %w", err)
	}
	return p, nil
}

// readNodes reads the nodes map. Terraform writes map keys sorted (terraform-plugin-go does not),
// and faqcsv renders in name order either way.
func readNodes(r *tfmsgpack.Reader) ([]faqcsv.Node, error) {
	if r.IsNil() {
		return nil, nil
	}
	if r.IsUnknown() {
		return nil, errUnknownNodes
	}
	n, err := r.MapLen()
	if err != nil {
		return nil, err
	}
	nodes := make([]faqcsv.Node, n)
	for i := range nodes {
		name, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		nodes[i].Name = inPlace(name)
		if r.IsUnknown() || r.IsNil() {
			return nil, errUnknownNodes // not renderable yet (a null node fails validation)
		}
		fields, err := r.MapLen()
		if err != nil {
			return nil, fmt.Errorf("node %q: %w", name, err)
		}
		for range fields {
			key, err := r.Bytes()
			if err != nil {
				return nil, err
			}
			var list *[]string
			switch string(key) {
			case "user_says":
				list = &nodes[i].UserSays
			case "bot_says":
				list = &nodes[i].BotSays
			default:
				if err := r.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			if *list, err = readStrings(r); err != nil {
				return nil, fmt.Errorf("node %q, %s: %w", name, key, err)
			}
		}
	}
	return nodes, nil
}

var errUnknownNodes = errors.New("the nodes are still unknown")

func readStrings(r *tfmsgpack.Reader) ([]string, error) {
	if r.IsNil() {
		return nil, nil
	}
	if r.IsUnknown() {
		return nil, errUnknownNodes
	}
	n, err := r.ArrayLen()
	if err != nil {
		return nil, err
	}
	ss := make([]string, n)
	for i := range ss {
		if r.IsUnknown() {
			return nil, errUnknownNodes
		}
		b, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		ss[i] = inPlace(b)
	}
	return ss, nil
}

// inPlace is b as a string without copying. The request's bytes are never written to, and the
// nodes that hold these strings are dropped before the apply returns.
func inPlace(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func readTimeouts(r *tfmsgpack.Reader) (create, update string, err error) {
	if r.IsNil() {
		return "", "", nil
	}
	n, err := r.MapLen()
	if err != nil {
		return "", "", err
	}
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return "", "", err
		}
		var v string
		if !r.IsNil() {
			if v, err = r.String(); err != nil {
				return "", "", err
			}
		}
		switch string(key) {
		case "create":
			create = v
		case "update":
			update = v
		}
	}
	return create, update, nil
}

// withComputed returns the planned state's encoding with the given attributes replaced; every
// other attribute is copied byte for byte.
func withComputed(planned []byte, set map[string]func([]byte) []byte) ([]byte, error) {
	r := tfmsgpack.NewReader(planned)
	n, err := r.MapLen()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(planned)+256)
	out = tfmsgpack.AppendMapHeader(out, n)
	for range n {
		start := r.Offset()
		key, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		out = append(out, planned[start:r.Offset()]...)
		start = r.Offset()
		if err := r.Skip(); err != nil {
			return nil, err
		}
		if f, ok := set[string(key)]; ok {
			out = f(out)
			continue
		}
		out = append(out, planned[start:r.Offset()]...)
	}
	return out, nil
}

// applyEncoded creates or updates the domain from the planned state's encoding: it uploads the
// planned content unless the plan found it unchanged, and returns the new state's encoding only
// once Haptik confirmed it (nil otherwise, with the reason in diags). private, when set,
// remembers an upload Haptik accepted but did not confirm.
func (r *faqDomainResource) applyEncoded(ctx context.Context, planned []byte, create bool,
	private privateState, diags *diag.Diagnostics,
) []byte {
	p, err := readPlanned(planned)
	if errors.Is(err, errUnknownNodes) {
		diags.AddAttributeError(path.Root("nodes"), "Unknown Nodes at Apply",
			"The nodes are still unknown at apply time, which Terraform should never allow. Please report this.")
		return nil
	}
	if err != nil {
		diags.AddError("Unreadable Plan", "The provider could not read the planned state from Terraform: "+err.Error())
		return nil
	}
	if !create && p.lastTaskKnown {
		// ModifyPlan found the content unchanged: nothing to upload (e.g. only timeouts changed).
		return planned
	}
	timeout, which := defaultTimeout, "update"
	raw := p.updateTimeout
	if create {
		which, raw = "create", p.createTimeout
	}
	if raw != "" {
		if timeout, err = time.ParseDuration(raw); err != nil {
			diags.AddAttributeError(path.Root("timeouts").AtName(which), "Invalid Timeout",
				fmt.Sprintf("%q is not a duration such as \"30s\" or \"1h30m\": %v.", raw, err))
			return nil
		}
	}
	if !r.configured(diags) {
		return nil
	}
	ctx = r.data.logContext(ctx)

	csv := faqcsv.RenderBytes(p.nodes)
	sha := faqcsv.SHA256(csv)
	count := len(p.nodes)
	p.nodes = nil // the CSV holds the content now
	taskID, ok := r.upload(ctx, uploadRequest{domain: p.domain, csv: csv, sha: sha, timeout: timeout, private: private}, diags)
	if !ok {
		return nil
	}
	r.data.gate.markWritten(p.domain)
	state, err := withComputed(planned, map[string]func([]byte) []byte{
		"id":             appendStr(p.domain),
		"node_count":     func(b []byte) []byte { return tfmsgpack.AppendInt(b, int64(count)) },
		"content_sha256": appendStr(sha),
		"last_task_id":   appendStr(taskID),
	})
	if err != nil {
		diags.AddError("Unreadable Plan", fmt.Sprintf("Haptik confirmed task %s, but the provider could not write the new "+
			"state: %v. Please report this; applying again uploads the same content safely.", taskID, err))
		return nil
	}
	return state
}
