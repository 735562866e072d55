package provider

import (
	"errors"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// addEncodedProblems adds the content problems of a configuration's encoding as diagnostics.
func addEncodedProblems(config []byte, diags *diag.Diagnostics) {
	problems, err := checkEncodedContent(config)
	if err != nil {
		diags.AddError("Unreadable Configuration", "The provider could not read the configuration: "+err.Error())
		return
	}
	addProblems(diags, problems)
}

// checkEncodedContent applies the content rules to a configuration's MessagePack encoding (see
// apply.go for why encodings): every value already known is checked, what is still unknown is
// skipped, and the problems come in node-name order.
func checkEncodedContent(config []byte) ([]faqcsv.Problem, error) {
	c := faqcsv.NewChecker()
	o, err := readObject(config)
	if err != nil {
		return nil, err
	}
	if r := o.reader("domain_name"); !r.IsNil() && !r.IsUnknown() {
		domain, err := r.String()
		if err != nil {
			return nil, fmt.Errorf("attribute domain_name: %w", err)
		}
		c.Domain(domain)
	}
	if o.raw("nodes") == nil {
		return nil, errors.New("the configuration has no nodes attribute")
	}
	if err := checkEncodedNodes(c, o); err != nil {
		return nil, fmt.Errorf("nodes: %w", err)
	}
	return c.Problems(), nil
}

// checkEncodedNodes feeds the configuration's nodes map to c in name order.
func checkEncodedNodes(c *faqcsv.Checker, config encodedObject) error {
	spans, known, err := config.nodeSpans()
	if err != nil || !known {
		return err
	}
	names := make([]string, 0, len(spans))
	for name := range spans {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c.Node(name)
		if err := checkEncodedNode(c, name, spans[name]); err != nil {
			return fmt.Errorf("node %q: %w", name, err)
		}
	}
	return nil
}

// checkEncodedNode checks one node's user says and then its bot says. A null node has neither
// list; an unknown node or list is not checked yet.
func checkEncodedNode(c *faqcsv.Checker, name string, node []byte) error {
	fields := []faqcsv.Field{faqcsv.FieldUserSays, faqcsv.FieldBotSays}
	if r := tfmsgpack.NewReader(node); r.IsUnknown() {
		return nil
	} else if r.IsNil() {
		for _, f := range fields {
			c.List(name, f, 0)
		}
		return nil
	}
	o, err := readObject(node)
	if err != nil {
		return err
	}
	for _, f := range fields {
		if o.raw(string(f)) == nil {
			return fmt.Errorf("no %s", f)
		}
		l := o.reader(string(f))
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
			if l.IsNil() || l.IsUnknown() {
				continue
			}
			v, err := l.Bytes()
			if err != nil {
				return err
			}
			c.Value(name, f, i, inPlace(v))
		}
	}
	return nil
}
