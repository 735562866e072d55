resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    talk_to_agent = {
      user_says = ["I want a human", "talk to an agent"]
      bot_says = [
        "Sure, one moment.",
        provider::haptik::hsl_text("Or choose one of these:", ["Talk to an Agent", "Back to menu"]),
      ]
    }
  }
}
