package review

import (
	"fmt"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

func equivalentHSL(a, b string) bool { return faqcsv.EquivalentHSL(a, b) }

// answer is a bot says as a person sees it: plain text as it is; an HSL answer as its text, then
// its buttons, quick replies or carousel cards by label and title. broken is set when the answer
// starts like HSL but is not an HSL object, and the text is then the raw JSON.
type answer struct {
	lines  []string
	broken string // why the HSL could not be read
}

func readAnswer(s string) answer {
	if !faqcsv.IsHSL(s) {
		return answer{lines: []string{s}}
	}
	obj, err := faqcsv.DecodeHSL(s)
	if err != nil {
		return answer{lines: []string{s}, broken: err.Error()}
	}
	var a answer
	typ, _ := obj["type"].(string)
	if t, ok := obj["text"].(string); ok && t != "" {
		a.lines = append(a.lines, t)
	}
	data, _ := obj["data"].(map[string]any)
	switch typ {
	case "TEXT":
		if qrs := labels(data["quick_replies"]); qrs != "" {
			a.lines = append(a.lines, "Quick replies: "+qrs)
		}
	case "BUTTON":
		if bs := labels(data["items"]); bs != "" {
			a.lines = append(a.lines, "Buttons: "+bs)
		}
	case "CAROUSEL":
		items, _ := data["items"].([]any)
		for i, it := range items {
			item, _ := it.(map[string]any)
			title, _ := item["title"].(string)
			if title == "" {
				title = fmt.Sprintf("(card %d without a title)", i+1)
			}
			line := "Card: " + title
			if sub, _ := item["sub_title"].(string); sub != "" {
				line += " (" + sub + ")"
			}
			if bs := labels(item["actionables"]); bs != "" {
				line += " " + bs
			}
			a.lines = append(a.lines, line)
		}
	default:
		a.lines = append(a.lines, fmt.Sprintf("(a rich answer of type %q)", typ))
	}
	if len(a.lines) == 0 {
		a.lines = []string{"(a rich answer with no text)"}
	}
	return a
}

// labels lists the actionable_text of each button in v as "[Label] [Label]".
func labels(v any) string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		l, _ := m["actionable_text"].(string)
		if strings.TrimSpace(l) == "" {
			l = "(no label)"
		}
		out = append(out, "["+l+"]")
	}
	return strings.Join(out, " ")
}

// text is the answer on one string, lines joined by newlines.
func (a answer) text() string { return strings.Join(a.lines, "\n") }
