package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ResourceType is the resource whose changes are reviewed.
const ResourceType = "haptik_faq_domain"

// planJSON is the part of `terraform show -json <planfile>` read here.
type planJSON struct {
	FormatVersion   string           `json:"format_version"`
	Errored         bool             `json:"errored"`
	ResourceChanges []resourceChange `json:"resource_changes"`
}

type resourceChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Change  struct {
		Actions         []string `json:"actions"`
		Before          any      `json:"before"`
		After           any      `json:"after"`
		AfterUnknown    any      `json:"after_unknown"`
		BeforeSensitive any      `json:"before_sensitive"`
		AfterSensitive  any      `json:"after_sensitive"`
	} `json:"change"`
}

// parsePlan reads a plan's JSON. Only input that is not a plan at all is an error.
func parsePlan(b []byte) (*planJSON, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("the input is empty: pipe in the output of terraform show -json <planfile>")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var p planJSON
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("the input is not the JSON of a Terraform plan (terraform show -json <planfile>): %w", err)
	}
	if p.FormatVersion == "" {
		return nil, errors.New("the input is JSON but not a Terraform plan: it has no format_version " +
			"(use terraform show -json <planfile>, not terraform plan -json)")
	}
	if major, _, _ := strings.Cut(p.FormatVersion, "."); major != "1" {
		return nil, fmt.Errorf("the plan's JSON format_version is %s; this command reads version 1.x", p.FormatVersion)
	}
	return &p, nil
}

// marked reports whether path is marked in marks, the shape of after_unknown and *_sensitive:
// true marks a value and everything inside it; objects and maps nest by key, lists by index.
func marked(marks any, path ...any) bool {
	for _, step := range path {
		switch m := marks.(type) {
		case bool:
			return m
		case map[string]any:
			k, ok := step.(string)
			if !ok {
				return false
			}
			marks = m[k]
		case []any:
			i, ok := step.(int)
			if !ok || i < 0 || i >= len(m) {
				return false
			}
			marks = m[i]
		default:
			return false
		}
	}
	b, _ := marks.(bool)
	return b
}

// val is one string of the content: known, unknown until apply, or sensitive.
type val struct {
	s         string
	unknown   bool
	sensitive bool
}

// list is user_says or bot_says; unknown or sensitive as a whole, or element by element.
type list struct {
	vals      []val
	unknown   bool
	sensitive bool
}

type node struct {
	name     string
	userSays list
	botSays  list
	// unknown or sensitive as a whole
	unknown   bool
	sensitive bool
}

// side is one side (before or after) of a haptik_faq_domain change.
type side struct {
	present        bool
	domain         val
	nodes          map[string]*node
	nodesUnknown   bool // the whole map is unknown until apply
	nodesSensitive bool // the whole map is sensitive: nothing about it is shown
	// nodesNull is set when the state holds no nodes at all: a domain imported and never
	// uploaded to, whose content Haptik cannot list.
	nodesNull      bool
	confirmed      *bool
	attrs          map[string]any // every attribute as in the JSON, for the settings
	unknownMarks   any
	sensitiveMarks any
}

// readSide reads before or after with its marks. A value that is not the shape this provider
// writes is read as far as it goes, never an error.
func readSide(v, unknown, sensitive any) side {
	obj, ok := v.(map[string]any)
	if !ok && !marked(unknown) {
		return side{}
	}
	s := side{present: true, attrs: obj, unknownMarks: unknown, sensitiveMarks: sensitive}
	s.domain = readVal(obj["domain_name"], unknown, sensitive, "domain_name")
	if c, ok := obj["confirmed"].(bool); ok && !marked(unknown, "confirmed") {
		s.confirmed = &c
	}
	switch {
	case marked(unknown, "nodes") || marked(unknown):
		s.nodesUnknown = true
	case marked(sensitive, "nodes") || marked(sensitive):
		s.nodesSensitive = true
		s.nodes = readNodes(obj["nodes"], unknown, sensitive)
	default:
		s.nodes = readNodes(obj["nodes"], unknown, sensitive)
		s.nodesNull = obj["nodes"] == nil
	}
	return s
}

func readNodes(v, unknown, sensitive any) map[string]*node {
	m, _ := v.(map[string]any)
	nodes := make(map[string]*node, len(m))
	for name, nv := range m {
		n := &node{name: name,
			unknown:   marked(unknown, "nodes", name),
			sensitive: marked(sensitive, "nodes", name),
		}
		obj, _ := nv.(map[string]any)
		n.userSays = readList(obj["user_says"], unknown, sensitive, "nodes", name, "user_says")
		n.botSays = readList(obj["bot_says"], unknown, sensitive, "nodes", name, "bot_says")
		nodes[name] = n
	}
	return nodes
}

func readList(v, unknown, sensitive any, path ...any) list {
	l := list{unknown: marked(unknown, path...), sensitive: marked(sensitive, path...)}
	items, _ := v.([]any)
	for i, item := range items {
		l.vals = append(l.vals, readVal(item, unknown, sensitive, append(path[:len(path):len(path)], i)...))
	}
	return l
}

func readVal(v, unknown, sensitive any, path ...any) val {
	out := val{unknown: marked(unknown, path...), sensitive: marked(sensitive, path...)}
	switch x := v.(type) {
	case string:
		out.s = x
	case nil:
	default:
		out.s = fmt.Sprint(x)
	}
	return out
}

// equal reports whether two values read the same to Haptik (HSL compared as JSON).
func (v val) equal(w val) bool {
	if v.unknown || w.unknown {
		return false
	}
	return v.s == w.s || equivalentHSL(v.s, w.s)
}

func (l list) equal(m list) bool {
	if l.unknown || m.unknown || len(l.vals) != len(m.vals) {
		return false
	}
	for i := range l.vals {
		if !l.vals[i].equal(m.vals[i]) {
			return false
		}
	}
	return true
}

func (n *node) equal(m *node) bool {
	return !n.unknown && !m.unknown && n.userSays.equal(m.userSays) && n.botSays.equal(m.botSays)
}
