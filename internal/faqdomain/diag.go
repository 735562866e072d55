package faqdomain

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// Diagnostic is an error or warning for the person running Terraform, as data: the server turns
// it into the protocol's diagnostic.
type Diagnostic struct {
	Warning bool
	Summary string
	Detail  string
	// Path is the attribute at fault; nil for the resource as a whole.
	Path Path
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasError reports whether any diagnostic is an error.
func (ds Diagnostics) HasError() bool {
	for _, d := range ds {
		if !d.Warning {
			return true
		}
	}
	return false
}

// AddError adds an error about the attribute at at (nil for none).
func (ds *Diagnostics) AddError(at Path, summary, detail string) {
	*ds = append(*ds, Diagnostic{Summary: summary, Detail: detail, Path: at})
}

// AddWarning adds a warning about the attribute at at (nil for none).
func (ds *Diagnostics) AddWarning(at Path, summary, detail string) {
	*ds = append(*ds, Diagnostic{Warning: true, Summary: summary, Detail: detail, Path: at})
}

// Path is an attribute path: each step is an attribute name, a map key or a list index.
type Path []Step

// Step is one step of a Path: Name for an attribute, else Key for a map element, else Index.
type Step struct {
	Name  string
	Key   string
	IsKey bool
	Index int
}

// Root is the path of a top-level attribute.
func Root(name string) Path { return Path{{Name: name}} }

// AtName is the path of an attribute of the object at p.
func (p Path) AtName(name string) Path { return append(p[:len(p):len(p)], Step{Name: name}) }

// AtMapKey is the path of a map element of the map at p.
func (p Path) AtMapKey(key string) Path {
	return append(p[:len(p):len(p)], Step{Key: key, IsKey: true})
}

// AtListIndex is the path of a list element of the list at p.
func (p Path) AtListIndex(i int) Path { return append(p[:len(p):len(p)], Step{Index: i}) }

// String is the path as Terraform users write it: nodes["refunds"].user_says[2].
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.Name != "":
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case s.IsKey:
			b.WriteString("[" + strconv.Quote(s.Key) + "]")
		default:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		}
	}
	return b.String()
}

// ProblemPath is the attribute path of a content problem, e.g. nodes["refunds"].user_says[2].
func ProblemPath(p faqcsv.Problem) Path {
	if p.Field == faqcsv.FieldDomain {
		return Root(AttrDomainName)
	}
	at := Root(AttrNodes).AtMapKey(p.Node)
	if p.Field == faqcsv.FieldName {
		return at
	}
	at = at.AtName(string(p.Field))
	if p.Index >= 0 {
		at = at.AtListIndex(p.Index)
	}
	return at
}

// ProblemText is how every content problem reads, in diagnostics and function errors alike: the
// path, then the detail, e.g. `nodes["refunds"].user_says[2]: "|" separates user says ...`.
func ProblemText(p faqcsv.Problem) string { return ProblemPath(p).String() + ": " + p.Detail }

// addProblems reports content problems as attribute diagnostics.
func (ds *Diagnostics) addProblems(ps []faqcsv.Problem) {
	for _, p := range ps {
		*ds = append(*ds, Diagnostic{Warning: p.Warning, Summary: p.Summary, Detail: ProblemText(p), Path: ProblemPath(p)})
	}
}

// Unreadable is the one diagnostic for a value the provider cannot read (what: "Plan", "State",
// ...): Terraform sent something the schema does not allow, which is a bug to report.
func Unreadable(what string, err error) Diagnostic {
	return Diagnostic{Summary: "Unreadable " + what,
		Detail: fmt.Sprintf("The provider could not read the %s Terraform sent: %v. This is a bug in the provider; "+
			"please report it.", strings.ToLower(what), err)}
}

// nameList quotes names for a message, cut to a readable length with "and N more".
func nameList(names []string) string { return quotedNames(names, 10) }

// quotedNames quotes at most shown names, then says how many more there are.
func quotedNames(names []string, shown int) string {
	q := make([]string, 0, min(shown, len(names)))
	for i, n := range names {
		if i == shown {
			break
		}
		q = append(q, strconv.Quote(n))
	}
	s := strings.Join(q, ", ")
	if len(names) > shown {
		s += fmt.Sprintf(" and %d more", len(names)-shown)
	}
	return s
}

// count is "1 node" or "N nodes".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
