// Package review turns a Terraform plan's JSON (terraform show -json <planfile>) into a summary
// of its haptik_faq_domain changes that a content editor can review: per domain, the nodes that
// will be deactivated with the questions that stop being answered, likely renames, edited nodes
// with only what changed, and added nodes, rich answers shown as a person sees them. The Markdown
// form fits one GitHub comment; the Text form is for terminals.
package review

import (
	"fmt"
	"strings"
)

// Marker starts every Markdown summary, so that a pipeline can find its earlier comment and
// update it.
const Marker = "<!-- haptik-faq-review -->"

// DefaultLimit is the most characters of a Markdown summary: GitHub refuses comments over 65,536
// characters. Characters are counted as UTF-16 code units (see chars), never fewer than GitHub
// counts, and the 5,536 left over are the safety margin. A Hindi or Tamil character is three
// bytes but one character, so such content fits as much as English.
const DefaultLimit = 60000

// Options configures Render.
type Options struct {
	Format Format
	// Limit is the most characters of output (see chars): 0 means DefaultLimit for Markdown and no
	// limit for Text.
	Limit int
	// Questions are a test set's questions, checked in every changed domain (see questions.go).
	Questions []string
	// Flavor is the host a Markdown summary is written for (GitHub by default).
	Flavor Flavor
}

// Summary counts what the plan does to FAQ content.
type Summary struct {
	Domains, Added, Edited, Deactivated int
	// Renamed counts the renames (a removed node whose every question an added node asks; see
	// rename). Each is also counted in Added and in Deactivated: Haptik keys nodes by name, so a
	// rename deactivates the old name and adds the new one.
	Renamed int
	// MayDeactivate is set when applying the plan can deactivate nodes: some will be, or the plan
	// cannot tell (content known only after apply, or an upload to a domain whose content no
	// earlier apply set).
	MayDeactivate bool
	// Unnamed counts the domains whose apply uploads over content the plan does not know (a
	// create, an imported domain, a new domain_name): every node Haptik holds there that the
	// upload does not list is deactivated, and the plan cannot name them.
	Unnamed int
	// Truncated is set when some nodes are not listed to keep within the limit.
	Truncated bool
}

// Render summarizes the plan. Only input that is not a Terraform plan's JSON is an error.
func Render(planJSON []byte, opts Options) (string, Summary, error) {
	p, err := parsePlan(planJSON)
	if err != nil {
		return "", Summary{}, err
	}
	limit := opts.Limit
	if limit == 0 && opts.Format == Markdown {
		limit = DefaultLimit
	}
	var changes []*domainChange
	var others []otherChange
	for _, rc := range p.ResourceChanges {
		if rc.Mode != "" && rc.Mode != "managed" {
			continue
		}
		if rc.Type != ResourceType {
			if a := otherAction(rc.Change.Actions); a != "" {
				others = append(others, otherChange{rc.Address, a})
			}
			continue
		}
		if dc, ok := readChange(rc); ok {
			dc.tests = opts.Questions
			changes = append(changes, dc)
		}
	}
	var sum Summary
	for _, dc := range changes {
		sum.Domains++
		sum.Added += len(dc.added)
		sum.Edited += len(dc.edited)
		sum.Deactivated += dc.deactivated
		sum.Renamed += dc.renamed()
		sum.MayDeactivate = sum.MayDeactivate || dc.mayDeactivate()
		if dc.unlisted {
			sum.Unnamed++
		}
	}
	if opts.Format == JSON {
		return renderJSON(p.Errored, changes, others, sum), sum, nil
	}
	f := newFmtr(opts.Format, opts.Flavor)
	doc := buildDoc(f, p.Errored, changes, others, sum)
	out, truncated := doc.layout(limit)
	sum.Truncated = truncated
	return out, sum, nil
}

type otherChange struct{ address, action string }

func otherAction(actions []string) string {
	switch strings.Join(actions, ",") {
	case "", "no-op", "read":
		return ""
	case "delete,create", "create,delete":
		return "replace"
	}
	return strings.Join(actions, ", ")
}

// block is a piece of the document: a fixed text always shown, then items shown as far as the
// limit allows (in priority order across blocks), then a note counting the items left out. An
// item's text is made only when the layout needs it (a word diff of a long answer is costly),
// and at most once.
type block struct {
	fixed string
	n     int                // how many items
	item  func(i int) string // the text of item i
	texts []string           // the items made so far
	sizes []int              // their chars; -1 until made
	prio  int
	open  string // before the items, when any is shown
	close string // after them
	more  func(missing int) string
	shown int
}

// setItems gives the block items already made.
func (b *block) setItems(items []string) {
	b.n = len(items)
	b.item = func(i int) string { return items[i] }
}

// text is item i, made on first use.
func (b *block) text(i int) string {
	if b.sizes == nil {
		b.texts, b.sizes = make([]string, b.n), make([]int, b.n)
		for k := range b.sizes {
			b.sizes[k] = -1
		}
	}
	if b.sizes[i] < 0 {
		b.texts[i] = b.item(i)
		b.sizes[i] = chars(b.texts[i])
	}
	return b.texts[i]
}

// size is item i's length in chars.
func (b *block) size(i int) int {
	b.text(i)
	return b.sizes[i]
}

type document []*block

// layout writes the document within limit characters (0: no limit), showing items by priority.
// It reports whether any item was left out. Items are made in priority order and only as far as
// the limit needs: when a plan does not fit, the items past the budget are never made.
func (d document) layout(limit int) (string, bool) {
	for _, b := range d {
		b.shown = b.n
	}
	if limit <= 0 || d.fits(limit) {
		return d.write(), false
	}
	budget := limit
	for range 8 {
		d.fill(budget)
		out := d.write()
		n := chars(out)
		if n <= limit {
			return out, true
		}
		budget -= n - limit + 256
	}
	// Even the fixed parts do not fit (thousands of domains): show no items, then cut whole lines.
	for _, b := range d {
		b.shown = 0
	}
	out := d.write()
	cut := strings.LastIndex(prefixChars(out, limit-200), "\n")
	return out[:cut+1] + "\n… the rest of this summary is cut to fit one comment; the counts at the top are complete.\n", true
}

// fits reports whether the whole document, every item shown, is at most limit chars. It makes
// items in priority order and stops at the first that goes over.
func (d document) fits(limit int) bool {
	used := 0
	for _, b := range d {
		used += chars(b.fixed)
		if b.n > 0 {
			used += chars(b.open) + chars(b.close)
		}
	}
	if used > limit {
		return false
	}
	for _, b := range d.byPriority() {
		for i := range b.n {
			if used += b.size(i); used > limit {
				return false
			}
		}
	}
	return true
}

// byPriority is the blocks with items, priority 0 first, in document order within a priority.
func (d document) byPriority() []*block {
	var out []*block
	for prio := 0; prio <= 3; prio++ {
		for _, b := range d {
			if b.prio == prio && b.n > 0 {
				out = append(out, b)
			}
		}
	}
	return out
}

// fill decides how many items of each block to show within budget characters.
func (d document) fill(budget int) {
	used := 0
	for _, b := range d {
		b.shown = 0
		used += chars(b.fixed)
		if b.n > 0 && b.more != nil {
			used += chars(b.more(b.n)) + chars(b.open) + chars(b.close)
		}
	}
	for _, b := range d.byPriority() {
		for i := range b.n {
			n := b.size(i)
			if used+n > budget {
				break
			}
			used += n
			b.shown++
		}
	}
}

func (d document) write() string {
	var sb strings.Builder
	for _, b := range d {
		sb.WriteString(b.fixed)
		if b.shown > 0 {
			sb.WriteString(b.open)
			for i := range b.shown {
				sb.WriteString(b.text(i))
			}
		}
		if missing := b.n - b.shown; b.more != nil && missing > 0 {
			sb.WriteString(b.more(missing))
			if b.shown == 0 {
				sb.WriteString("\n")
			}
		}
		if b.shown > 0 {
			sb.WriteString(b.close)
		}
	}
	return sb.String()
}

func buildDoc(f fmtr, errored bool, changes []*domainChange, others []otherChange, sum Summary) document {
	var d document
	var top strings.Builder
	if f.md {
		top.WriteString(Marker + "\n## FAQ changes in this plan\n\n")
	} else {
		top.WriteString("FAQ changes in this plan\n\n")
	}
	if errored {
		top.WriteString(f.alert("WARNING", "Terraform reported errors while planning: the changes below may be incomplete. Read the plan output."))
	}
	if len(changes) == 0 {
		top.WriteString("No FAQ content changes in this plan.\n")
	} else {
		unnamed := ""
		if sum.Unnamed > 0 {
			unnamed = ", and any node not listed in " + plural(sum.Unnamed, "domain", "domains")
		}
		fmt.Fprintf(&top, "%s\n", f.bold(fmt.Sprintf("%s: %s%s.",
			plural(sum.Domains, "domain changes", "domains change"), countsText(sum.Added, sum.Edited, sum.Renamed, sum.Deactivated), unnamed)))
		if sum.Deactivated > 0 {
			top.WriteString("\n" + f.alert("CAUTION", deactivationText(f, sum.Deactivated, sum.Renamed)))
		}
		if sum.Unnamed > 0 {
			top.WriteString(pick(sum.Deactivated > 0, "", "\n") + f.alert("CAUTION", f.bold(plural(sum.Unnamed,
				"domain may deactivate nodes this plan cannot name", "domains may deactivate nodes this plan cannot name"))+
				": Haptik cannot list a domain's nodes, and the apply uploads to "+pick(sum.Unnamed == 1, "a domain", "domains")+
				" whose content no earlier apply set (a new resource, an imported domain or a new domain_name). "+
				"Every node Haptik holds there that this plan does not list is deactivated."))
		}
	}
	d = append(d, &block{fixed: top.String()})
	for _, dc := range changes {
		d = append(d, domainBlocks(f, dc)...)
	}
	if len(others) > 0 {
		b := &block{prio: 3, fixed: "\n" + "Other resources in this plan, not reviewed here: ", close: "\n",
			more: func(m int) string { return fmt.Sprintf("and %s more.\n", count(m)) }}
		items := make([]string, len(others))
		for i, o := range others {
			sep := ", "
			if i == len(others)-1 {
				sep = ".\n"
			}
			items[i] = f.name(o.address) + " (" + o.action + ")" + sep
		}
		b.setItems(items)
		d = append(d, b)
	}
	return d
}

// countsText is a headline's counts as the editor sees them: a rename is counted as renamed,
// not also as added and deactivated (added and deactivated include the renames).
func countsText(added, edited, renamed, deactivated int) string {
	s := fmt.Sprintf("%s added, %s edited, ", count(added-renamed), count(edited))
	if renamed > 0 {
		s += count(renamed) + " renamed, "
	}
	return s + count(deactivated-renamed) + " deactivated"
}

// renameNote says what a rename does in Haptik.
const renameNote = "Haptik keys nodes by name, so a rename deactivates the old name and adds the new one, " +
	"which asks every question the old one asked"

// deactivationText is the caution on deactivated nodes, renames included: they are deactivations
// too, whose questions stay answered under the new name.
func deactivationText(f fmtr, deactivated, renamed int) string {
	head := f.bold(nodes(deactivated) + " will be deactivated")
	switch renamed {
	case 0:
		return head + ": the questions they answer stop being answered when this is applied."
	case deactivated:
		return head + ", " + pick(renamed == 1, "a rename", "all renames") + ": " + renameNote +
			", so those questions stay answered, under the new " + pick(renamed == 1, "name.", "names.")
	}
	return head + fmt.Sprintf(", %s renamed: the questions the other %s answer%s stop being answered when this is applied. ",
		pick(renamed == 1, "1 of them", count(renamed)+" of them"), count(deactivated-renamed), pick(deactivated-renamed == 1, "s", "")) +
		"(" + renameNote + ".)"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// alert is a GitHub alert in Markdown (a quote with a bold label in Plain Markdown), a marked
// paragraph in text. kind is NOTE, WARNING or CAUTION.
func (f fmtr) alert(kind, s string) string {
	if f.plain {
		return "> **" + kind[:1] + strings.ToLower(kind[1:]) + ":** " + s + "\n\n"
	}
	if f.md {
		return "> [!" + kind + "]\n> " + s + "\n\n"
	}
	return "!! " + s + "\n\n"
}

// foldOver is how many items a section shows before folding them into <details>.
const foldOver = 10

func domainBlocks(f fmtr, dc *domainChange) []*block {
	var head strings.Builder
	domain := f.domainName(dc.newDomain)
	if dc.action == "delete" {
		domain = f.domainName(dc.oldDomain)
	}
	if dc.action == "replace" && !sameDomain(dc.oldDomain, dc.newDomain) {
		domain = f.domainName(dc.oldDomain) + " → " + f.domainName(dc.newDomain)
	}
	if f.md {
		fmt.Fprintf(&head, "\n### %s · domain %s\n\n", f.name(dc.address), domain)
	} else {
		fmt.Fprintf(&head, "\n%s (domain %s)\n", dc.address, domain)
	}
	counts := countsText(len(dc.added), len(dc.edited), dc.renamed(), dc.deactivated)
	if dc.deactivatedUnknown {
		counts = "the nodes are known only after apply"
	}
	if dc.unlisted {
		counts += ", and any node not listed"
	}
	var renamed, likely []rename
	for _, r := range dc.renames {
		if r.kept {
			renamed = append(renamed, r)
		} else {
			likely = append(likely, r)
		}
	}
	if len(likely) > 0 {
		counts += fmt.Sprintf(" (%s likely %s)", count(len(likely)), pick(len(likely) == 1, "rename", "renames"))
	}
	head.WriteString(f.bold(counts) + "\n\n")
	for _, n := range dc.callouts(f) {
		head.WriteString(n)
	}
	blocks := []*block{{fixed: head.String()}}
	if dc.hidden {
		blocks[0].fixed += "The nodes are marked sensitive in the configuration, so they are not listed.\n"
		return blocks
	}
	kept := map[string]bool{}
	for _, r := range renamed {
		kept[r.from.name] = true
	}
	var removed []*node
	for _, n := range dc.removed {
		if !kept[n.name] {
			removed = append(removed, n)
		}
	}
	if len(removed) > 0 {
		title := fmt.Sprintf("Deactivated: %s. These questions stop being answered", nodes(len(removed)))
		if dc.action == "replace" && !sameDomain(dc.oldDomain, dc.newDomain) {
			title = fmt.Sprintf("Deactivated in %s: %s. These questions stop being answered there", f.domainName(dc.oldDomain), nodes(len(removed)))
		}
		blocks = append(blocks, f.section(0, "⛔ "+title, "deactivated", removed, func(n *node) string {
			return f.deactivatedItem(n, dc.renamedTo[n.name])
		}))
	}
	// Renames are deactivations too, so they are listed first with the deactivated nodes.
	if len(renamed) > 0 {
		blocks = append(blocks, f.renameSection(0, "Renamed: "+renameNote, "renamed", renamed))
	}
	if len(likely) > 0 {
		blocks = append(blocks, f.renameSection(1, "Likely renamed", "likely renamed", likely))
	}
	if len(dc.edited) > 0 {
		ns := make([]*node, len(dc.edited))
		pairs := map[string][2]*node{}
		for i, e := range dc.edited {
			ns[i] = e[0]
			pairs[e[0].name] = e
		}
		blocks = append(blocks, f.section(2, "Edited", "edited", ns, func(n *node) string {
			e := pairs[n.name]
			return f.item(0, f.name(n.name)) + f.nodeDiff(e[0], e[1])
		}))
	}
	var added []*node
	for _, n := range dc.added {
		if !dc.renamedFrom[n.name] {
			added = append(added, n)
		}
	}
	if len(added) > 0 {
		title := "Added"
		if len(added) != len(dc.added) {
			title = "Added (besides the new names above)"
		}
		if dc.imported {
			title = "Uploaded (Haptik may already hold some of these: the plan cannot tell)"
		}
		blocks = append(blocks, f.section(3, title, "added", added, f.addedItem))
	}
	return append(blocks, questionBlocks(f, dc, dc.tests)...)
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func (f fmtr) domainName(v val) string {
	if v.unknown || v.sensitive {
		return f.placeholder(v)
	}
	return f.name(v.s)
}

// unlisted says what an upload to a domain whose content the plan does not know deactivates.
func (f fmtr) unlisted(domain val) string {
	return "every node of domain " + f.domainName(domain) + " this plan does not list is deactivated when this is applied."
}

// callouts are the notes a reviewer must not miss about the change as a whole.
func (dc *domainChange) callouts(f fmtr) []string {
	var out []string
	if dc.before.confirmed != nil && !*dc.before.confirmed && dc.action != "create" {
		out = append(out, f.alert("WARNING", f.bold("Haptik's content is unconfirmed")+": an earlier apply's upload was "+
			"accepted but not seen to succeed, so this plan uploads the whole configured content again, "+
			"even where nothing below changed. The changes below are against the last content Haptik confirmed."))
	}
	switch dc.action {
	case "create":
		out = append(out, f.alert("CAUTION", f.bold("New resource")+": Haptik cannot list the nodes a domain holds, so this plan "+
			"cannot name what the first upload deactivates: "+f.unlisted(dc.newDomain)+" If the domain already has content, "+
			"import it and list every node to keep."))
	case "update":
		if dc.imported {
			out = append(out, f.alert("CAUTION", f.bold("Imported domain")+": no apply has uploaded to it yet and Haptik cannot "+
				"list the nodes it holds, so this plan cannot name what the upload deactivates: "+f.unlisted(dc.newDomain)))
		}
	case "delete":
		switch {
		case dc.retain && dc.imported:
			out = append(out, f.alert("NOTE", "Destroyed with deletion_policy \"retain\": Terraform forgets the domain "+
				"and Haptik keeps its nodes as they are."))
		case dc.retain:
			out = append(out, f.alert("NOTE", fmt.Sprintf("Destroyed with deletion_policy \"retain\": Terraform forgets the domain "+
				"and Haptik keeps its %s active.", nodes(dc.retained))))
		case dc.imported:
			out = append(out, f.alert("NOTE", f.bold("Destroyed, nothing deactivated")+": domain "+f.domainName(dc.oldDomain)+
				" was imported and no apply has uploaded to it, so the destroy sends nothing to Haptik: Terraform forgets "+
				"the domain and Haptik keeps the domain's nodes as they are."))
		default:
			out = append(out, f.alert("CAUTION", f.bold("Destroyed")+fmt.Sprintf(": every node of the domain is deactivated (%s).", nodes(dc.deactivated))))
		}
	case "replace":
		switch {
		case !sameDomain(dc.oldDomain, dc.newDomain):
			what := fmt.Sprintf("every node of the old domain is deactivated (%s)", nodes(dc.deactivated))
			switch {
			case dc.retain && dc.imported:
				what = "the old domain keeps its nodes as they are (deletion_policy \"retain\")"
			case dc.retain:
				what = fmt.Sprintf("the old domain keeps its %s active (deletion_policy \"retain\")", nodes(dc.retained))
			case dc.imported:
				what = "the old domain keeps its nodes as they are (it was imported and no apply has uploaded to it, " +
					"so the destroy sends nothing)"
			}
			out = append(out, f.alert("CAUTION", f.bold("Replaced")+": domain_name changes, so Terraform destroys the resource and "+
				"creates it again: "+what+" and every node is uploaded to the new domain, where "+f.unlisted(dc.newDomain)))
		case dc.imported:
			out = append(out, f.alert("CAUTION", f.bold("Replaced")+": the domain was imported and no apply has uploaded to it, so "+
				"the destroy sends nothing, and Haptik cannot list the nodes it holds: "+f.unlisted(dc.newDomain)))
		case dc.destroyFirst > 0:
			out = append(out, f.alert("CAUTION", f.bold("Replaced")+fmt.Sprintf(": Terraform destroys the resource first, which "+
				"deactivates all %s, then uploads the new content; until that upload succeeds the bot answers none of them.", nodes(dc.destroyFirst))))
		default:
			out = append(out, f.alert("NOTE", f.bold("Replaced")+": Terraform creates the new resource before destroying the old one; "+
				"the changes below are what the upload does."))
		}
	}
	if dc.deactivatedUnknown {
		out = append(out, f.alert("WARNING", fmt.Sprintf("The nodes are known only after apply, so this plan cannot say which "+
			"of the %s now in the domain will be deactivated.", nodes(len(dc.before.nodes)))))
	}
	if len(dc.settings) > 0 {
		var sb strings.Builder
		sb.WriteString("Settings:\n")
		for _, s := range dc.settings {
			sb.WriteString(f.item(0, fmt.Sprintf("%s: %s → %s", f.name(s.name), f.esc(s.before), f.esc(s.after))))
		}
		out = append(out, sb.String()+"\n")
	}
	return out
}

// section is a heading with a count and one item per node, folded when long.
func (f fmtr) section(prio int, title, what string, ns []*node, item func(*node) string) *block {
	b := &block{prio: prio}
	if f.md {
		b.fixed = fmt.Sprintf("#### %s\n\n", title)
		if len(ns) > foldOver && f.html() {
			summary := fmt.Sprintf("Show the %s %s nodes", count(len(ns)), what)
			b.open = "<details><summary>" + summary + "</summary>\n\n"
			b.close = "\n</details>\n\n"
		} else {
			b.close = "\n"
		}
	} else {
		b.fixed = "  " + strings.ToUpper(title[:1]) + title[1:] + "\n"
		if strings.HasPrefix(title, "⛔ ") {
			b.fixed = "  " + strings.ToUpper(strings.TrimPrefix(title, "⛔ ")) + "\n"
		}
		b.close = "\n"
	}
	b.more = func(missing int) string {
		w := what + " nodes"
		if missing == 1 {
			w = what + " node"
		}
		return f.item(0, f.bold(fmt.Sprintf("… and %s more %s not listed here", count(missing), w))+
			": this summary must fit one comment. The plan output lists every node.")
	}
	b.n = len(ns)
	b.item = func(i int) string { return item(ns[i]) }
	return b
}

func (f fmtr) questions(l list) string {
	if l.unknown || l.sensitive {
		return f.placeholder(val{unknown: l.unknown, sensitive: l.sensitive})
	}
	if len(l.vals) == 0 {
		return f.em("none")
	}
	qs := make([]string, 0, len(l.vals))
	for i, v := range l.vals {
		if i == 20 {
			qs = append(qs, fmt.Sprintf("and %s more", count(len(l.vals)-i)))
			break
		}
		qs = append(qs, f.quote(v))
	}
	return strings.Join(qs, ", ")
}

func (f fmtr) deactivatedItem(n *node, to *node) string {
	if n.unknown || n.sensitive {
		return f.item(0, f.name(n.name)+": "+f.placeholder(val{unknown: n.unknown, sensitive: n.sensitive}))
	}
	if to == nil {
		return f.item(0, f.name(n.name)+": "+f.questions(n.userSays))
	}
	still := knownQuestions(to)
	var lost list
	for _, v := range n.userSays.vals {
		if !still[questionKey(v.s)] {
			lost.vals = append(lost.vals, v)
		}
	}
	s := f.name(n.name) + ", likely renamed to " + f.name(to.name)
	if len(lost.vals) == 0 {
		return f.item(0, s+": all its questions are answered there")
	}
	return f.item(0, s+"; no longer answered: "+f.questions(lost))
}

// renameSection lists renames or likely renames.
func (f fmtr) renameSection(prio int, title, what string, rs []rename) *block {
	ns := make([]*node, len(rs))
	byFrom := map[string]rename{}
	for i, r := range rs {
		ns[i] = r.from
		byFrom[r.from.name] = r
	}
	return f.section(prio, title, what, ns, func(n *node) string { return f.renameItem(byFrom[n.name]) })
}

func (f fmtr) renameItem(r rename) string {
	s := f.item(0, fmt.Sprintf("%s → %s (%s of %s questions shared)", f.name(r.from.name), f.name(r.to.name),
		count(r.shared), count(len(r.from.userSays.vals))))
	d := f.nodeDiff(r.from, r.to)
	if d == "" {
		d = f.item(1, "Questions and answers unchanged")
	}
	return s + d
}

func (f fmtr) addedItem(n *node) string {
	s := f.item(0, f.name(n.name))
	if n.unknown || n.sensitive {
		return s + f.item(1, f.placeholder(val{unknown: n.unknown, sensitive: n.sensitive}))
	}
	s += f.item(1, "Questions: "+f.questions(n.userSays))
	if n.botSays.unknown || n.botSays.sensitive {
		return s + f.item(1, "Answers: "+f.placeholder(val{unknown: n.botSays.unknown, sensitive: n.botSays.sensitive}))
	}
	for i, v := range n.botSays.vals {
		if i == 20 {
			s += f.item(1, fmt.Sprintf("and %s more answers", count(len(n.botSays.vals)-i)))
			break
		}
		s += f.item(1, "Answer: "+f.answerText(v))
	}
	return s
}

// answerText is an answer as a person sees it.
func (f fmtr) answerText(v val) string {
	if v.unknown || v.sensitive {
		return f.placeholder(v)
	}
	a := readAnswer(v.s)
	if a.broken != "" {
		return "⚠️ invalid rich answer (" + f.esc(a.broken) + "): " + f.rawJSON(v.s)
	}
	return f.esc(a.text())
}

// rawJSON shows JSON that could not be read, as code.
func (f fmtr) rawJSON(s string) string {
	s = capRunes(s)
	if !f.md {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}
