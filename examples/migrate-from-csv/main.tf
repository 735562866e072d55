# Migrating from hand-uploaded CSVs: keep faq.csv as it is and let Terraform upload it.
# Credentials come from HAPTIK_BASE_URL, HAPTIK_CLIENT_ID and HAPTIK_TOKEN.
terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

provider "haptik" {}

# Adopt the domain that the CSV was uploaded to; the first apply re-uploads the same content.
import {
  to = haptik_faq_domain.support
  id = "acme_support"
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = provider::haptik::faq_nodes(file("${path.module}/faq.csv"))
}

output "node_count" {
  value = haptik_faq_domain.support.node_count
}
