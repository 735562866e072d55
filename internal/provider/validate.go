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
	r := tfmsgpack.NewReader(config)
	n, err := r.MapLen()
	if err != nil {
		return nil, err
	}
	nodesAt := -1
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		switch string(key) {
		case "domain_name":
			if !r.IsNil() && !r.IsUnknown() {
				domain, err := r.String()
				if err != nil {
					return nil, err
				}
				c.Domain(domain)
			}
			continue
		case "nodes":
			nodesAt = r.Offset()
		}
		if err := r.Skip(); err != nil {
			return nil, fmt.Errorf("attribute %s: %w", key, err)
		}
	}
	if nodesAt < 0 {
		return nil, errors.New("the configuration has no nodes attribute")
	}
	if err := checkEncodedNodes(c, r.At(nodesAt)); err != nil {
		return nil, fmt.Errorf("nodes: %w", err)
	}
	return c.Problems(), nil
}

// checkEncodedNodes feeds the nodes map to c in name order.
func checkEncodedNodes(c *faqcsv.Checker, r *tfmsgpack.Reader) error {
	if r.IsNil() || r.IsUnknown() {
		return nil
	}
	n, err := r.MapLen()
	if err != nil {
		return err
	}
	type entry struct {
		name string
		at   int
	}
	entries := make([]entry, n)
	for i := range entries {
		name, err := r.Bytes()
		if err != nil {
			return err
		}
		entries[i] = entry{inPlace(name), r.Offset()}
		if err := r.Skip(); err != nil {
			return err
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		c.Node(e.name)
		if err := checkEncodedNode(c, e.name, r.At(e.at)); err != nil {
			return fmt.Errorf("node %q: %w", e.name, err)
		}
	}
	return nil
}

// checkEncodedNode checks one node's user says and then its bot says. A null node has neither
// list; an unknown node or list is not checked yet.
func checkEncodedNode(c *faqcsv.Checker, name string, r *tfmsgpack.Reader) error {
	fields := []faqcsv.Field{faqcsv.FieldUserSays, faqcsv.FieldBotSays}
	if r.IsUnknown() {
		return nil
	}
	if r.IsNil() {
		for _, f := range fields {
			c.List(name, f, 0)
		}
		return nil
	}
	n, err := r.MapLen()
	if err != nil {
		return err
	}
	at := map[faqcsv.Field]int{}
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return err
		}
		at[faqcsv.Field(key)] = r.Offset()
		if err := r.Skip(); err != nil {
			return err
		}
	}
	for _, f := range fields {
		off, ok := at[f]
		if !ok {
			return fmt.Errorf("no %s", f)
		}
		l := r.At(off)
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
