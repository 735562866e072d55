package review

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The big plan (10,000 nodes; 3,000 deactivated, 2,000 edited, 1,000 added) fits one GitHub
// comment with every count exact.
func TestBigPlanFitsOneComment(t *testing.T) {
	md, sum, err := Render(readPlan(t, "big"), Options{Format: Markdown})
	if err != nil {
		t.Fatal(err)
	}
	if chars(md) > DefaultLimit {
		t.Fatalf("the comment is %d characters", chars(md))
	}
	if sum != (Summary{Domains: 1, Added: 1000, Edited: 2000, Deactivated: 3000, MayDeactivate: true, Truncated: true}) {
		t.Errorf("summary %+v", sum)
	}
	for _, want := range []string{"**3,000 nodes will be deactivated**", "**1,000 added, 2,000 edited, 3,000 deactivated**",
		"#### ⛔ Deactivated: 3,000 nodes."} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	listed := strings.Count(md, "”, “question ") // one per deactivated node listed
	m := regexp.MustCompile(`… and ([0-9,]+) more deactivated nodes not listed here`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("no count of the deactivated nodes not listed")
	}
	missing, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	if listed == 0 || listed+missing != 3000 {
		t.Errorf("%d deactivated nodes listed and %d said to be missing; want 3,000 in all", listed, missing)
	}
}

// GitHub's limit counts characters: a summary of Hindi content (three bytes a character) lists
// about as many nodes as one of English content of the same length in characters, and stays
// within 65,536 characters while being far over 65,536 bytes.
func TestHindiFitsByCharacters(t *testing.T) {
	render := func(question, answer string) (md string, listed int) {
		before := map[string][2][]string{}
		for i := range 3000 {
			before[fmt.Sprintf("gone_%05d", i)] = [2][]string{{fmt.Sprintf("%s %d", question, i)}, {answer}}
		}
		md, sum, err := Render(domainPlan(before, map[string][2][]string{"kept": {{"q"}, {"a"}}}), Options{Format: Markdown})
		if err != nil || !sum.Truncated || sum.Deactivated != 3000 {
			t.Fatalf("summary %+v, error %v", sum, err)
		}
		return md, strings.Count(md, question)
	}
	hindi, hindiListed := render("मैं अपना पासवर्ड कैसे बदलूँ", "सेटिंग्स खोलें")
	_, englishListed := render("how do I change my password", "Open Settings.")
	if utf8.RuneCountInString("मैं अपना पासवर्ड कैसे बदलूँ") != utf8.RuneCountInString("how do I change my password") {
		t.Fatal("the two questions must be as long in characters")
	}
	if n := chars(hindi); n > DefaultLimit || n < DefaultLimit-2000 {
		t.Errorf("the Hindi summary is %d characters; want the budget used, up to %d", n, DefaultLimit)
	}
	if len(hindi) < 100000 {
		t.Errorf("the Hindi summary is only %d bytes: it is cut by bytes, not characters", len(hindi))
	}
	if hindiListed < englishListed*9/10 {
		t.Errorf("the Hindi summary lists %d nodes, the English one %d", hindiListed, englishListed)
	}
}

// domainPlan is a plan JSON of one haptik_faq_domain update from before to after nodes, in the
// shape Terraform writes it.
func domainPlan(before, after map[string][2][]string) []byte {
	conv := func(ns map[string][2][]string) map[string]any {
		m := map[string]any{}
		for k, v := range ns {
			m[k] = map[string]any{"user_says": v[0], "bot_says": v[1]}
		}
		return m
	}
	p := map[string]any{"format_version": "1.2", "resource_changes": []any{map[string]any{
		"address": "haptik_faq_domain.d", "mode": "managed", "type": ResourceType,
		"change": map[string]any{"actions": []string{"update"},
			"before":        map[string]any{"domain_name": "d", "confirmed": true, "nodes": conv(before)},
			"after":         map[string]any{"domain_name": "d", "nodes": conv(after)},
			"after_unknown": map[string]any{"confirmed": true}},
	}}}
	b, _ := json.Marshal(p)
	return b
}

// Whatever the limit and however long the other sections, the count of deactivated nodes is
// exact, and every deactivated node is either listed or counted as not listed.
func TestTruncationNeverHidesDeactivations(t *testing.T) {
	long := strings.Repeat("a very long answer ", 12)
	for _, tc := range []struct{ removed, edited, added, limit int }{
		{5, 0, 0, 1000}, {500, 0, 0, 2000}, {2500, 1000, 1000, 20000}, {1, 2000, 2000, 1000}, {4000, 10, 10, DefaultLimit},
	} {
		before, after := map[string][2][]string{}, map[string][2][]string{}
		for i := range tc.removed {
			before[fmt.Sprintf("gone_%05d", i)] = [2][]string{{fmt.Sprintf("removed question %d", i)}, {long}}
		}
		for i := range tc.edited {
			n := fmt.Sprintf("edited_%05d", i)
			before[n] = [2][]string{{"edited " + n}, {long + "one"}}
			after[n] = [2][]string{{"edited " + n}, {long + "two"}}
		}
		for i := range tc.added {
			after[fmt.Sprintf("new_%05d", i)] = [2][]string{{fmt.Sprintf("new question %d", i)}, {long}}
		}
		for _, format := range []Format{Markdown, Text} {
			out, sum, err := Render(domainPlan(before, after), Options{Format: format, Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if chars(out) > tc.limit {
				t.Errorf("%+v: %d characters, over the limit", tc, chars(out))
			}
			if sum.Deactivated != tc.removed {
				t.Errorf("%+v: %d deactivated", tc, sum.Deactivated)
			}
			if !strings.Contains(out, nodes(tc.removed)+" will be deactivated") {
				t.Errorf("%+v: the total of deactivated nodes is not shown:\n%.500s", tc, out)
			}
			// Counted in the sections before the matcher's, which may quote the same questions.
			listed := strings.Count(strings.Split(out, "Questions that now reach a different answer")[0], "removed question ")
			missing := 0
			if m := regexp.MustCompile(`and ([0-9,]+) more deactivated nodes? not listed`).FindStringSubmatch(out); m != nil {
				missing, _ = strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
			}
			if listed+missing != tc.removed {
				t.Errorf("%+v format %d: %d listed + %d said missing != %d deactivated", tc, format, listed, missing, tc.removed)
			}
		}
	}
}

// randomPlan builds a plan JSON of the shapes Terraform writes for this provider's resources:
// every action, null or absent before and after, unknown and sensitive marks anywhere (whole
// values, maps, lists or elements), other resource types and modes, odd values.
func randomPlan(r *rand.Rand) []byte {
	strs := []string{"", "How?", "a|b", "@team #12 <b>x</b> `code` *x*", "line\nbreak", `{"type":"TEXT","text":"hi","data":{"quick_replies":[{"actionable_text":"Go"}]}}`,
		`{"type":"CAROUSEL","data":{"items":[{"title":"T"},5]}}`, `{"type":"BUTTON","data":{"items":"x"}}`, `{broken`, `{"type":7}`, strings.Repeat("long ", 200)}
	var val func(depth int) any
	val = func(depth int) any {
		switch r.Intn(8) {
		case 0:
			return nil
		case 1:
			return r.Intn(2) == 0
		case 2:
			return json.Number(fmt.Sprint(r.Intn(100)))
		case 3:
			if depth > 0 {
				l := []any{}
				for range r.Intn(4) {
					l = append(l, val(depth-1))
				}
				return l
			}
		case 4:
			if depth > 0 {
				m := map[string]any{}
				for range r.Intn(4) {
					m[strs[r.Intn(len(strs))]] = val(depth - 1)
				}
				return m
			}
		}
		return strs[r.Intn(len(strs))]
	}
	strList := func() any {
		if r.Intn(10) == 0 {
			return val(2)
		}
		l := []any{}
		for range r.Intn(4) {
			l = append(l, strs[r.Intn(len(strs))])
		}
		return l
	}
	names := []string{"a", "b", "c", "d", "e", "with space", "`tick`"}
	domainObj := func() any {
		if r.Intn(6) == 0 {
			return nil
		}
		nodes := map[string]any{}
		for _, n := range names {
			if r.Intn(2) == 0 {
				nodes[n] = map[string]any{"user_says": strList(), "bot_says": strList()}
			}
		}
		obj := map[string]any{"domain_name": []any{"d", "e", nil}[r.Intn(3)], "nodes": nodes,
			"confirmed": []any{true, false, nil}[r.Intn(3)], "deletion_policy": []any{"deactivate", "retain", nil}[r.Intn(3)],
			"resync_trigger": val(0), "timeouts": val(1)}
		if r.Intn(8) == 0 {
			obj["nodes"] = val(2)
		}
		return obj
	}
	var marks func(v any) any
	marks = func(v any) any {
		if r.Intn(6) == 0 {
			return true
		}
		switch x := v.(type) {
		case map[string]any:
			m := map[string]any{}
			for k, e := range x {
				if r.Intn(3) > 0 {
					m[k] = marks(e)
				}
			}
			return m
		case []any:
			l := []any{}
			for _, e := range x {
				l = append(l, marks(e))
			}
			return l
		}
		return false
	}
	actions := [][]string{{"create"}, {"update"}, {"delete"}, {"delete", "create"}, {"create", "delete"}, {"no-op"}, {"read"}, {"forget"}, {}, {"bogus"}}
	var rcs []any
	for range r.Intn(5) {
		typ := []string{ResourceType, ResourceType, "terraform_data", "aws_s3_bucket"}[r.Intn(4)]
		before, after := domainObj(), domainObj()
		change := map[string]any{"actions": actions[r.Intn(len(actions))], "before": before, "after": after,
			"after_unknown": marks(after), "before_sensitive": marks(before), "after_sensitive": marks(after)}
		if r.Intn(10) == 0 {
			change["after_unknown"] = val(2)
		}
		rcs = append(rcs, map[string]any{"address": fmt.Sprintf("%s.r%d", typ, len(rcs)), "type": typ,
			"mode": []string{"managed", "managed", "data", ""}[r.Intn(4)], "change": change})
	}
	b, err := json.Marshal(map[string]any{"format_version": "1.2", "errored": r.Intn(5) == 0, "resource_changes": rcs})
	if err != nil {
		panic(err)
	}
	return b
}

// Render never fails or panics on a plan JSON of any shape this provider's plans take, never
// shows a sensitive value, and stays within its limit.
func TestRenderAnyPlan(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := range 3000 {
		plan := randomPlan(r)
		for _, o := range []Options{{Format: Markdown}, {Format: Text}, {Format: Markdown, Limit: 1000}} {
			out, _, err := Render(plan, o)
			if err != nil {
				t.Fatalf("plan %d: %v\n%s", i, err, plan)
			}
			if o.Limit > 0 && chars(out) > o.Limit {
				t.Fatalf("plan %d: %d characters over the limit %d", i, chars(out), o.Limit)
			}
		}
	}
}

func FuzzRender(f *testing.F) {
	r := rand.New(rand.NewSource(2))
	for range 20 {
		f.Add(randomPlan(r))
	}
	f.Add(readPlan(f, "changes"))
	f.Fuzz(func(t *testing.T, plan []byte) {
		for _, o := range []Options{{Format: Markdown, Limit: 1000}, {Format: Text}} {
			out, _, err := Render(plan, o)
			if err == nil && o.Limit > 0 && chars(out) > o.Limit {
				t.Fatalf("%d characters over the limit", chars(out))
			}
		}
	})
}

// A sensitive value is never shown, whether it changes or not, in a plan from the real CLI.
func TestSensitiveNeverShown(t *testing.T) {
	plan := readPlan(t, "changes")
	if !strings.Contains(string(plan), "+1 555 0199") {
		t.Fatal("the testdata plan no longer has the sensitive phone number")
	}
	for _, format := range []Format{Markdown, Text} {
		out, _, err := Render(plan, Options{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "555") {
			t.Errorf("a sensitive value is shown:\n%s", out)
		}
	}
}

func TestNotAPlan(t *testing.T) {
	for _, in := range []string{"", "  ", "{", "[]", `{"resource_changes":[]}`, `{"format_version":"2.0"}`, `{"@level":"info"}`} {
		if _, _, err := Render([]byte(in), Options{}); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// The layout makes an item only when it may show it: of 10,000 long items, a budget for about
// 20 makes about 20 (the costly part of a long edit is its word diff).
func TestLayoutMakesItemsLazily(t *testing.T) {
	made := 0
	b := &block{prio: 2, fixed: "#### Edited\n\n", n: 10000, item: func(i int) string {
		made++
		return fmt.Sprintf("- item %05d %s\n", i, strings.Repeat("x", 980))
	}, more: func(m int) string { return fmt.Sprintf("- and %d more\n", m) }}
	d := document{{fixed: "top\n"}, b, {prio: 3, fixed: "#### Added\n\n", n: 1, item: func(int) string { return "- new\n" }}}
	out, truncated := d.layout(20000)
	if !truncated || chars(out) > 20000 {
		t.Fatalf("truncated %v, %d characters", truncated, chars(out))
	}
	if b.shown < 15 || made > b.shown+2 {
		t.Errorf("%d items shown, %d made", b.shown, made)
	}
}
