package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

func TestPlannedDomains(t *testing.T) {
	plan, err := os.ReadFile(filepath.Join("testdata", "changes.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := PlannedDomains(plan)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, strings.Join([]string{d.Address, d.Action, d.Domain, pick(d.Uploads, "uploads", "-"),
			count(len(d.Nodes))}, " "))
	}
	want := []string{
		"haptik_faq_domain.billing update acme_billing uploads 3",
		"haptik_faq_domain.careers create acme_careers uploads 1",
		"haptik_faq_domain.legacy replace acme_shop uploads 1",
		"haptik_faq_domain.old_promo delete acme_promo - 0",
		"haptik_faq_domain.support update acme_support uploads 6",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := ds[1].Nodes[0]; n.Name != "open_roles" || len(n.UserSays) != 2 || n.UserSays[0] != "Are you hiring?" || len(n.BotSays) != 1 {
		t.Fatalf("careers' node: %q", n)
	}

	// A no-op, an update that uploads nothing (last_task_id known), unknown and sensitive nodes.
	small := `{"format_version":"1.2","resource_changes":[
	  {"address":"haptik_faq_domain.a","mode":"managed","type":"haptik_faq_domain","change":{"actions":["no-op"],
	    "after":{"domain_name":"a","nodes":{"n":{"user_says":["q"],"bot_says":["x"]}},"last_task_id":"t"},"after_unknown":{}}},
	  {"address":"haptik_faq_domain.b","mode":"managed","type":"haptik_faq_domain","change":{"actions":["update"],
	    "after":{"domain_name":"b","nodes":{"n":{"user_says":["q"],"bot_says":[null]}},"last_task_id":"t"},
	    "after_unknown":{"nodes":{"n":{"bot_says":[true]}}}}},
	  {"address":"haptik_faq_domain.c","mode":"managed","type":"haptik_faq_domain","change":{"actions":["update"],
	    "after":{"domain_name":"c","nodes":{"n":{"user_says":["q"],"bot_says":["x"]}}},
	    "after_unknown":{"last_task_id":true},"after_sensitive":{"nodes":{"n":{"user_says":[true]}}}}},
	  {"address":"terraform_data.x","mode":"managed","type":"terraform_data","change":{"actions":["create"]}}]}`
	ds, err = PlannedDomains([]byte(small))
	if err != nil || len(ds) != 3 {
		t.Fatalf("%v %+v", err, ds)
	}
	if d := ds[0]; d.Action != "no-op" || d.Uploads || d.Unknown || d.Sensitive || !d.DomainKnown ||
		len(d.Nodes) != 1 || d.Nodes[0].Name != "n" || d.Nodes[0].BotSays[0] != "x" {
		t.Errorf("no-op: %+v", d)
	}
	if d := ds[1]; d.Uploads || !d.Unknown || d.Sensitive {
		t.Errorf("an update with unknown content and a known task: %+v", d)
	}
	if d := ds[2]; !d.Uploads || d.Unknown || !d.Sensitive {
		t.Errorf("an update with sensitive content that uploads: %+v", d)
	}
	if _, err := PlannedDomains([]byte(`{"resource_changes":[]}`)); err == nil {
		t.Error("JSON that is not a plan is accepted")
	}
}

func TestFormatter(t *testing.T) {
	x := NewFormatter(Markdown, GitHub)
	n := faqcsv.Node{Name: "refunds", UserSays: []string{"refund", "money back"}, BotSays: []string{"Within 5 days."}}
	m := faqcsv.Node{Name: "refunds", UserSays: []string{"refund"}, BotSays: []string{"Within 7 days."}}
	for got, want := range map[string]string{
		x.Node(n):            "- `refunds`\n  - Questions: “refund”, “money back”\n  - Answer: Within 5 days.\n",
		x.Questions(n):       "- `refunds`: “refund”, “money back”\n",
		x.Edit(n, m):         "- `refunds`\n  - Question removed, no longer answered: “money back”\n  - Answer 1: Within <del>5</del><ins>7</ins> days.\n",
		x.Hidden("a"):        "- `a`: _(sensitive value, not shown)_\n",
		x.Alert("NOTE", "x"): "> [!NOTE]\n> x\n\n",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	r := x.NewReport("see the log.")
	r.Text("top\n")
	items := make([]string, 12)
	for i := range items {
		items[i] = x.Questions(n)
	}
	r.Section(0, "Added", "added", items)
	out, cut := r.Layout(0)
	if cut || !strings.HasPrefix(out, "top\n#### Added\n\n<details><summary>Show the 12 added nodes</summary>\n\n- `refunds`") {
		t.Fatalf("%v\n%s", cut, out)
	}
	if out, cut := r.Layout(300); !cut || chars(out) > 300 || !strings.Contains(out, "more added nodes not listed here**: see the log.") {
		t.Fatalf("%v\n%s", cut, out)
	}
}
