package review

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const schemaPath = "../../examples/policy/haptik-faq-review.schema.json"

func summarySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("the committed schema does not compile: %v", err)
	}
	return s
}

func validate(s *jsonschema.Schema, out string) error {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// The JSON summary of every plan the real CLI produced, and of random plans of every shape, is
// valid under the committed schema, which documents every field (additionalProperties is false
// throughout): a field added to the output without the schema fails here.
func TestJSONSummaryMatchesSchema(t *testing.T) {
	s := summarySchema(t)
	for _, sc := range planScenarios {
		out, _, err := Render(readPlan(t, sc.name), Options{Format: JSON})
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(s, out); err != nil {
			t.Errorf("%s: %v", sc.name, err)
		}
		if sc.name != "big" {
			golden(t, sc.name+".json", out)
		}
	}
	r := rand.New(rand.NewSource(3))
	for i := range 500 {
		out, _, err := Render(randomPlan(r), Options{Format: JSON})
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(s, out); err != nil {
			t.Fatalf("random plan %d: %v\n%s", i, err, out)
		}
	}
}

// The schema is strict: an undocumented field anywhere, or a missing one, fails validation.
func TestJSONSchemaRefusesUndocumentedFields(t *testing.T) {
	s := summarySchema(t)
	out, _, err := Render(readPlan(t, "changes"), Options{Format: JSON})
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range []func(m map[string]any){
		func(m map[string]any) { m["surprise"] = 1 },
		func(m map[string]any) { m["totals"].(map[string]any)["moved"] = 1 },
		func(m map[string]any) { m["domains"].([]any)[0].(map[string]any)["labels"] = []any{} },
		func(m map[string]any) {
			m["domains"].([]any)[0].(map[string]any)["counts"].(map[string]any)["moved"] = 0
		},
		func(m map[string]any) { delete(m["domains"].([]any)[1].(map[string]any), "may_deactivate_unlisted") },
		func(m map[string]any) { m["schema_version"] = 2 },
	} {
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(m); err != nil {
			t.Fatal(err)
		}
		if validate(s, b.String()) == nil {
			t.Errorf("the schema accepts an edited summary:\n%.400s", b.String())
		}
	}
}

// The JSON summary's counts and names agree with each other and with the Markdown's counts.
func TestJSONSummaryAgrees(t *testing.T) {
	for _, sc := range planScenarios {
		plan := readPlan(t, sc.name)
		out, sum, err := Render(plan, Options{Format: JSON})
		if err != nil {
			t.Fatal(err)
		}
		_, mdSum, _ := Render(plan, Options{Format: Markdown})
		var got jsonSummary
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		mdSum.Truncated = false
		if sum != mdSum {
			t.Errorf("%s: JSON summary %+v, Markdown %+v", sc.name, sum, mdSum)
		}
		added, edited, deactivated, renamed := 0, 0, 0, 0
		for _, d := range got.Domains {
			if !d.NodesSensitive && (len(d.Added) != d.Counts.Added || len(d.Edited) != d.Counts.Edited || len(d.Deactivated) != d.Counts.Deactivated) {
				t.Errorf("%s %s: names %d/%d/%d, counts %+v", sc.name, d.Address, len(d.Added), len(d.Edited), len(d.Deactivated), d.Counts)
			}
			added, edited, deactivated = added+d.Counts.Added, edited+d.Counts.Edited, deactivated+d.Counts.Deactivated
			renamed += d.Counts.Renamed
			if len(d.Renamed) != d.Counts.Renamed {
				t.Errorf("%s %s: %d renames listed, %d counted", sc.name, d.Address, len(d.Renamed), d.Counts.Renamed)
			}
			for _, r := range d.Renamed {
				if !slices.Contains(d.Deactivated, r.From) || !slices.Contains(d.Added, r.To) || !slices.Contains(d.LikelyRenames, r) {
					t.Errorf("%s %s: rename %+v is not in deactivated, added and likely_renames", sc.name, d.Address, r)
				}
			}
		}
		if added != got.Totals.Added || edited != got.Totals.Edited || deactivated != got.Totals.Deactivated || renamed != got.Totals.Renamed {
			t.Errorf("%s: totals %+v, sums %d/%d/%d", sc.name, got.Totals, added, edited, deactivated)
		}
	}
}
