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
	// Deactivates, for a destroy or a replacement (its destroy half), is the domain whose every
	// node it deactivates ("" when it sends nothing: deletion_policy retains, or no apply ever
	// uploaded to the domain).
	Deactivates string
	// Creates, for a create whose domain is known, is what it uploads: the planned private state
	// records it, for the destroy half of a replacement (see Creation).
	Creates *Creation
}

// PlanChange plans a change. prior and proposed are nil for null (a create, a destroy); config
// is the configuration (nil for a destroy); pending is the remembered unconfirmed upload, if any.
// What it decides:
//   - id is the domain name; deletion_policy is "deactivate" when the configuration leaves it
//     null; node_count is known whenever the map is;
//   - content_sha256 is the hash of the exact CSV to upload, known when every node is;
//   - last_task_id stays when the hash does and the prior state is confirmed and resync_trigger
//     is unchanged (nothing is uploaded), else it is unknown: the apply uploads exactly when
//     last_task_id is unknown in the planned state; confirmed is unknown exactly then too;
//   - nodes that differ only in how HSL JSON answers are formatted keep the prior value;
//   - a new domain_name replaces the resource;
//   - the warnings: which nodes an upload deactivates (an error past max_deactivations), that
//     a new or imported domain's unlisted nodes will be deactivated, that a destroy (or
//     replacement) deactivates every node, that the prior state is unconfirmed.
func PlanChange(prior, proposed, config []byte, pending *Pending) (Plan, Diagnostics) {
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
		domain, err := warnDestroy(before, &diags)
		if err != nil {
			return Plan{}, Diagnostics{Unreadable("Prior State", err)}
		}
		return Plan{Deactivates: domain}, diags
	}
	after, err := tfmsgpack.ReadObject(proposed)
	if err != nil {
		return Plan{}, Diagnostics{Unreadable("Plan", err)}
	}
	cfg, err := tfmsgpack.ReadObject(config)
	if err != nil {
		return Plan{}, Diagnostics{Unreadable("Configuration", err)}
	}
	plan, err := planUpdate(before, after, cfg, pending, &diags)
	if err != nil {
		return Plan{}, append(diags, Unreadable("Plan", err))
	}
	return plan, diags
}

// planUpdate plans a create (before nil) or an update: the computed attributes, the warnings,
// whether the content must be uploaded again, and what the content is.
func planUpdate(before *tfmsgpack.Object, after, cfg tfmsgpack.Object, pending *Pending, diags *Diagnostics) (Plan, error) {
	set := map[string][]byte{
		AttrID:            after.Raw(AttrDomainName),
		AttrNodeCount:     tfmsgpack.Unknown,
		AttrContentSHA256: tfmsgpack.Unknown,
		AttrLastTaskID:    tfmsgpack.Unknown,
		AttrConfirmed:     tfmsgpack.Unknown,
	}
	if cfg.IsNull(AttrDeletionPolicy) {
		set[AttrDeletionPolicy] = tfmsgpack.String(PolicyDeactivate) // the default
	}
	sameDomain := before != nil && bytes.Equal(before.Raw(AttrDomainName), after.Raw(AttrDomainName))
	nodes, err := warnChange(before, after, cfg, sameDomain, diags)
	if err != nil {
		return Plan{}, err
	}
	if !bytes.Equal(nodes, after.Raw(AttrNodes)) {
		set[AttrNodes] = nodes
	}
	var keep *tfmsgpack.Object // the prior state whose task and confirmation an unchanged upload keeps
	if sameDomain && !mustUpload(*before, after, pending, diags) {
		keep = before
	}
	sha, count, err := planContent(nodes, keep, set)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{RequiresReplace: before != nil && !sameDomain}
	if plan.RequiresReplace {
		// The replacement's destroy half deactivates the old domain (a new domain_name, known or
		// not, never finds a create of its own domain following it), so it is claimed like a
		// destroy: beside another resource in state on that domain the plan must fail.
		if destroy, _ := ReadDestroy(before.Bytes()); destroy.Deactivate {
			plan.Deactivates = destroy.Domain
		}
	}
	if domain, ok := after.Str(AttrDomainName); ok && before == nil {
		plan.Creates = &Creation{Domain: domain, ContentSHA256: sha, NodeCount: count}
	}
	plan.State, err = tfmsgpack.Patch(after.Bytes(), set)
	return plan, err
}

// warnChange adds the warnings of what the change does to the domain, and returns the nodes to
// plan: the prior ones when the configured ones differ only in how HSL answers are formatted.
func warnChange(before *tfmsgpack.Object, after, cfg tfmsgpack.Object, sameDomain bool, diags *Diagnostics) ([]byte, error) {
	nodes := after.Raw(AttrNodes)
	switch {
	case before == nil:
		domain, known := after.Str(AttrDomainName)
		if !known && after.IsUnknown(AttrDomainName) {
			domain = unknownDomainName
		}
		// An interactive terraform apply shows this twice: the apply walk plans a create again
		// and Terraform prints that round's warnings too. The two requests cannot be told
		// apart: the same config, null prior state and empty prior private state; only
		// ClientCapabilities.DeferralAllowed differs on Terraform (false, then true), and it is
		// true while planning too under -allow-deferral and in Stacks, and never set by OpenTofu.
		// Keying on it could hide this warning at plan time, so both rounds warn
		// (TestAccCreateWarning_bothPlanRoundsWarn; "Guardrails" in the resource docs).
		warnNewDomain("Creating this resource", domain, diags)
	case sameDomain:
		equivalent, err := equivalentNodes(after, *before)
		if err != nil {
			return nil, err
		}
		if equivalent {
			nodes = before.Raw(AttrNodes)
		}
		if err := warnDeactivation(*before, after, cfg, diags); err != nil {
			return nil, err
		}
	case !after.IsUnknown(AttrDomainName):
		if _, err := warnDestroy(before, diags); err != nil {
			return nil, err
		}
		// The create half's own plan has a null prior, and Terraform drops that plan's warnings
		// (a replacement is planned twice), so the new domain is warned about here. This is also
		// how an import whose id names another domain than domain_name is planned.
		domain, _ := after.Str(AttrDomainName)
		warnNewDomain("Replacing this resource with one for a new domain_name", domain, diags)
	default:
		domain, _ := before.Str(AttrDomainName)
		diags.AddWarning(Root(AttrDomainName), "Unknown Domain Name Replaces the Resource", fmt.Sprintf(
			"domain_name is not known until apply, so this plan replaces the haptik_faq_domain for %q: unless "+
				"deletion_policy is \"retain\", the destroy deactivates every node of %q, and the new domain is known "+
				"only when the apply runs, whose upload deactivates every node that domain has and nodes does not "+
				"list; so does the check that no other haptik_faq_domain holds it (see "+
				"WarnUnknownDomain). Make domain_name known at plan time to see what this plan does.", domain, domain))
	}
	return nodes, nil
}

// warnNewDomain is the warning of an upload to a domain no apply of this resource has written:
// the domain's unlisted nodes will be deactivated.
func warnNewDomain(doing, domain string, diags *Diagnostics) {
	diags.AddWarning(Root(AttrNodes), "New Domain: Unlisted Nodes Will Be Deactivated", fmt.Sprintf(
		"%s uploads nodes as the whole content of domain %q: every node the domain already has that nodes "+
			"does not list will be deactivated. If the domain already has content in Haptik, import it first (an "+
			"import block with id = %q, or identity = { domain_name = %q } on Terraform 1.12 and later), so that "+
			"the plan shows this as a change of an existing domain.", doing, domain, domain, domain))
}

// unknownDomainName is how a plan names a domain that is not known until apply.
const unknownDomainName = "(known after apply)"

// WarnUnknownDomain is the warning of a create whose domain_name is unknown at plan: the
// one-domain check waits for the apply, which checks the domain against the claims of the
// resources it changes (Registry.CheckApply) and sends nothing on a conflict, but does not plan
// the resources without changes again. held is what other resources of this plan claimed so far.
func WarnUnknownDomain(held []string) Diagnostic {
	others := "No other haptik_faq_domain of this plan had named a domain when this one was planned (one planned " +
		"after it gets its own warning about this one)."
	if len(held) > 0 {
		others = fmt.Sprintf("Other haptik_faq_domain resources of this plan hold %s.", nameList(held))
	}
	return Diagnostic{Warning: true, Path: Root(AttrDomainName), Summary: "Domain Name Unknown Until Apply",
		Detail: "domain_name is not known until apply, so the check that no other haptik_faq_domain holds the same " +
			"domain waits for the apply. There the upload is refused, and nothing sent, when another resource the " +
			"apply changes holds the domain; a resource without changes is not planned again, so the apply cannot " +
			"see it. " + others + " If domain_name can become another resource's domain, make it known at plan time " +
			"(apply the resource it comes from first, e.g. with -target), or the upload replaces that resource's nodes."}
}

// mustUpload reports whether an update of the same domain uploads even content the plan finds
// unchanged: Haptik's content is unconfirmed (with a warning), or resync_trigger asks for it.
//
// Unconfirmed is confirmed = false, or confirmed null (a state from before the attribute) while
// private state remembers an upload Haptik accepted but the provider did not see succeed: the
// older provider wrote that record after a timed-out update, and kept no other mark of it.
func mustUpload(before, after tfmsgpack.Object, pending *Pending, diags *Diagnostics) bool {
	unconfirmed := pending != nil
	if c := before.Reader(AttrConfirmed); !c.IsNil() {
		confirmed, err := c.Bool()
		unconfirmed = err == nil && !confirmed
	}
	if unconfirmed {
		warnUnconfirmed(after, pending, diags)
	}
	return unconfirmed || !bytes.Equal(before.Raw(AttrResyncTrigger), after.Raw(AttrResyncTrigger))
}

// planContent sets node_count and content_sha256 from the planned nodes, and keeps the prior
// state's last_task_id and confirmed (nothing is uploaded) when keep is set and its hash is the
// planned one. It returns the hash ("" while a node is unknown) and the count.
func planContent(nodes []byte, keep *tfmsgpack.Object, set map[string][]byte) (string, int, error) {
	r := tfmsgpack.NewReader(nodes)
	switch {
	case r.IsUnknown():
		return "", 0, nil
	case r.IsNil():
		set[AttrNodeCount] = tfmsgpack.Int(0)
		return "", 0, nil
	}
	ns, err := readNodes(r)
	if err != nil && !errors.Is(err, errUnknownNodes) {
		return "", 0, fmt.Errorf("nodes: %w", err)
	}
	count, _ := tfmsgpack.NewReader(nodes).MapLen()
	set[AttrNodeCount] = tfmsgpack.Int(int64(count))
	if err != nil {
		return "", count, nil // a node is unknown: so is the hash
	}
	sha := faqcsv.SHA256(faqcsv.RenderBytes(ns))
	set[AttrContentSHA256] = tfmsgpack.String(sha)
	if keep != nil {
		if priorSHA, ok := keep.Str(AttrContentSHA256); ok && priorSHA == sha {
			set[AttrLastTaskID] = keep.Raw(AttrLastTaskID)
			set[AttrConfirmed] = keep.Raw(AttrConfirmed)
		}
	}
	return sha, count, nil
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
func warnDeactivation(prior, planned, cfg tfmsgpack.Object, diags *Diagnostics) error {
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
	if max, ok, err := maxDeactivations(cfg); err != nil {
		return err
	} else if ok && len(gone) > max {
		diags.AddError(Root(AttrNodes), "Too Many Nodes Would Be Deactivated", fmt.Sprintf(
			"This apply would upload domain %q without %d of the nodes it has, more than max_deactivations = %d "+
				"allows: %s. Haptik deactivates every node missing from an upload. If the nodes were lost by "+
				"mistake (a bad merge, a missing topic file), add them back to nodes; if removing them is "+
				"intended, raise max_deactivations for this apply.", domain, len(gone), max, quotedNames(gone, len(gone))))
		return nil
	}
	if len(gone) > 0 {
		diags.AddWarning(Root(AttrNodes), "Nodes Will Be Deactivated", fmt.Sprintf(
			"This apply uploads domain %q without %s it had: %s. Haptik deactivates every node missing "+
				"from an upload, so they will stop answering users. If that is not intended, add them back to nodes.",
			domain, count(len(gone), "node"), nameList(gone)))
	}
	return nil
}

// warnDestroy tells the reviewer that destroying the prior domain, or replacing it with another,
// deactivates its nodes, and returns that domain. What a destroy sends is ReadDestroy's decision,
// so the plan says what the apply will do: nothing under deletion_policy = "retain", nor (with
// ReadDestroy's warning) for an imported domain no apply uploaded to.
func warnDestroy(prior *tfmsgpack.Object, diags *Diagnostics) (string, error) {
	if prior == nil {
		return "", nil
	}
	destroy, ds := ReadDestroy(prior.Bytes())
	*diags = append(*diags, ds...)
	if !destroy.Deactivate {
		return "", nil
	}
	names, err := nodeNames(*prior)
	if err != nil {
		return "", err
	}
	domain := destroy.Domain
	what := "every node of the domain"
	if len(names) > 0 {
		what = fmt.Sprintf("all %d of its nodes (%s)", len(names), nameList(names))
	}
	diags.AddWarning(nil, "Destroy Deactivates Every Node", fmt.Sprintf(
		"Destroying (or replacing) the haptik_faq_domain for %q uploads a header-only CSV, so %s become "+
			"inactive in Haptik. To remove the domain from Terraform but keep its nodes, set deletion_policy = "+
			"\"retain\" and apply before destroying.", domain, what))
	return domain, nil
}

// warnUnconfirmed tells the reviewer that Haptik's content is unknown since an upload it
// accepted was not seen to succeed, and that this plan uploads the configured content again.
func warnUnconfirmed(planned tfmsgpack.Object, pending *Pending, diags *Diagnostics) {
	domain, _ := planned.Str(AttrDomainName)
	// Without a task id, Haptik's answer to the upload was never read: it may not have arrived.
	what := fmt.Sprintf("An earlier apply's upload for domain %q may have reached Haptik and was not seen to succeed", domain)
	if pending != nil && pending.TaskID != "" {
		what = fmt.Sprintf("Task %s for domain %q was accepted by Haptik but not seen to succeed", pending.TaskID, domain)
	}
	said := ""
	if pending != nil && pending.Status != "" {
		said = fmt.Sprintf(" The last word on it was: %s.", pending.Status)
	}
	diags.AddWarning(Root(AttrConfirmed), "Haptik's Content Is Unconfirmed", what+", so nobody knows what the domain "+
		"holds now: Haptik may have applied part of it, or all of it later."+said+" This plan uploads the configured "+
		"nodes again, even where they equal what the state records, and the apply restores exactly them.")
}

// maxDeactivations is the configured max_deactivations; ok is false when it is null or unknown.
func maxDeactivations(cfg tfmsgpack.Object) (n int, ok bool, err error) {
	r, known := cfg.Known(AttrMaxDeactivate)
	if !known {
		return 0, false, nil
	}
	v, err := r.Int()
	return int(v), err == nil, err
}
