package faqcsv

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxNameLength is the longest node name accepted, in characters. Haptik documents no limit; node
// names are identifiers shown in its dashboard, so anything longer is almost surely a mistake.
const MaxNameLength = 200

// Field names a part of the content, spelled as the provider's schema spells it.
type Field string

const (
	// FieldName is a node's name (the map key).
	FieldName Field = ""
	// FieldUserSays is a node's list of user says.
	FieldUserSays Field = "user_says"
	// FieldBotSays is a node's list of bot says.
	FieldBotSays Field = "bot_says"
	// FieldDomain is the domain name; Node is empty.
	FieldDomain Field = "domain_name"
)

// Problem is one reason content cannot be uploaded as written, or (Warning) may not do what the
// author meant.
type Problem struct {
	// Node is the name of the node at fault (empty for FieldDomain).
	Node string
	// Field is the part at fault.
	Field Field
	// Index is the position in the Field's list, or -1 when the whole list (or the name) is at fault.
	Index int
	// Warning is true for problems that Haptik may accept: unknown HSL types and enum values, and
	// text that is uploaded as written but may not be what a reviewer saw or a spreadsheet shows
	// (bidirectional controls, a byte order mark, U+FFFD, a spreadsheet formula).
	Warning bool
	// Summary is a short Title Case label for the problem.
	Summary string
	// Detail says what is wrong and what to do, in full sentences.
	Detail string
}

// Validate checks one node on its own.
func Validate(n Node) []Problem { return ValidateAll([]Node{n}) }

// ValidateAll checks nodes, including the rules across nodes (names that differ only in case, a
// user says shared by two nodes), and returns every problem in node-name order.
func ValidateAll(nodes []Node) []Problem {
	sorted := make([]Node, len(nodes))
	copy(sorted, nodes)
	SortNodes(sorted)
	return ValidateInOrder(sorted)
}

// ValidateInOrder is ValidateAll for nodes taken in the given order (e.g. a CSV's rows): a rule
// across nodes is reported at the later of the two.
func ValidateInOrder(nodes []Node) []Problem {
	c := NewChecker()
	for _, n := range nodes {
		c.Node(n.Name)
		for _, f := range []struct {
			field  Field
			values []string
		}{{FieldUserSays, n.UserSays}, {FieldBotSays, n.BotSays}} {
			c.List(n.Name, f.field, len(f.values))
			for i, v := range f.values {
				c.Value(n.Name, f.field, i, v)
			}
		}
	}
	return c.Problems()
}

// Checker applies the content rules value by value, so that a caller holding partly unknown
// content (a Terraform plan) can check what it knows. Feed it each node's name, then that node's
// list lengths and values; nodes in name order give a stable report.
type Checker struct {
	problems []Problem
	// folded maps a node name's key (see folder.key) to the first name seen with it.
	folded map[string]string
	// says maps a user says's key to where it was first seen.
	says map[string]sayRef
	// saysText maps the key of a user says with invisible characters to its text, for a message
	// that names them; it stays empty for most content.
	saysText map[string]string
	fold     folder
}

type sayRef struct {
	node  string
	index int
}

// NewChecker returns an empty Checker.
func NewChecker() *Checker {
	return &Checker{folded: map[string]string{}, says: map[string]sayRef{}}
}

// Problems returns every problem found so far.
func (c *Checker) Problems() []Problem { return c.problems }

func (c *Checker) add(node string, f Field, i int, summary, detail string, args ...any) {
	c.problems = append(c.problems, Problem{Node: node, Field: f, Index: i, Summary: summary,
		Detail: fmt.Sprintf(detail, args...)})
}

func (c *Checker) warn(node string, f Field, i int, summary, detail string, args ...any) {
	c.problems = append(c.problems, Problem{Node: node, Field: f, Index: i, Warning: true, Summary: summary,
		Detail: fmt.Sprintf(detail, args...)})
}

// Domain checks the domain name.
func (c *Checker) Domain(name string) {
	ch := scan(name)
	switch {
	case ch.blank:
		c.add("", FieldDomain, -1, "Blank Domain Name",
			"The domain name says which Haptik bot receives the nodes and cannot be blank; set it to the "+
				"domain (bot) name shown in Haptik.")
	case strings.TrimSpace(name) != name:
		c.add("", FieldDomain, -1, "Domain Name Has Surrounding Whitespace",
			"%q has whitespace at its start or end, so it would name a different domain; remove it.", name)
	case ch.tab || ch.lf || ch.control || ch.lineSep:
		c.add("", FieldDomain, -1, "Control Character in Domain Name",
			"%q contains a line break or another control character; remove it.", name)
	}
}

// Node checks a node name and starts that node's checks.
func (c *Checker) Node(name string) {
	ch := scan(name)
	switch {
	case ch.blank:
		c.add(name, FieldName, -1, "Blank Node Name",
			"A node name identifies the node in Haptik and cannot be blank; give the node a name.")
		return
	case strings.TrimSpace(name) != name:
		c.add(name, FieldName, -1, "Node Name Has Surrounding Whitespace",
			"The node name %q has whitespace at its start or end, which Haptik would keep as part of a "+
				"different name; remove it.", name)
	case ch.tab || ch.lf || ch.control || ch.lineSep:
		c.add(name, FieldName, -1, "Control Character in Node Name",
			"The node name %q contains a line break or another control character; use a name on one line.", name)
	case utf8.RuneCountInString(name) > MaxNameLength:
		c.add(name, FieldName, -1, "Node Name Too Long",
			"The node name is %d characters long; keep node names to at most %d characters.",
			utf8.RuneCountInString(name), MaxNameLength)
	}
	key := c.fold.key(name, ch)
	if first, ok := c.folded[key]; ok && first != name {
		c.nameTwins(first, name)
	} else if !ok {
		c.folded[key] = name
	}
	c.textWarnings(name, FieldName, -1, name, ch)
}

// nameTwins reports two node names that read as one: they differ only in case, invisible
// characters or spacing.
func (c *Checker) nameTwins(first, name string) {
	if c.fold.fold(first) == c.fold.fold(name) {
		c.add(name, FieldName, -1, "Node Names Differ Only in Case",
			"The node names %q and %q differ only in letter case: one node to a person, ambiguous to Haptik. "+
				"Merge them or rename one.", first, name)
		return
	}
	var words, titles []string
	if runeIndex(first+name, isInvisible) > 0 {
		words, titles = append(words, "invisible characters"), append(titles, "Invisible Characters")
	}
	if c.fold.fold(stripInvisible(first)) != c.fold.fold(stripInvisible(name)) {
		words, titles = append(words, "spacing"), append(titles, "Spacing")
	}
	if odd := listChars(isOddSpace, first, name); odd != "" {
		words[0] += " (" + odd + ")"
	}
	if visibleForm(first) != visibleForm(name) {
		words, titles = append(words, "letter case"), append(titles, "Case")
	}
	which := joinAnd(words)
	c.add(name, FieldName, -1, "Node Names Differ Only in "+joinAnd(titles),
		"The node names %q and %q differ only in %s: one node to a person reading the plan, two nodes to "+
			"Haptik. Merge them or rename one, and write node names with single ordinary spaces and no "+
			"invisible characters.", first, name, which)
}

// List checks the length of a node's user says or bot says list.
func (c *Checker) List(node string, f Field, n int) {
	if n > 0 {
		return
	}
	what := fieldWords(f)
	c.add(node, f, -1, "Empty "+titleCase(what)+" List", "Every node needs at least one %s; add one to the list.", what)
}

// Null reports that index i of a node's user says or bot says list holds no value at all (null in
// Terraform), which a CSV cell cannot express.
func (c *Checker) Null(node string, f Field, i int) {
	what := fieldWords(f)
	c.add(node, f, i, "Null "+titleCase(what), "The %s is null, and Haptik's CSV has no way to send a missing "+
		"value; give it a value or remove it from the list. A null usually comes from a variable or a lookup "+
		"that found nothing.", what)
}

// Value checks one user says or bot says, found at index i of its list.
func (c *Checker) Value(node string, f Field, i int, v string) {
	what := fieldWords(f)
	ch := scan(v)
	if ch.blank {
		c.add(node, f, i, "Blank "+titleCase(what), "A %s cannot be blank; write the text or remove the entry.", what)
		return
	}
	if f == FieldUserSays {
		c.userSays(node, i, v, ch)
	} else {
		c.botSays(node, i, v, ch)
	}
	c.textWarnings(node, f, i, v, ch)
}

func (c *Checker) userSays(node string, i int, v string, ch chars) {
	if strings.Contains(v, UserSaysSeparator) {
		c.add(node, FieldUserSays, i, "Separator Inside User Says",
			"%q separates user says in Haptik's CSV and cannot appear inside one; split it into two entries.",
			UserSaysSeparator)
	}
	if ch.lf || ch.control || ch.lineSep {
		c.add(node, FieldUserSays, i, "Line Break in User Says",
			"A user says is one message a user would type, on one line; remove the line break or control "+
				"character, or split it into two entries.")
	}
	key := c.fold.key(v, ch)
	first, seen := c.says[key]
	if !seen {
		c.says[key] = sayRef{node, i}
		if ch.invisible {
			if c.saysText == nil {
				c.saysText = map[string]string{}
			}
			c.saysText[key] = v
		}
		return
	}
	ignoring, invisibles := "case and spacing", ""
	if odd := listChars(isInvisible, c.saysText[key], v); odd != "" {
		ignoring = "case, spacing and invisible characters"
		invisibles = " The text holds invisible characters (" + odd + ") that a review cannot see; remove them."
	}
	if first.node == node {
		c.add(node, FieldUserSays, i, "Repeated User Says",
			"%q repeats user_says[%d] of the same node (ignoring %s); remove one of them.%s",
			v, first.index, ignoring, invisibles)
		return
	}
	c.add(node, FieldUserSays, i, "User Says in Two Nodes",
		"%q is also user_says[%d] of node %q (ignoring %s), so Haptik could not tell which "+
			"node should answer it; keep it in only one of the nodes %q and %q.%s",
		v, first.index, first.node, ignoring, first.node, node, invisibles)
}

func (c *Checker) botSays(node string, i int, v string, ch chars) {
	if strings.Contains(strings.ToLower(v), BotSaysSeparator) {
		c.add(node, FieldBotSays, i, "Separator Inside Bot Says",
			"%q separates bot says in Haptik's CSV and cannot appear inside one (in any letter case); split "+
				"it into two entries.", BotSaysSeparator)
	}
	if ch.control {
		c.add(node, FieldBotSays, i, "Control Character in Bot Says",
			"The answer contains a carriage return or another control character, which CSV readers change "+
				"or drop; keep only line feeds, e.g. with replace(text, \"\\r\\n\", \"\\n\").")
	}
	if IsHSL(v) {
		for _, p := range checkHSL(v) {
			c.problems = append(c.problems, Problem{Node: node, Field: FieldBotSays, Index: i,
				Warning: p.warning, Summary: p.summary, Detail: p.detail})
		}
	}
}

// textWarnings warns about characters that make the plan show other text than is uploaded, and
// about text that a spreadsheet would run as a formula.
func (c *Checker) textWarnings(node string, f Field, i int, v string, ch chars) {
	what := fieldWords(f)
	if ch.bidi {
		c.warn(node, f, i, "Bidirectional Control in "+titleCase(what),
			"The %s contains %s at character %d: an invisible control that displays the text after it in "+
				"another order than it is stored, so the plan can show text other than what is uploaded. Remove "+
				"it; right-to-left text displays in order without it, and U+200F RIGHT-TO-LEFT MARK can place "+
				"punctuation next to it.", what, listChars(isBidiControl, v), runeIndex(v, isBidiControl))
	}
	if ch.bom {
		hsl := ""
		if IsHSL(strings.TrimPrefix(v, "\ufeff")) {
			hsl = " Because the text then does not start with \"{\", it is not checked as HSL JSON, and " +
				"Haptik may show the JSON to users as text."
		}
		c.warn(node, f, i, "Byte Order Mark in "+titleCase(what),
			"The %s starts with U+FEFF, a byte order mark, which file() keeps when a file is saved as "+
				"\"UTF-8 with BOM\"; the plan does not show it, but it is uploaded as part of the text.%s Save the "+
				"file as UTF-8 without a BOM, or remove the mark with trimprefix(file(...), \"\\ufeff\").", what, hsl)
	}
	if ch.replacement {
		c.warn(node, f, i, "Replacement Character in "+titleCase(what),
			"The %s contains U+FFFD REPLACEMENT CHARACTER (�) at character %d, which a decoder writes in "+
				"place of bytes that were not valid UTF-8, so some of the intended text was lost before "+
				"Terraform read it and users would see �. Convert the source to UTF-8 (for example with iconv) "+
				"and write the characters that were meant.", what, runeIndex(v, isReplacement))
	}
	if startsFormula(v) {
		c.warn(node, f, i, "Spreadsheet Formula in "+titleCase(what),
			"The %s starts with %q, which spreadsheets such as Excel read as a formula and run when a content "+
				"team opens a CSV export of the bot, so the cell can show other text, fetch a web address or "+
				"start a program. It is uploaded as written, because escaping it would change what the bot says; "+
				"if it is not meant as a formula, start the text with a word or another character, and import "+
				"exported columns as text when opening them in a spreadsheet.", what, formulaShown(v))
	}
}

func fieldWords(f Field) string {
	switch f {
	case FieldName:
		return "node name"
	case FieldBotSays:
		return "bot says"
	}
	return "user says"
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
