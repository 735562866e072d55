package review

import (
	"encoding/json"
)

// SchemaVersion is the version of the JSON summary (-format json). It changes only when a field
// is removed or changes meaning; fields may be added within a version, each documented in
// examples/policy/haptik-faq-review.schema.json.
const SchemaVersion = 1

// jsonSummary is the machine-readable summary, for policy engines (Conftest/OPA and the like).
type jsonSummary struct {
	SchemaVersion  int           `json:"schema_version"`
	PlanErrored    bool          `json:"plan_errored"`
	Totals         jsonTotals    `json:"totals"`
	Domains        []jsonDomain  `json:"domains"`
	OtherResources []jsonAddress `json:"other_resources"`
}

type jsonTotals struct {
	Domains               int  `json:"domains"`
	Added                 int  `json:"added"`
	Edited                int  `json:"edited"`
	Deactivated           int  `json:"deactivated"`
	Renamed               int  `json:"renamed"`
	MayDeactivate         bool `json:"may_deactivate"`
	MayDeactivateUnlisted int  `json:"may_deactivate_unlisted"`
	Replaced              int  `json:"replaced"`
	Destroyed             int  `json:"destroyed"`
	Unconfirmed           int  `json:"unconfirmed"`
}

type jsonDomain struct {
	Address        string       `json:"address"`
	Action         string       `json:"action"`
	Domain         *string      `json:"domain"`
	PreviousDomain *string      `json:"previous_domain"`
	Counts         jsonCounts   `json:"counts"`
	Added          []string     `json:"added"`
	Edited         []string     `json:"edited"`
	Deactivated    []string     `json:"deactivated"`
	LikelyRenames  []jsonRename `json:"likely_renames"`
	Renamed        []jsonRename `json:"renamed"`
	MayDeactivate  bool         `json:"may_deactivate"`
	// MayDeactivateUnlisted: the upload goes to a domain whose content no earlier apply set, so
	// every node Haptik holds there that the plan does not list is deactivated, unnamed.
	MayDeactivateUnlisted bool `json:"may_deactivate_unlisted"`
	Replaced              bool `json:"replaced"`
	DestroysFirst         bool `json:"destroys_first"`
	Destroyed             bool `json:"destroyed"`
	DestroyDeactivates    bool `json:"destroy_deactivates"`
	Imported              bool `json:"imported"`
	Unconfirmed           bool `json:"unconfirmed"`
	NodesUnknown          bool `json:"nodes_unknown"`
	NodesSensitive        bool `json:"nodes_sensitive"`
}

type jsonCounts struct {
	Added       int `json:"added"`
	Edited      int `json:"edited"`
	Deactivated int `json:"deactivated"`
	Renamed     int `json:"renamed"`
}

type jsonRename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type jsonAddress struct {
	Address string `json:"address"`
	Action  string `json:"action"`
}

// renderJSON writes the summary as indented JSON.
func renderJSON(errored bool, changes []*domainChange, others []otherChange, sum Summary) string {
	out := jsonSummary{SchemaVersion: SchemaVersion, PlanErrored: errored, Domains: []jsonDomain{}, OtherResources: []jsonAddress{}}
	out.Totals = jsonTotals{Domains: sum.Domains, Added: sum.Added, Edited: sum.Edited, Deactivated: sum.Deactivated, Renamed: sum.Renamed,
		MayDeactivate: sum.MayDeactivate, MayDeactivateUnlisted: sum.Unnamed}
	for _, dc := range changes {
		d := dc.jsonDomain()
		out.Domains = append(out.Domains, d)
		out.Totals.Replaced += b2i(d.Replaced)
		out.Totals.Destroyed += b2i(d.Destroyed)
		out.Totals.Unconfirmed += b2i(d.Unconfirmed)
	}
	for _, o := range others {
		out.OtherResources = append(out.OtherResources, jsonAddress{o.address, o.action})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil { // cannot happen: only strings, numbers and booleans
		panic(err)
	}
	return string(b) + "\n"
}

func (dc *domainChange) jsonDomain() jsonDomain {
	d := jsonDomain{Address: dc.address, Action: dc.action,
		Counts:         jsonCounts{Added: len(dc.added), Edited: len(dc.edited), Deactivated: dc.deactivated, Renamed: dc.renamed()},
		Added:          []string{},
		Edited:         []string{},
		Deactivated:    []string{},
		LikelyRenames:  []jsonRename{},
		Renamed:        []jsonRename{},
		MayDeactivate:  dc.mayDeactivate(),
		Replaced:       dc.action == "replace",
		DestroysFirst:  dc.destroyFirst > 0,
		Destroyed:      dc.action == "delete" || dc.action == "replace",
		Imported:       dc.imported,
		Unconfirmed:    dc.before.confirmed != nil && !*dc.before.confirmed && dc.action != "create",
		NodesUnknown:   dc.after.nodesUnknown,
		NodesSensitive: dc.hidden,
	}
	d.MayDeactivateUnlisted = dc.unlisted
	d.DestroyDeactivates = d.Destroyed && !dc.retain && !dc.imported
	domain, previous := dc.newDomain, val{unknown: true}
	switch {
	case dc.action == "delete":
		domain = dc.oldDomain
	case dc.action == "replace" && !sameDomain(dc.oldDomain, dc.newDomain):
		previous = dc.oldDomain
	}
	d.Domain, d.PreviousDomain = knownString(domain), knownString(previous)
	if dc.hidden {
		return d
	}
	for _, n := range dc.added {
		d.Added = append(d.Added, n.name)
	}
	for _, e := range dc.edited {
		d.Edited = append(d.Edited, e[0].name)
	}
	for _, n := range dc.removed {
		d.Deactivated = append(d.Deactivated, n.name)
	}
	for _, r := range dc.renames {
		d.LikelyRenames = append(d.LikelyRenames, jsonRename{r.from.name, r.to.name})
		if r.kept {
			d.Renamed = append(d.Renamed, jsonRename{r.from.name, r.to.name})
		}
	}
	return d
}

// knownString is v's text, or nil when it is unknown until apply or sensitive.
func knownString(v val) *string {
	if v.unknown || v.sensitive {
		return nil
	}
	return &v.s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
