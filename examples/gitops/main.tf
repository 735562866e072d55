# FAQ content with GitOps: one YAML file per topic under faq/, merged into one domain.
# Credentials come from HAPTIK_BASE_URL, HAPTIK_CLIENT_ID and HAPTIK_TOKEN (pipeline secrets).
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
  # Every faq/*.yaml file maps node names to their user says and bot says. A node name used in
  # two files is a mistake that merge() would hide, so it is checked below.
  topics = {
    for f in fileset(path.module, "faq/*.yaml") : trimsuffix(basename(f), ".yaml") => yamldecode(file("${path.module}/${f}"))
  }
  nodes      = merge(values(local.topics)...)
  node_names = flatten([for t in values(local.topics) : keys(t)])
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = local.nodes

  lifecycle {
    precondition {
      condition     = length(local.node_names) == length(distinct(local.node_names))
      error_message = "A node name appears in more than one faq/*.yaml file."
    }
  }
}

output "node_count" {
  value = haptik_faq_domain.support.node_count
}

# The exact CSV each apply uploads, for the pull request's review.
output "faq_csv" {
  value = provider::haptik::faq_csv(local.nodes)
}
