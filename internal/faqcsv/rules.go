package faqcsv

import (
	"fmt"
	"strings"
)

// Field names a part of a node, spelled as the provider's schema spells it.
type Field string

const (
	// FieldName is the node's name (the map key).
	FieldName Field = ""
	// FieldUserSays is the node's list of user says.
	FieldUserSays Field = "user_says"
	// FieldBotSays is the node's list of bot says.
	FieldBotSays Field = "bot_says"
)

// Problem is one reason a node cannot be uploaded as written.
type Problem struct {
	// Node is the name of the node at fault.
	Node string
	// Field is the part of the node at fault; FieldName for the name itself.
	Field Field
	// Index is the position in the Field's list, or -1 when the whole list (or the name) is at fault.
	Index int
	// Summary is a short Title Case label for the problem.
	Summary string
	// Detail says what is wrong and what to do, in full sentences.
	Detail string
}

// Validate checks a whole node against the rules of Haptik's CSV format and returns every problem
// found, in a stable order.
func Validate(n Node) []Problem {
	ps := CheckName(n.Name)
	for _, f := range []struct {
		field  Field
		values []string
	}{{FieldUserSays, n.UserSays}, {FieldBotSays, n.BotSays}} {
		ps = append(ps, CheckList(n.Name, f.field, len(f.values))...)
		for i, v := range f.values {
			ps = append(ps, CheckValue(n.Name, f.field, i, v)...)
		}
	}
	return ps
}

// CheckName checks a node name.
func CheckName(name string) []Problem {
	if strings.TrimSpace(name) == "" {
		return []Problem{{Node: name, Field: FieldName, Index: -1, Summary: "Blank Node Name",
			Detail: "A node name identifies the node in Haptik and cannot be blank; give the node a name."}}
	}
	return nil
}

// CheckList checks the length of a node's user says or bot says list.
func CheckList(node string, f Field, n int) []Problem {
	if n > 0 {
		return nil
	}
	what := fieldWords(f)
	return []Problem{{Node: node, Field: f, Index: -1, Summary: "Empty " + titleCase(what) + " List",
		Detail: fmt.Sprintf("Every node needs at least one %s; add one to the list.", what)}}
}

// CheckValue checks one user says or bot says, found at index i of its list.
func CheckValue(node string, f Field, i int, v string) []Problem {
	what := fieldWords(f)
	if strings.TrimSpace(v) == "" {
		return []Problem{{Node: node, Field: f, Index: i, Summary: "Blank " + titleCase(what),
			Detail: fmt.Sprintf("A %s cannot be blank; write the text or remove the entry.", what)}}
	}
	sep, hay := UserSaysSeparator, v
	if f == FieldBotSays {
		// Haptik's tag is matched in any letter case, so "<M>" would split the answer too.
		sep, hay = BotSaysSeparator, strings.ToLower(v)
	}
	if strings.Contains(hay, sep) {
		return []Problem{{Node: node, Field: f, Index: i, Summary: "Separator Inside " + titleCase(what),
			Detail: fmt.Sprintf("%q separates %s in Haptik's CSV and cannot appear inside one; split it into two entries.",
				sep, what)}}
	}
	return nil
}

func fieldWords(f Field) string {
	if f == FieldBotSays {
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
