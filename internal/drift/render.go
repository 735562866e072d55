package drift

import (
	"fmt"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/review"
)

// Marker starts every Markdown report, so that a pipeline can find and update its comment.
const Marker = "<!-- haptik-faq-drift -->"

// Options says what the export was compared with and how to write the report.
type Options struct {
	Format review.Format
	// Flavor is the host a Markdown report is written for (GitHub by default).
	Flavor review.Flavor
	// Limit is the most characters of output, in UTF-16 units as GitHub counts a comment (the
	// review's unit): 0 means review.DefaultLimit for Markdown and no limit for Text.
	Limit int
	// Domain is the exported domain, as the configuration names it.
	Domain string
	// Address is the resource whose planned nodes the export was compared with; NodesFile is the
	// nodes file it was compared with instead.
	Address, NodesFile string
	// Overwrites is set when applying uploads the configured nodes, undoing the changes: a plan
	// that uploads the domain, or configured nodes with no plan (the next upload sends them).
	Overwrites bool
	// Hidden is set when the configured nodes are sensitive: only node names are shown.
	Hidden bool
}

// Render writes the report on c. It says whether the changes are overwritten, and lists the nodes
// added, edited and deactivated in the dashboard in the review's style.
func Render(c Change, opts Options) string {
	x := review.NewFormatter(opts.Format, opts.Flavor)
	md := opts.Format == review.Markdown
	limit := opts.Limit
	if limit == 0 && md {
		limit = review.DefaultLimit
	}
	r := x.NewReport("this report must fit one comment; run haptik-faq drift -format text to list them all.")

	var top strings.Builder
	if md {
		top.WriteString(Marker + "\n## FAQ changes made outside Git\n\n")
	} else {
		top.WriteString("FAQ changes made outside Git\n\n")
	}
	changed := len(c.Edited) + len(c.Added) + len(c.Deactivated)
	against := "the plan of " + x.Name(opts.Address)
	if opts.Address == "" {
		against = x.Name(opts.NodesFile)
	}
	fmt.Fprintf(&top, "%s (the dashboard export of domain %s compared with %s; %s match).\n\n",
		x.Bold(fmt.Sprintf("%s edited, %s added, %s deactivated outside Git", x.Count(len(c.Edited)), x.Count(len(c.Added)),
			x.Count(len(c.Deactivated)))), x.Name(opts.Domain), against, x.Nodes(c.Same))
	switch {
	case changed == 0:
		top.WriteString("No changes: Haptik holds the configured nodes.\n")
	case opts.Overwrites:
		top.WriteString(x.Alert("CAUTION", x.Bold("The apply overwrites "+pick(changed == 1, "this change", "these "+x.Count(changed)+" changes"))+
			": it uploads the configured nodes, so edits made in the dashboard are changed back, nodes added there are "+
			"deactivated and nodes deactivated there answer again. Before merging, copy what should stay into the "+
			"configuration, then export again and check that nothing is left."))
	default:
		top.WriteString(x.Alert("WARNING", x.Bold("The next upload overwrites "+pick(changed == 1, "this change", "these "+x.Count(changed)+" changes"))+
			": this plan uploads nothing to the domain, so they stay for now, but any apply that changes its content "+
			"(or resync_trigger) uploads the configured nodes over them. Copy what should stay into the configuration."))
	}
	r.Text(top.String())

	item := func(show func(faqcsv.Node) string) func(faqcsv.Node) string {
		if opts.Hidden {
			return func(n faqcsv.Node) string { return x.Hidden(n.Name) }
		}
		return show
	}
	if n := len(c.Added); n > 0 {
		r.Section(0, fmt.Sprintf("⛔ Added in the dashboard: %s. The apply deactivates %s", x.Nodes(n), pick(n == 1, "it", "them")),
			"added", items(c.Added, item(x.Questions)))
	}
	if n := len(c.Edited); n > 0 {
		edits := make([]string, n)
		for i, e := range c.Edited {
			edits[i] = x.Edit(asConfigured(e[0], e[1]), e[1])
			if opts.Hidden {
				edits[i] = x.Hidden(e[0].Name)
			}
		}
		r.Section(1, fmt.Sprintf("Edited in the dashboard: %s. The apply changes %s back", x.Nodes(n), pick(n == 1, "it", "them")),
			"edited", edits)
	}
	if n := len(c.Deactivated); n > 0 {
		r.Section(2, fmt.Sprintf("Deactivated in the dashboard: %s. The apply makes %s answer again", x.Nodes(n), pick(n == 1, "it", "them")),
			"deactivated", items(c.Deactivated, item(x.Node)))
	}
	out, _ := r.Layout(limit)
	return out
}

// asConfigured is the exported node with each user says and bot says that is the same as a
// configured one written as configured, so that an edit shows only what changed: not a question
// in other letter case, nor an HSL answer formatted another way.
func asConfigured(exported, configured faqcsv.Node) faqcsv.Node {
	out := faqcsv.Node{Name: exported.Name}
	keys := map[string]string{}
	for _, s := range configured.UserSays {
		keys[faqcsv.UserSaysKey(s)] = s
	}
	for _, s := range exported.UserSays {
		if c, ok := keys[faqcsv.UserSaysKey(s)]; ok {
			s = c
		}
		out.UserSays = append(out.UserSays, s)
	}
	for i, s := range exported.BotSays {
		if i < len(configured.BotSays) && faqcsv.SameBotSays(s, configured.BotSays[i]) {
			s = configured.BotSays[i]
		}
		out.BotSays = append(out.BotSays, s)
	}
	return out
}

func items(ns []faqcsv.Node, item func(faqcsv.Node) string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = item(n)
	}
	return out
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
