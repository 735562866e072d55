package review

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The configurations the testdata plans come from. Each scenario applies its "before" and plans
// its "after"; see TestPlansFromTerraform.

const tfHeader = `terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

variable "vip_phone" {
  type      = string
  sensitive = true
  default   = %q
}
`

func quickReplies(text string, labels ...string) string {
	var qrs []string
	for _, l := range labels {
		qrs = append(qrs, fmt.Sprintf(`{ actionable_text = %q, is_default = 0, type = "TEXT_ONLY", payload = { message = %q, gogo_message = "" } }`, l, l))
	}
	return fmt.Sprintf(`jsonencode({ type = "TEXT", text = %q, data = { quick_replies = [%s] } })`, text, strings.Join(qrs, ", "))
}

func buttons(text string, labels ...string) string {
	var items []string
	for _, l := range labels {
		items = append(items, fmt.Sprintf(`{ actionable_text = %q, type = "TEXT_ONLY", payload = { message = %q } }`, l, l))
	}
	return fmt.Sprintf(`jsonencode({ type = "BUTTON", text = %q, data = { items = [%s] } })`, text, strings.Join(items, ", "))
}

func carousel(titles ...string) string {
	var items []string
	for _, t := range titles {
		items = append(items, fmt.Sprintf(`{ title = %q, sub_title = "per month", thumbnail = { image = "https://example.com/%s.png" }, actionables = [{ actionable_text = "Choose %s", type = "TEXT_ONLY", payload = { message = "Choose %s" } }] }`, t, strings.ToLower(t), t, t))
	}
	return fmt.Sprintf(`jsonencode({ type = "CAROUSEL", data = { width = "MEDIUM", items = [%s] } })`, strings.Join(items, ", "))
}

// changesBefore and changesAfter: one plan with every kind of change across several domains, a
// resource of another type, a sensitive answer and an answer unknown until apply.
var changesBefore = fmt.Sprintf(tfHeader, "+1 555 0100") + `
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    reset_password = {
      user_says = ["How do I reset my password?", "forgot password"]
      bot_says  = ["Open Settings > Security and choose \"Reset password\"."]
    }
    opening_hours = {
      user_says = ["When are you open?", "opening hours"]
      bot_says  = ["We answer every day, 9:00 to 18:00 CET."]
    }
    invoices = {
      user_says = ["Where are my invoices?", "download invoice"]
      bot_says  = ["Invoices are under Settings > Billing > Invoices."]
    }
    talk_to_agent = {
      user_says = ["I want a human", "talk to an agent", "speak to someone"]
      bot_says  = ["Sure, one moment."]
    }
    vip_line = {
      user_says = ["VIP phone number"]
      bot_says  = [var.vip_phone]
    }
  }
}

resource "haptik_faq_domain" "billing" {
  domain_name = "acme_billing"
  nodes = {
    refunds = {
      user_says = ["How do I get a refund?", "money back"]
      bot_says  = ["Refunds reach your account within 5 working days.", ` + quickReplies("Anything else about billing?", "Talk to an Agent") + `]
    }
    plans = {
      user_says = ["Which plans do you have?"]
      bot_says  = [` + carousel("Basic", "Pro") + `]
    }
    contact = {
      user_says = ["How can I contact you?"]
      bot_says  = [` + buttons("Pick a channel:", "Email", "Phone") + `]
    }
  }
}

resource "haptik_faq_domain" "legacy" {
  domain_name = "acme_legacy"
  nodes = {
    shipping = {
      user_says = ["When does my order ship?"]
      bot_says  = ["Orders ship within 2 days."]
    }
  }
}

resource "haptik_faq_domain" "old_promo" {
  domain_name = "acme_promo"
  nodes = {
    summer_sale = {
      user_says = ["Is there a summer sale?", "summer discount"]
      bot_says  = ["Yes: 20% off until August 31."]
    }
  }
}

resource "terraform_data" "note" {
  input = "first"
}
`

var changesAfter = fmt.Sprintf(tfHeader, "+1 555 0199") + `
resource "terraform_data" "release" {
  input = "v2"
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    reset_password = {
      user_says = ["How do I reset my password?", "forgot password", "I can't log in"]
      bot_says  = ["Open Settings > Security and choose \"Reset password\"."]
    }
    opening_hours = {
      user_says = ["When are you open?", "opening hours"]
      bot_says  = ["We answer on weekdays, 8:00 to 20:00 CET."]
    }
    human_handoff = {
      user_says = ["I want a human", "talk to an agent", "speak to someone", "real person please"]
      bot_says  = ["Sure, one moment."]
    }
    vip_line = {
      user_says = ["VIP phone number"]
      bot_says  = [var.vip_phone]
    }
    whats_new = {
      user_says = ["What is new?", "release notes"]
      bot_says  = ["See what changed in the latest release:", terraform_data.release.output]
    }
    delete_account = {
      user_says = ["How do I delete my account?", "close account"]
      bot_says  = ["Open Settings > Account and choose \"Delete account\".", ` + quickReplies("Need help first?", "Talk to an Agent", "Export my data") + `]
    }
  }
}

resource "haptik_faq_domain" "billing" {
  domain_name = "acme_billing"
  nodes = {
    refunds = {
      user_says = ["How do I get a refund?", "money back"]
      bot_says  = ["Refunds reach your account within 7 working days.", ` + quickReplies("Anything else about billing?", "Chat with us", "See my invoices") + `]
    }
    plans = {
      user_says = ["Which plans do you have?"]
      bot_says  = [` + carousel("Basic", "Pro", "Enterprise") + `]
    }
    contact = {
      user_says = ["How can I contact you?"]
      bot_says  = [` + buttons("Choose how to reach us:", "Email", "Phone") + `]
    }
  }
}

resource "haptik_faq_domain" "legacy" {
  domain_name = "acme_shop"
  nodes = {
    shipping = {
      user_says = ["When does my order ship?"]
      bot_says  = ["Orders ship within 1 day."]
    }
  }
}

resource "haptik_faq_domain" "careers" {
  domain_name = "acme_careers"
  nodes = {
    open_roles = {
      user_says = ["Are you hiring?", "open positions"]
      bot_says  = ["See our open roles at https://example.com/careers."]
    }
  }
}

resource "terraform_data" "note" {
  input = "second"
}
`

// unconfirmedBefore is applied; the upload of unconfirmedAfter then fails half-way, leaving the
// state unconfirmed, and unconfirmedAfter is planned again.
var unconfirmedBefore = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    reset_password = {
      user_says = ["How do I reset my password?"]
      bot_says  = ["Open Settings > Security."]
    }
    opening_hours = {
      user_says = ["When are you open?"]
      bot_says  = ["Every day, 9:00 to 18:00."]
    }
  }
}
`

var unconfirmedAfter = strings.Replace(unconfirmedBefore, "Every day, 9:00 to 18:00.", "Weekdays, 8:00 to 20:00.", 1)

// bigConfig configures a domain of the nodes node_<from> to node_<to-1> from nodes.json (written
// by bigNodes); jsondecode of a file is what Terraform evaluates fastest.
const bigConfig = `terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

resource "haptik_faq_domain" "big" {
  domain_name = "acme_big"
  nodes       = jsondecode(file("${path.module}/nodes.json"))
}
`

// bigNodes returns the nodes.json of node_<from> to node_<to-1>; those from editFrom on (and below
// editTo) have an edited answer.
func bigNodes(from, to, editFrom, editTo int) []byte {
	type node struct {
		UserSays []string `json:"user_says"`
		BotSays  []string `json:"bot_says"`
	}
	nodes := map[string]node{}
	for i := from; i < to; i++ {
		answer := fmt.Sprintf("The answer to question %d.", i)
		if i >= editFrom && i < editTo {
			answer = fmt.Sprintf("The edited answer to question %d.", i)
		}
		nodes[fmt.Sprintf("node_%05d", i)] = node{
			UserSays: []string{fmt.Sprintf("Question number %d?", i), fmt.Sprintf("question %d again", i)},
			BotSays:  []string{answer},
		}
	}
	b, err := json.Marshal(nodes)
	if err != nil {
		panic(err)
	}
	return b
}

// The big scenario: 10,000 nodes, of which the plan deactivates 3,000, edits 2,000 and adds 1,000.
var (
	bigBefore = bigNodes(0, 10000, -1, -1)
	bigAfter  = bigNodes(3000, 11000, 3000, 5000)
)

// The adopt scenario: domains that hold content Haptik cannot list. acme_live and acme_other are
// filled by an earlier configuration that Terraform then forgets (terraform state rm), as if
// someone had built them in Haptik's dashboard; acme_archive is imported with terraform import
// and never applied. The plan imports acme_live with an import block, creates a resource over
// acme_other (with a node whose name breaks the snake_case convention, for the example policy),
// and destroys the imported acme_archive.
var adoptLive = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "live" {
  domain_name = "acme_live"
  nodes = {
    greeting = {
      user_says = ["Hello", "hi there"]
      bot_says  = ["Hello! How can I help?"]
    }
    store_hours = {
      user_says = ["When does the store open?"]
      bot_says  = ["Our stores open at 9:00."]
    }
    returns = {
      user_says = ["How do I return an item?"]
      bot_says  = ["Bring it to any store within 30 days."]
    }
  }
}

resource "haptik_faq_domain" "other" {
  domain_name = "acme_other"
  nodes = {
    warranty = {
      user_says = ["Is there a warranty?"]
      bot_says  = ["Two years on every product."]
    }
    gift_cards = {
      user_says = ["Do you sell gift cards?"]
      bot_says  = ["Yes, in every store."]
    }
  }
}

resource "haptik_faq_domain" "archive" {
  domain_name = "acme_archive"
  nodes = {
    old_faq = {
      user_says = ["An old question"]
      bot_says  = ["An old answer."]
    }
  }
}
`

// adoptArchive is the configuration terraform import runs with: acme_archive only.
var adoptArchive = fmt.Sprintf(tfHeader, "") + `
resource "haptik_faq_domain" "archive" {
  domain_name = "acme_archive"
  nodes = {
    old_faq = {
      user_says = ["An old question"]
      bot_says  = ["An old answer."]
    }
  }
}
`

var adoptPlan = fmt.Sprintf(tfHeader, "") + `
import {
  to = haptik_faq_domain.live
  id = "acme_live"
}

resource "haptik_faq_domain" "live" {
  domain_name = "acme_live"
  nodes = {
    greeting = {
      user_says = ["Hello", "hi there"]
      bot_says  = ["Hello! How can I help you today?"]
    }
  }
}

resource "haptik_faq_domain" "other" {
  domain_name = "acme_other"
  nodes = {
    warranty = {
      user_says = ["Is there a warranty?"]
      bot_says  = ["Two years on every product."]
    }
    "Gift Cards FAQ" = {
      user_says = ["Can I buy a gift card online?"]
      bot_says  = ["Yes, on our website."]
    }
  }
}
`
