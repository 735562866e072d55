# Manage a hand-kept Haptik FAQ CSV with Terraform: each row becomes a node.
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = provider::haptik::faq_nodes(file("${path.module}/faq.csv"))
}

# Or start from the CSV and change a few nodes in HCL.
resource "haptik_faq_domain" "billing" {
  domain_name = "acme_billing"
  nodes = merge(provider::haptik::faq_nodes(file("${path.module}/billing.csv")), {
    refunds = {
      user_says = ["refund", "money back"]
      bot_says  = ["Refunds reach your account within 5 working days."]
    }
  })
}
