package review

import (
	"fmt"
	"strings"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
)

// questionsBefore and questionsAfter: a domain change that moves questions. delivery_time is
// deactivated and its questions go to track_order; returns is added and takes a refund question;
// cancel_order loses a user says; and track_order gains one that competes with returns.
var questionsBefore = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "shop" {
  domain_name = "acme_shop"
  nodes = {
    refund_status = {
      user_says = ["when will I get my refund", "refund status", "return an item and get a refund"]
      bot_says  = ["Refunds reach your account within 5 working days."]
    }
    cancel_order = {
      user_says = ["cancel my order", "stop my order before it ships"]
      bot_says  = ["Cancel from My Orders."]
    }
    track_order = {
      user_says = ["where is my order", "track my order"]
      bot_says  = ["Track it from My Orders."]
    }
    delivery_time = {
      user_says = ["when will my order be delivered", "how long does delivery take"]
      bot_says  = ["Delivery takes 3 to 5 days."]
    }
  }
}
`

var questionsAfter = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "shop" {
  domain_name = "acme_shop"
  nodes = {
    refund_status = {
      user_says = ["when will I get my refund", "refund status", "return an item and get a refund"]
      bot_says  = ["Refunds reach your account within 5 working days."]
    }
    cancel_order = {
      user_says = ["cancel my order"]
      bot_says  = ["Cancel from My Orders."]
    }
    track_order = {
      user_says = ["where is my order", "track my order", "when will my order be delivered?"]
      bot_says  = ["Track it from My Orders; it shows the delivery date."]
    }
    returns = {
      user_says = ["how do I return an item", "return an item and get a refund please"]
      bot_says  = ["Start a return from My Orders."]
    }
  }
}
`

// questionsTestSet is a test set's questions, as haptik-faq review -questions reads them.
var questionsTestSet = []string{"how long does delivery take", "I want to return an item", "stop my order before it ships", "refund status"}

// The questions section on a plan from the real CLI, with and without a test set.
func TestGoldenQuestions(t *testing.T) {
	plan := readPlan(t, "questions")
	for _, c := range []struct {
		file string
		opts Options
	}{
		{"questions-tests.md", Options{Format: Markdown, Questions: questionsTestSet}},
		{"questions-tests.txt", Options{Format: Text, Questions: questionsTestSet}},
	} {
		out, _, err := Render(plan, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.file, out)
		if !strings.Contains(out, "Questions that now reach a different answer") {
			t.Errorf("%s: no questions section", c.file)
		}
		// Deactivations stay first.
		d := strings.Index(out, "⛔ Deactivated")
		if c.opts.Format == Text {
			d = strings.Index(out, "DEACTIVATED")
		}
		if q := strings.Index(out, "Questions that now reach"); d < 0 || d > q {
			t.Errorf("%s: the deactivated section is not before the questions section", c.file)
		}
	}
}

// The section reads competing_questions as the resource does, whose default it repeats.
func TestCompetingSettingDefaults(t *testing.T) {
	if th, on := competingSetting(side{}); th != faqdomain.DefaultCompetingThreshold || !on {
		t.Errorf("defaults: %v %v, want %v true", th, on, faqdomain.DefaultCompetingThreshold)
	}
	s := side{attrs: map[string]any{"competing_questions": map[string]any{"check": "off"}}}
	if _, on := competingSetting(s); on {
		t.Error(`check = "off" leaves the section's competing pairs on`)
	}
	s = side{attrs: map[string]any{"competing_questions": map[string]any{"check": "error", "threshold": 0.9}}}
	if th, on := competingSetting(s); th != 0.9 || !on {
		t.Errorf("threshold 0.9: %v %v", th, on)
	}
}

// The review compares user says as the content rules do: full case folding, invisible
// characters ignored (strings.ToLower kept "STRASSE" and "straße" apart).
func TestQuestionKeyIsTheRulesKey(t *testing.T) {
	for _, c := range [][2]string{{"STRASSE", "straße"}, {"re\u200bset  Password", "reset password"}} {
		if questionKey(c[0]) != questionKey(c[1]) {
			t.Errorf("questionKey(%q) != questionKey(%q)", c[0], c[1])
		}
	}
}
