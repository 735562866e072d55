# A domain with a test set: tests/answers.tftest.hcl checks, at plan time and with no credentials,
# that every question in questions.csv reaches the node it should (terraform test).
terraform {
  required_version = ">= 1.8"
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

locals {
  nodes = provider::haptik::faq_nodes(file("${path.module}/faq.csv"))
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = local.nodes
}
