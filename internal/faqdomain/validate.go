package faqdomain

import (
	"errors"
	"fmt"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqmatch"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// Validate checks a configuration's encoding at plan time (terraform validate and plan), before
// anything is sent: every rule of the attributes that are already known, the content rules for
// the domain name and every node in name order, deletion_policy and the timeouts. What is still
// unknown is skipped; Plan and the apply see it once it is known.
func Validate(config []byte) Diagnostics {
	var diags Diagnostics
	o, err := tfmsgpack.ReadObject(config)
	if err != nil {
		return Diagnostics{Unreadable("Configuration", err)}
	}
	if policy, ok := o.Str(AttrDeletionPolicy); ok && policy != PolicyDeactivate && policy != PolicyRetain {
		diags.AddError(Root(AttrDeletionPolicy), "Invalid Deletion Policy", fmt.Sprintf(
			"deletion_policy is %q. Set it to %q (the default: destroying the resource deactivates every node of "+
				"the domain) or %q (destroying only removes the domain from Terraform state).",
			policy, PolicyDeactivate, PolicyRetain))
	}
	validateNodesPresent(o, &diags)
	if n, ok, err := maxDeactivations(o); err != nil || (ok && n < 0) {
		diags.AddError(Root(AttrMaxDeactivate), "Invalid max_deactivations", "max_deactivations must be a whole "+
			"number, 0 or more: the most nodes one apply may deactivate. Leave it unset for no limit.")
	}
	for _, op := range []string{OpCreate, OpUpdate, OpDelete} {
		if _, d := Timeout(o, op); d != nil {
			diags = append(diags, *d)
		}
	}
	check, threshold, checkCompeting := competingSettings(o, &diags)
	problems, says, err := contentProblems(o)
	if err != nil {
		return append(diags, Unreadable("Configuration", err))
	}
	diags.addProblems(problems)
	if checkCompeting {
		competingDiagnostic(says, check, threshold, &diags)
	}
	return strictContent(o, diags)
}

// strictContent makes every warning of diags an error when strict_content is true. Every warning
// Validate gives is about content, so this one conversion covers each content rule, including
// rules added later, whatever they warn about.
func strictContent(o tfmsgpack.Object, diags Diagnostics) Diagnostics {
	r, known := o.Known(AttrStrictContent)
	if !known {
		return diags
	}
	if strict, err := r.Bool(); err != nil || !strict {
		return diags
	}
	for i := range diags {
		if diags[i].Warning {
			diags[i].Warning = false
			diags[i].Detail += " This is an error because strict_content = true: change the content, or set " +
				"strict_content = false to accept it as a warning."
		}
	}
	return diags
}

// validateNodesPresent refuses a null nodes map, and an empty one unless allow_empty says so:
// either would upload a domain with no nodes, deactivating every node it has.
func validateNodesPresent(o tfmsgpack.Object, diags *Diagnostics) {
	r := o.Reader(AttrNodes)
	if o.Raw(AttrNodes) == nil || r.IsUnknown() {
		return
	}
	if r.IsNil() {
		diags.AddError(Root(AttrNodes), "Missing Nodes", "nodes is null, and uploading no nodes would deactivate every "+
			"node of the domain. Set nodes to the complete content of the domain, for example nodes = "+
			"provider::haptik::faq_nodes(file(\"faq.csv\")) for a CSV exported from Haptik. (terraform plan "+
			"-generate-config-out writes nodes = null for an imported domain, because Haptik cannot list its nodes; "+
			"a null variable does the same.) To deactivate every node, destroy the resource instead.")
		return
	}
	n, err := r.MapLen()
	if err != nil || n > 0 {
		return
	}
	allow := o.Reader(AttrAllowEmpty)
	if o.Raw(AttrAllowEmpty) != nil && allow.IsUnknown() {
		return
	}
	if ok, err := allow.Bool(); err == nil && ok {
		return
	}
	diags.AddError(Root(AttrNodes), "Empty Nodes", "nodes is empty, and uploading no nodes deactivates every node of "+
		"the domain. If the domain should really hold no nodes, set allow_empty = true; to stop managing the domain, "+
		"destroy the resource (or set deletion_policy = \"retain\" first to keep its nodes).")
}

// contentProblems applies faqcsv's content rules to the configuration: every value already
// known is checked, and the problems come in node-name order. It also returns every known user
// says, in the same order, for the competing-questions check.
func contentProblems(o tfmsgpack.Object) ([]faqcsv.Problem, []faqmatch.Say, error) {
	c := faqcsv.NewChecker()
	if r := o.Reader(AttrDomainName); !r.IsNil() && !r.IsUnknown() {
		domain, err := r.String()
		if err != nil {
			return nil, nil, fmt.Errorf("attribute domain_name: %w", err)
		}
		c.Domain(domain)
	}
	if o.Raw(AttrNodes) == nil {
		return nil, nil, errors.New("the configuration has no nodes attribute")
	}
	entries, _, err := tfmsgpack.MapEntries(o.Raw(AttrNodes))
	if err != nil {
		return nil, nil, fmt.Errorf("nodes: %w", err)
	}
	says := make([]faqmatch.Say, 0, 3*len(entries))
	for _, name := range sortedKeys(entries) {
		c.Node(name)
		if err := checkNode(c, name, entries[name], &says); err != nil {
			return nil, nil, fmt.Errorf("nodes: node %q: %w", name, err)
		}
	}
	return c.Problems(), says, nil
}

// checkNode checks one node's user says and then its bot says, adding its known user says to
// says. A null node has neither list, and a null element is refused at its index; an unknown
// node, list or element is not checked yet.
func checkNode(c *faqcsv.Checker, name string, node []byte, says *[]faqmatch.Say) error {
	fields := []faqcsv.Field{faqcsv.FieldUserSays, faqcsv.FieldBotSays}
	if r := tfmsgpack.NewReader(node); r.IsUnknown() {
		return nil
	} else if r.IsNil() {
		for _, f := range fields {
			c.List(name, f, 0)
		}
		return nil
	}
	o, err := tfmsgpack.ReadObject(node)
	if err != nil {
		return err
	}
	for _, f := range fields {
		if o.Raw(string(f)) == nil {
			return fmt.Errorf("no %s", f)
		}
		l := o.Reader(string(f))
		switch {
		case l.IsUnknown():
			continue
		case l.IsNil():
			c.List(name, f, 0)
			continue
		}
		count, err := l.ArrayLen()
		if err != nil {
			return err
		}
		c.List(name, f, count)
		for i := range count {
			if l.IsNil() { // IsNil and IsUnknown read the element they find
				c.Null(name, f, i)
				continue
			}
			if l.IsUnknown() {
				continue
			}
			v, err := l.Bytes()
			if err != nil {
				return err
			}
			text := tfmsgpack.InPlace(v)
			c.Value(name, f, i, text)
			if f == faqcsv.FieldUserSays {
				*says = append(*says, faqmatch.Say{Node: name, Index: i, Text: text})
			}
		}
	}
	return nil
}
