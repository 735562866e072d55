locals {
  faq = {
    reset_password = {
      user_says = ["How do I reset my password?", "forgot password"]
      bot_says  = ["Open Settings > Security and choose \"Reset password\"."]
    }
  }
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = local.faq
}

# Exactly the CSV that haptik_faq_domain.support uploads, e.g. to attach to a pull request.
output "faq_csv" {
  value = provider::haptik::faq_csv(local.faq)
}
