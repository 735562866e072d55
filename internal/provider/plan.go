package provider

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// A plan, like an apply (see apply.go), works on the MessagePack encodings Terraform sends: the
// planned state is the proposed new state's bytes with the computed attributes filled in, and the
// nodes are compared and rendered in place.

// encodedObject is an object's encoding with the span of each attribute's value.
type encodedObject struct {
	b     []byte
	spans map[string][2]int
}

func readObject(b []byte) (encodedObject, error) {
	o := encodedObject{b: b, spans: map[string][2]int{}}
	r := tfmsgpack.NewReader(b)
	n, err := r.MapLen()
	if err != nil {
		return o, err
	}
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return o, err
		}
		start := r.Offset()
		if err := r.Skip(); err != nil {
			return o, fmt.Errorf("attribute %s: %w", key, err)
		}
		o.spans[string(key)] = [2]int{start, r.Offset()}
	}
	if !r.Done() {
		return o, fmt.Errorf("%d bytes after the object", len(b)-r.Offset())
	}
	return o, nil
}

// raw is an attribute's encoded value (nil when the object has no such attribute).
func (o encodedObject) raw(name string) []byte {
	s, ok := o.spans[name]
	if !ok {
		return nil
	}
	return o.b[s[0]:s[1]]
}

func (o encodedObject) reader(name string) *tfmsgpack.Reader {
	return tfmsgpack.NewReader(o.raw(name))
}

// str is a string attribute's value; ok is false when it is null or unknown.
func (o encodedObject) str(name string) (string, bool) {
	r := o.reader(name)
	if r.IsNil() || r.IsUnknown() {
		return "", false
	}
	s, err := r.String()
	return s, err == nil
}

func (o encodedObject) isNull(name string) bool {
	raw := o.raw(name)
	return len(raw) == 1 && raw[0] == 0xc0
}

func (o encodedObject) isUnknown(name string) bool { return o.reader(name).IsUnknown() }

// nodeSpans maps each node name to its encoded object; known is false when the map itself is
// null or unknown.
func (o encodedObject) nodeSpans() (spans map[string][]byte, known bool, err error) {
	r := o.reader("nodes")
	if r.IsNil() || r.IsUnknown() {
		return nil, false, nil
	}
	n, err := r.MapLen()
	if err != nil {
		return nil, false, err
	}
	raw := o.raw("nodes")
	spans = make(map[string][]byte, n)
	for range n {
		name, err := r.Bytes()
		if err != nil {
			return nil, false, err
		}
		start := r.Offset()
		if err := r.Skip(); err != nil {
			return nil, false, err
		}
		spans[inPlace(name)] = raw[start:r.Offset()]
	}
	return spans, true, nil
}

// unknownValue is the encoding of an unknown value, as terraform-plugin-go writes it.
var unknownValue = func() []byte {
	dv, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))
	if err != nil {
		panic(err)
	}
	return dv.MsgPack
}()

func appendRaw(raw []byte) func([]byte) []byte {
	return func(b []byte) []byte { return append(b, raw...) }
}

func appendStr(s string) func([]byte) []byte {
	return func(b []byte) []byte { return tfmsgpack.AppendString(b, s) }
}

// planEncoded plans a haptik_faq_domain. prior and proposed are nil for null (create, destroy).
// It returns the planned state's encoding and whether a changed domain_name forces replacement,
// adding the plan's warnings to diags: which nodes the upload deactivates, or that a destroy
// deactivates them all.
func planEncoded(prior, proposed, config []byte, diags *diag.Diagnostics) ([]byte, bool, error) {
	var before *encodedObject
	if prior != nil {
		o, err := readObject(prior)
		if err != nil {
			return nil, false, fmt.Errorf("prior state: %w", err)
		}
		before = &o
	}
	if proposed == nil {
		return nil, false, warnDestroyEncoded(before, diags)
	}
	after, err := readObject(proposed)
	if err != nil {
		return nil, false, fmt.Errorf("proposed state: %w", err)
	}
	cfg, err := readObject(config)
	if err != nil {
		return nil, false, fmt.Errorf("configuration: %w", err)
	}

	set := map[string]func([]byte) []byte{
		"id":             appendRaw(after.raw("domain_name")),
		"node_count":     appendRaw(unknownValue),
		"content_sha256": appendRaw(unknownValue),
		"last_task_id":   appendRaw(unknownValue),
	}
	if cfg.isNull("deletion_policy") {
		set["deletion_policy"] = appendStr(policyDeactivate) // the attribute's default
	}
	sameDomain := before != nil && bytes.Equal(before.raw("domain_name"), after.raw("domain_name"))
	nodes := after.raw("nodes")
	switch {
	case before == nil:
	case sameDomain:
		equivalent, err := equivalentNodes(after, *before)
		if err != nil {
			return nil, false, err
		}
		if equivalent {
			nodes = before.raw("nodes")
			set["nodes"] = appendRaw(nodes)
		}
		if err := warnDeactivationEncoded(*before, after, diags); err != nil {
			return nil, false, err
		}
	case !after.isUnknown("domain_name"):
		if err := warnDestroyEncoded(before, diags); err != nil {
			return nil, false, err
		}
	}

	r := tfmsgpack.NewReader(nodes)
	switch {
	case r.IsUnknown():
	case r.IsNil():
		set["node_count"] = func(b []byte) []byte { return tfmsgpack.AppendInt(b, 0) }
	default:
		ns, err := readNodes(r)
		if err != nil && !errors.Is(err, errUnknownNodes) {
			return nil, false, fmt.Errorf("nodes: %w", err)
		}
		count, _ := tfmsgpack.NewReader(nodes).MapLen()
		set["node_count"] = func(b []byte) []byte { return tfmsgpack.AppendInt(b, int64(count)) }
		if err == nil {
			sha := faqcsv.SHA256(faqcsv.RenderBytes(ns))
			set["content_sha256"] = appendStr(sha)
			if priorSHA, ok := before.strOrEmpty("content_sha256"); sameDomain && ok && priorSHA == sha {
				set["last_task_id"] = appendRaw(before.raw("last_task_id"))
			}
		}
	}
	planned, err := withComputed(proposed, set)
	return planned, before != nil && !sameDomain, err
}

// strOrEmpty is str on an object that may be absent.
func (o *encodedObject) strOrEmpty(name string) (string, bool) {
	if o == nil {
		return "", false
	}
	return o.str(name)
}

// equivalentNodes reports whether the planned nodes differ from the prior ones only in how HSL
// JSON answers are formatted (whitespace, key order). The plan then keeps the prior nodes, which
// Terraform accepts as functionally equivalent, so reformatting answers plans nothing. nodes is a
// single attribute, so this holds for the map as a whole: alongside a real change, a reformatted
// answer shows (and is uploaded compact) too.
func equivalentNodes(planned, prior encodedObject) (bool, error) {
	if bytes.Equal(planned.raw("nodes"), prior.raw("nodes")) {
		return false, nil // equal already
	}
	after, ok1, err := planned.nodeSpans()
	if err != nil {
		return false, err
	}
	before, ok2, err := prior.nodeSpans()
	if err != nil || !ok1 || !ok2 || len(after) != len(before) {
		return false, err
	}
	for name, a := range after {
		b, ok := before[name]
		if !ok {
			return false, nil
		}
		na, err1 := readObject(a)
		nb, err2 := readObject(b)
		if err1 != nil || err2 != nil {
			return false, nil // a null or unknown node
		}
		if !bytes.Equal(na.raw("user_says"), nb.raw("user_says")) {
			return false, nil
		}
		as, errA := readStrings(na.reader("bot_says"))
		bs, errB := readStrings(nb.reader("bot_says"))
		if errA != nil || errB != nil || as == nil || bs == nil || len(as) != len(bs) {
			return false, nil
		}
		for i := range as {
			if as[i] != bs[i] && !faqcsv.EquivalentHSL(as[i], bs[i]) {
				return false, nil
			}
		}
	}
	return true, nil
}

// warnDeactivationEncoded tells the reviewer which nodes the planned upload deactivates.
func warnDeactivationEncoded(prior, planned encodedObject, diags *diag.Diagnostics) error {
	domain, _ := planned.str("domain_name")
	if prior.isNull("nodes") {
		warnImported(domain, diags)
		return nil
	}
	if planned.isUnknown("nodes") {
		return nil
	}
	before, ok, err := prior.nodeSpans()
	if err != nil || !ok {
		return err
	}
	after, _, err := planned.nodeSpans()
	if err != nil {
		return err
	}
	var gone []string
	for name := range before {
		if _, ok := after[name]; !ok {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	warnDeactivation(domain, gone, diags)
	return nil
}

// warnDestroyEncoded tells the reviewer that destroying the prior domain, or replacing it with
// another, deactivates its nodes.
func warnDestroyEncoded(prior *encodedObject, diags *diag.Diagnostics) error {
	if prior == nil {
		return nil
	}
	if policy, _ := prior.str("deletion_policy"); policy == policyRetain {
		return nil
	}
	spans, _, err := prior.nodeSpans()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(spans))
	for name := range spans {
		names = append(names, name)
	}
	sort.Strings(names)
	domain, _ := prior.str("domain_name")
	warnDestroy(domain, names, diags)
	return nil
}
