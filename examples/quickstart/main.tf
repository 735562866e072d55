# A small FAQ domain, applied by `make demo` against the local Haptik emulator.
# Credentials come from HAPTIK_BASE_URL, HAPTIK_CLIENT_ID and HAPTIK_TOKEN.
terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

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
    talk_to_agent = {
      user_says = ["I want a human", "talk to an agent"]
      bot_says = [
        "Sure, one moment.",
        jsonencode({
          type = "TEXT"
          text = "Or pick an option:"
          data = {
            quick_replies = [{
              actionable_text = "Talk to an Agent"
              is_default      = 0
              type            = "TEXT_ONLY"
              payload         = { message = "Talk to an Agent", gogo_message = "" }
            }]
          }
        }),
      ]
    }
  }
}

output "node_count" {
  value = haptik_faq_domain.support.node_count
}

output "content_sha256" {
  value = haptik_faq_domain.support.content_sha256
}
