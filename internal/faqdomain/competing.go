package faqdomain

import (
	"fmt"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/faqmatch"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// competingShown is how many competing pairs one diagnostic lists; the rest are counted.
const competingShown = 10

// competingSettings reads competing_questions: the check (CheckWarning, CheckError or CheckOff)
// and the threshold, their defaults when null. ok is false when a setting is unknown (the check
// waits for it) or invalid (reported in diags).
func competingSettings(o tfmsgpack.Object, diags *Diagnostics) (check string, threshold float64, ok bool) {
	check, threshold = CheckWarning, DefaultCompetingThreshold
	if o.Raw(AttrCompeting) == nil {
		return check, threshold, true
	}
	if r := o.Reader(AttrCompeting); r.IsUnknown() {
		return "", 0, false
	} else if r.IsNil() {
		return check, threshold, true
	}
	c, err := tfmsgpack.ReadObject(o.Raw(AttrCompeting))
	if err != nil {
		*diags = append(*diags, Unreadable("competing_questions", err))
		return "", 0, false
	}
	ok = true
	at := Root(AttrCompeting)
	if c.Raw(CompetingCheck) != nil && c.Reader(CompetingCheck).IsUnknown() {
		ok = false
	} else if s, set := c.Str(CompetingCheck); set {
		check = s
		if s != CheckWarning && s != CheckError && s != CheckOff {
			diags.AddError(at.AtName(CompetingCheck), "Invalid Competing Questions Check", fmt.Sprintf(
				"competing_questions.check is %q. Set it to %q (the default: the plan warns about user says of different "+
					"nodes that compete for the same questions), %q (the plan fails) or %q (no check).",
				s, CheckWarning, CheckError, CheckOff))
			ok = false
		}
	}
	if r, known := c.Known(CompetingThreshold); known {
		f, err := r.Float()
		if err != nil || !(f > 0 && f <= 1) {
			diags.AddError(at.AtName(CompetingThreshold), "Invalid Competing Questions Threshold",
				"competing_questions.threshold must be a number more than 0 and at most 1: the similarity from which two "+
					"user says of different nodes compete. Leave it unset for the default, 0.8.")
			return "", 0, false
		}
		threshold = f
	} else if c.Raw(CompetingThreshold) != nil && c.Reader(CompetingThreshold).IsUnknown() {
		ok = false
	}
	return check, threshold, ok
}

// competingDiagnostic reports the pairs of user says of different nodes that compete for the
// same questions: one warning (or, with check = "error", one error) listing the first pairs by
// both attribute paths.
func competingDiagnostic(says []faqmatch.Say, check string, threshold float64, diags *Diagnostics) {
	if check == CheckOff || len(says) < 2 {
		return
	}
	pairs := faqmatch.Competing(says, threshold)
	if len(pairs) == 0 {
		return
	}
	path := func(s faqmatch.Say) Path {
		return Root(AttrNodes).AtMapKey(s.Node).AtName("user_says").AtListIndex(s.Index)
	}
	var b strings.Builder
	if len(pairs) == 1 {
		b.WriteString("These user says of two different nodes are so alike ")
	} else {
		fmt.Fprintf(&b, "%d pairs of user says of different nodes are so alike ", len(pairs))
	}
	fmt.Fprintf(&b, "(similarity %.2f or more) that a customer asking one could reach either node, and Haptik may "+
		"answer with the other:", threshold)
	for i, p := range pairs {
		if i == competingShown {
			fmt.Fprintf(&b, "\n  … and %d more.", len(pairs)-competingShown)
			break
		}
		fmt.Fprintf(&b, "\n  - %s %q and %s %q (%.2f)", path(p.A), p.A.Text, path(p.B), p.B.Text, p.Similarity)
	}
	b.WriteString("\nWord each node's user says so that they differ in the words that matter, or merge the nodes if " +
		"they answer the same question. To change this check, set competing_questions: check = \"off\", \"warning\" or " +
		"\"error\", and threshold (now ")
	fmt.Fprintf(&b, "%.2f).", threshold)
	at := Root(AttrNodes)
	if len(pairs) == 1 {
		at = path(pairs[0].B)
	}
	if check == CheckError {
		diags.AddError(at, "Competing Questions", b.String())
	} else {
		diags.AddWarning(at, "Competing Questions", b.String())
	}
}
