package faqdomain

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// Plan is a planned change of one haptik_faq_domain.
type Plan struct {
	// State is the planned state's encoding: the proposed new state's bytes with the computed
	// attributes filled in. Nil for a destroy.
	State []byte
	// RequiresReplace is set when domain_name changed: a new domain replaces the resource.
	RequiresReplace bool
}

// PlanChange plans a change. prior and proposed are nil for null (a create, a destroy); config
// is the configuration (nil for a destroy). What it decides:
//   - id is the domain name; deletion_policy is "deactivate" when the configuration leaves it
//     null; node_count is known whenever the map is;
//   - content_sha256 is the hash of the exact CSV to upload, known when every node is;
//   - last_task_id stays when the hash does (nothing is uploaded), else it is unknown: the apply
//     uploads exactly when last_task_id is unknown in the planned state;
//   - nodes that differ only in how HSL JSON answers are formatted keep the prior value;
//   - a new domain_name replaces the resource;
//   - the warnings: which nodes an upload deactivates, that an imported domain's unlisted nodes
//     will be deactivated, that a destroy (or replacement) deactivates every node.
func PlanChange(prior, proposed, config []byte) (Plan, Diagnostics) {
	var diags Diagnostics
	var before *tfmsgpack.Object
	if prior != nil {
		o, err := tfmsgpack.ReadObject(prior)
		if err != nil {
			return Plan{}, Diagnostics{Unreadable("Prior State", err)}
		}
		before = &o
	}
	if proposed == nil {
		if err := warnDestroy(before, &diags); err != nil {
			return Plan{}, Diagnostics{Unreadable("Prior State", err)}
		}
		return Plan{}, diags
	}
	after, err := tfmsgpack.ReadObject(proposed)
	if err != nil {
		return Plan{}, Diagnostics{Unreadable("Plan", err)}
	}
	cfg, err := tfmsgpack.ReadObject(config)
	if err != nil {
		return Plan{}, Diagnostics{Unreadable("Configuration", err)}
	}
	plan, err := planUpdate(before, after, cfg, &diags)
	if err != nil {
		return Plan{}, append(diags, Unreadable("Plan", err))
	}
	return plan, diags
}

func planUpdate(before *tfmsgpack.Object, after, cfg tfmsgpack.Object, diags *Diagnostics) (Plan, error) {
	set := map[string][]byte{
		AttrID:            after.Raw(AttrDomainName),
		AttrNodeCount:     tfmsgpack.Unknown,
		AttrContentSHA256: tfmsgpack.Unknown,
		AttrLastTaskID:    tfmsgpack.Unknown,
	}
	if cfg.IsNull(AttrDeletionPolicy) {
		set[AttrDeletionPolicy] = tfmsgpack.String(PolicyDeactivate) // the default
	}
	sameDomain := before != nil && bytes.Equal(before.Raw(AttrDomainName), after.Raw(AttrDomainName))
	nodes := after.Raw(AttrNodes)
	switch {
	case before == nil:
	case sameDomain:
		equivalent, err := equivalentNodes(after, *before)
		if err != nil {
			return Plan{}, err
		}
		if equivalent {
			nodes = before.Raw(AttrNodes)
			set[AttrNodes] = nodes
		}
		if err := warnDeactivation(*before, after, diags); err != nil {
			return Plan{}, err
		}
	case !after.IsUnknown(AttrDomainName):
		if err := warnDestroy(before, diags); err != nil {
			return Plan{}, err
		}
	}

	r := tfmsgpack.NewReader(nodes)
	switch {
	case r.IsUnknown():
	case r.IsNil():
		set[AttrNodeCount] = tfmsgpack.Int(0)
	default:
		ns, err := readNodes(r)
		if err != nil && !errors.Is(err, errUnknownNodes) {
			return Plan{}, fmt.Errorf("nodes: %w", err)
		}
		count, _ := tfmsgpack.NewReader(nodes).MapLen()
		set[AttrNodeCount] = tfmsgpack.Int(int64(count))
		if err == nil {
			sha := faqcsv.SHA256(faqcsv.RenderBytes(ns))
			set[AttrContentSHA256] = tfmsgpack.String(sha)
			if sameDomain {
				if priorSHA, ok := before.Str(AttrContentSHA256); ok && priorSHA == sha {
					set[AttrLastTaskID] = before.Raw(AttrLastTaskID)
				}
			}
		}
	}
	planned, err := tfmsgpack.Patch(after.Bytes(), set)
	return Plan{State: planned, RequiresReplace: before != nil && !sameDomain}, err
}

// equivalentNodes reports whether the planned nodes differ from the prior ones only in how HSL
// JSON answers are formatted (whitespace, key order). The plan then keeps the prior nodes, which
// Terraform accepts as functionally equivalent, so reformatting answers plans nothing. nodes is a
// single attribute, so this holds for the map as a whole: alongside a real change, a reformatted
// answer shows (and is uploaded compact) too.
func equivalentNodes(planned, prior tfmsgpack.Object) (bool, error) {
	if bytes.Equal(planned.Raw(AttrNodes), prior.Raw(AttrNodes)) {
		return false, nil // equal already
	}
	after, ok1, err := tfmsgpack.MapEntries(planned.Raw(AttrNodes))
	if err != nil {
		return false, err
	}
	before, ok2, err := tfmsgpack.MapEntries(prior.Raw(AttrNodes))
	if err != nil || !ok1 || !ok2 || len(after) != len(before) {
		return false, err
	}
	for name, a := range after {
		b, ok := before[name]
		if !ok {
			return false, nil
		}
		na, err1 := tfmsgpack.ReadObject(a)
		nb, err2 := tfmsgpack.ReadObject(b)
		if err1 != nil || err2 != nil {
			return false, nil // a null or unknown node
		}
		if !bytes.Equal(na.Raw("user_says"), nb.Raw("user_says")) {
			return false, nil
		}
		as, errA := readStrings(na.Reader("bot_says"))
		bs, errB := readStrings(nb.Reader("bot_says"))
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

// warnDeactivation tells the reviewer which nodes the planned upload deactivates, which
// Terraform's diff of the map shows only as removed keys. After an import (no prior nodes) it
// says that every node the configuration does not list will be deactivated.
func warnDeactivation(prior, planned tfmsgpack.Object, diags *Diagnostics) error {
	domain, _ := planned.Str(AttrDomainName)
	if prior.IsNull(AttrNodes) {
		diags.AddWarning(Root(AttrNodes), "Imported Domain: Unlisted Nodes Will Be Deactivated", fmt.Sprintf(
			"Domain %q was imported, and Haptik cannot list the nodes it holds. The upload replaces the domain's "+
				"content: every node it has that nodes does not name will be deactivated.", domain))
		return nil
	}
	if planned.IsUnknown(AttrNodes) {
		return nil
	}
	before, ok, err := tfmsgpack.MapEntries(prior.Raw(AttrNodes))
	if err != nil || !ok {
		return err
	}
	after, _, err := tfmsgpack.MapEntries(planned.Raw(AttrNodes))
	if err != nil {
		return err
	}
	var gone []string
	for _, name := range sortedKeys(before) {
		if _, ok := after[name]; !ok {
			gone = append(gone, name)
		}
	}
	if len(gone) > 0 {
		diags.AddWarning(Root(AttrNodes), "Nodes Will Be Deactivated", fmt.Sprintf(
			"This apply uploads domain %q without %d node(s) it had: %s. Haptik deactivates every node missing "+
				"from an upload, so they will stop answering users. If that is not intended, add them back to nodes.",
			domain, len(gone), nameList(gone)))
	}
	return nil
}

// warnDestroy tells the reviewer that destroying the prior domain, or replacing it with another,
// deactivates its nodes, unless deletion_policy retains them.
func warnDestroy(prior *tfmsgpack.Object, diags *Diagnostics) error {
	if prior == nil {
		return nil
	}
	if policy, _ := prior.Str(AttrDeletionPolicy); policy == PolicyRetain {
		return nil
	}
	names, err := nodeNames(*prior)
	if err != nil {
		return err
	}
	domain, _ := prior.Str(AttrDomainName)
	what := "every node of the domain"
	if len(names) > 0 {
		what = fmt.Sprintf("all %d of its nodes (%s)", len(names), nameList(names))
	}
	diags.AddWarning(nil, "Destroy Deactivates Every Node", fmt.Sprintf(
		"Destroying (or replacing) the haptik_faq_domain for %q uploads a header-only CSV, so %s become "+
			"inactive in Haptik. To remove the domain from Terraform but keep its nodes, set deletion_policy = "+
			"\"retain\" and apply before destroying.", domain, what))
	return nil
}
