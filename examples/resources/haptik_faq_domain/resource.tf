resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"

  nodes = {
    reset_password = {
      user_says = ["How do I reset my password?", "forgot password"]
      bot_says  = ["Open Settings > Security and choose \"Reset password\"."]
    }
    talk_to_agent = {
      user_says = ["I want a human", "talk to an agent"]
      bot_says = [
        "Sure, one moment.",
        # Rich answers are HSL JSON objects, written with jsonencode.
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

  # "deactivate" (the default) turns every node of the domain off on destroy;
  # "retain" leaves Haptik untouched and only forgets the domain.
  deletion_policy = "deactivate"

  timeouts = {
    create = "20m"
    update = "20m"
  }
}

# Content kept in files works the same way, e.g. one YAML file per topic:
resource "haptik_faq_domain" "billing" {
  domain_name = "acme_billing"
  nodes = merge([
    for f in fileset(path.module, "faq/*.yaml") : yamldecode(file("${path.module}/${f}"))
  ]...)
}
