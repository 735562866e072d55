package review

import (
	"encoding/json"
	"fmt"
	"slices"
)

// domainChange is what one haptik_faq_domain change does to Haptik's content.
type domainChange struct {
	address       string
	action        string // create, update, delete, replace
	createFirst   bool   // a replacement that creates before it destroys
	before, after side
	// oldDomain and newDomain differ only for a replacement to another domain.
	oldDomain, newDomain val
	added, removed       []*node
	edited               [][2]*node // before, after
	renames              []rename
	renamedTo            map[string]*node // removed node name → the added node it likely became
	renamedFrom          map[string]bool  // added node names that are rename targets
	// deactivated counts every node the apply deactivates, exactly (removed, or all of a
	// destroyed domain's nodes); unknown when the plan cannot tell.
	deactivated        int
	deactivatedUnknown bool
	// destroyFirst is set for a replacement in one domain that destroys first: every node is
	// deactivated before the new content is uploaded.
	destroyFirst int
	retained     int // nodes a destroy with deletion_policy "retain" leaves active
	retain       bool
	// imported is set when the prior state holds no nodes: the domain was imported and no apply
	// uploaded to it, so nobody knows what it holds, and a destroy sends nothing.
	imported bool
	// unlisted is set when the apply uploads to a domain whose content the plan does not know
	// (a create, an import, a replacement into another domain): every node Haptik holds there
	// that the upload does not list is deactivated, and the plan cannot name them.
	unlisted bool
	hidden   bool
	settings []setting
	tests    []string // a test set's questions (Options.Questions), for questions.go
}

type setting struct{ name, before, after string }

// settingAttrs are the attributes shown when they change, with a note on what changing them does.
var settingAttrs = []struct{ name, note string }{
	{"deletion_policy", ""},
	{"allow_empty", ""},
	{"competing_questions", ""},
	{"max_deactivations", ""},
	{"resync_trigger", "uploads the domain's content again"},
	{"strict_content", ""},
	{"timeouts", ""},
}

// readChange reads one resource change; ok is false for changes that change nothing.
func readChange(rc resourceChange) (dc *domainChange, ok bool) {
	c := rc.Change
	dc = &domainChange{address: rc.Address, renamedTo: map[string]*node{}, renamedFrom: map[string]bool{}}
	dc.before = readSide(c.Before, nil, c.BeforeSensitive)
	dc.after = readSide(c.After, c.AfterUnknown, c.AfterSensitive)
	switch {
	case slices.Equal(c.Actions, []string{"create"}):
		dc.action = "create"
	case slices.Equal(c.Actions, []string{"update"}):
		dc.action = "update"
	case slices.Equal(c.Actions, []string{"delete"}):
		dc.action = "delete"
	case slices.Equal(c.Actions, []string{"delete", "create"}):
		dc.action = "replace"
	case slices.Equal(c.Actions, []string{"create", "delete"}):
		dc.action, dc.createFirst = "replace", true
	default: // no-op, read, forget and anything newer change no content
		return nil, false
	}
	dc.oldDomain, dc.newDomain = dc.before.domain, dc.after.domain
	dc.imported = dc.before.present && dc.before.nodesNull
	if !dc.before.present {
		dc.before = side{present: true, nodes: map[string]*node{}}
	}
	if !dc.after.present || dc.action == "delete" {
		dc.after = side{present: true, nodes: map[string]*node{}}
	}
	dc.hidden = dc.before.nodesSensitive || dc.after.nodesSensitive
	retain := dc.before.attrs["deletion_policy"] == "retain"
	dc.retain = retain
	switch dc.action {
	case "create":
		dc.unlisted = true
	case "update":
		dc.unlisted = dc.imported
	case "replace":
		dc.unlisted = dc.imported || !sameDomain(dc.oldDomain, dc.newDomain)
	}

	switch {
	case dc.action == "delete" && retain:
		dc.retained = len(dc.before.nodes)
		return dc, true
	case dc.action == "replace" && !sameDomain(dc.oldDomain, dc.newDomain):
		// The old domain loses all its nodes (unless retained), the new one gets every node.
		if retain {
			dc.retained = len(dc.before.nodes)
		} else {
			dc.removed = nodeList(dc.before.nodes)
		}
		if dc.after.nodesUnknown {
			dc.deactivated = len(dc.removed)
			return dc, true
		}
		dc.added = nodeList(dc.after.nodes)
		dc.deactivated = len(dc.removed)
		return dc, true
	case dc.action == "replace" && !dc.createFirst && !retain:
		dc.destroyFirst = len(dc.before.nodes)
	}
	if dc.after.nodesUnknown {
		dc.deactivatedUnknown = true
		return dc, true
	}
	for _, n := range nodeList(dc.before.nodes) {
		if m, ok := dc.after.nodes[n.name]; !ok {
			dc.removed = append(dc.removed, n)
		} else if !n.equal(m) {
			dc.edited = append(dc.edited, [2]*node{n, m})
		}
	}
	for _, n := range nodeList(dc.after.nodes) {
		if _, ok := dc.before.nodes[n.name]; !ok {
			dc.added = append(dc.added, n)
		}
	}
	dc.deactivated = len(dc.removed)
	if !dc.hidden {
		dc.renames = findRenames(dc.removed, dc.added)
		for _, r := range dc.renames {
			dc.renamedTo[r.from.name] = r.to
			dc.renamedFrom[r.to.name] = true
		}
	}
	if dc.action == "update" {
		dc.settings = settingChanges(dc.before, dc.after)
	}
	return dc, true
}

// renamed counts the renames (see rename): each is also one of the deactivated and one of the
// added nodes.
func (dc *domainChange) renamed() int {
	n := 0
	for _, r := range dc.renames {
		if r.kept {
			n++
		}
	}
	return n
}

// mayDeactivate reports whether applying the change can deactivate any node.
func (dc *domainChange) mayDeactivate() bool {
	return dc.deactivated > 0 || dc.destroyFirst > 0 || dc.unlisted || (dc.deactivatedUnknown && len(dc.before.nodes) > 0)
}

func sameDomain(a, b val) bool { return !a.unknown && !b.unknown && a.s == b.s }

func settingChanges(before, after side) []setting {
	var out []setting
	for _, a := range settingAttrs {
		b := settingText(before, a.name)
		f := settingText(after, a.name)
		if b == f {
			continue
		}
		if a.note != "" {
			f += " (" + a.note + ")"
		}
		out = append(out, setting{a.name, b, f})
	}
	return out
}

func settingText(s side, name string) string {
	switch {
	case marked(s.unknownMarks, name):
		return "(known after apply)"
	case marked(s.sensitiveMarks, name):
		return "(sensitive)"
	}
	v, ok := s.attrs[name]
	if !ok || v == nil {
		return "(not set)"
	}
	if str, ok := v.(string); ok {
		return fmt.Sprintf("%q", str)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
