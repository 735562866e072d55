package review

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchPlanDir, when set, is where the benchmarks write the plans they render, so that the built
// command can be measured on them too (/usr/bin/time -v haptik-faq review <file>).
var benchPlanDir = flag.String("benchplan-dir", "", "write the benchmarks' plan JSONs into this directory")

// longAnswer is an answer of about 480 words; edited changes a few words in every paragraph.
func longAnswer(i int, edited bool) string {
	var sb strings.Builder
	for p := range 8 {
		for w := range 60 {
			word := fmt.Sprintf("word%d", (i+p*60+w)%97)
			if edited && w == 30 {
				word = "changed"
			}
			sb.WriteString(word)
			sb.WriteString(" ")
		}
		sb.WriteString("end of paragraph.\n")
	}
	return sb.String()
}

// editPlan is the plan JSON of one domain in which n nodes have their answer edited.
func editPlan(b *testing.B, name string, n int, answer func(i int, edited bool) string) []byte {
	b.Helper()
	before, after := map[string][2][]string{}, map[string][2][]string{}
	for i := range n {
		k := fmt.Sprintf("node_%06d", i)
		q := []string{fmt.Sprintf("Question number %d?", i)}
		before[k] = [2][]string{q, {answer(i, false)}}
		after[k] = [2][]string{q, {answer(i, true)}}
	}
	plan := domainPlan(before, after)
	if *benchPlanDir != "" {
		if err := os.WriteFile(filepath.Join(*benchPlanDir, name+".plan.json"), plan, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return plan
}

func benchRender(b *testing.B, plan []byte, edited int) {
	b.ReportAllocs()
	b.SetBytes(int64(len(plan)))
	for b.Loop() {
		_, sum, err := Render(plan, Options{Format: Markdown})
		if err != nil || sum.Edited != edited || !sum.Truncated {
			b.Fatalf("summary %+v, error %v", sum, err)
		}
	}
}

// 5,000 edited answers of about 480 words each (a 30 MB plan).
func BenchmarkRender_longEdits5000(b *testing.B) {
	benchRender(b, editPlan(b, "long-edits-5000", 5000, longAnswer), 5000)
}

// 100,000 edited one-line answers.
func BenchmarkRender_oneLineEdits100000(b *testing.B) {
	benchRender(b, editPlan(b, "one-line-edits-100000", 100000, func(i int, edited bool) string {
		if edited {
			return fmt.Sprintf("The edited answer to question %d.", i)
		}
		return fmt.Sprintf("The answer to question %d.", i)
	}), 100000)
}
