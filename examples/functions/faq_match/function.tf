# Which node a customer's question most likely reaches, offline (an approximation of Haptik's
# language model, not a promise).
locals {
  nodes = {
    reset_password = {
      user_says = ["How do I reset my password?", "I forgot my password"]
      bot_says  = ["Use the link on the sign-in page."]
    }
    store_hours = {
      user_says = ["What are your opening hours?", "when is the store open"]
      bot_says  = ["We are open 9 to 9 every day."]
    }
  }
}

output "forgot_password" {
  # { node = "reset_password", score = 0.7184, runner_up = null, runner_up_score = 0 }
  value = provider::haptik::faq_match(local.nodes, "I forgot my pasword")
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = local.nodes
}
