# Warn when Haptik's dashboard holds content that the configuration does not, before an apply
# overwrites it. Export the domain's FAQ CSV from the dashboard into dashboard-export.csv (see the
# GitOps guide's "Dashboard drift"); every plan then compares it with the configured nodes.
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
  nodes       = provider::haptik::faq_nodes(file("${path.module}/faq.csv"))
}

locals {
  # A spreadsheet saves CRLF line ends, also inside multi-line answers; Haptik stores line feeds.
  exported = provider::haptik::faq_nodes(replace(file("${path.module}/dashboard-export.csv"), "\r\n", "\n"))

  # Both sides as the content rules compare them: user says as a set, ignoring letter case and
  # runs of whitespace; HSL answers by their JSON content, whatever its formatting or key order.
  compared = {
    for side, nodes in { configured = haptik_faq_domain.support.nodes, exported = local.exported } : side => {
      for name, node in nodes : name => {
        user_says = toset([for q in node.user_says : replace(lower(trimspace(q)), "/\\s+/", " ")])
        bot_says  = [for a in node.bot_says : startswith(trimspace(a), "{") ? try(jsonencode(jsondecode(a)), a) : a]
      }
    }
  }
  edited_outside = sort([
    for name, node in local.compared.exported : name
    if contains(keys(local.compared.configured), name) && node != lookup(local.compared.configured, name, node)
  ])
  added_outside       = sort(setsubtract(keys(local.compared.exported), keys(local.compared.configured)))
  deactivated_outside = sort(setsubtract(keys(local.compared.configured), keys(local.compared.exported)))
}

check "dashboard_drift" {
  assert {
    condition = length(concat(local.edited_outside, local.added_outside, local.deactivated_outside)) == 0
    error_message = join(" ", [
      "The dashboard export differs from the configured nodes, and the next apply that uploads overwrites it.",
      "Edited in the dashboard: [${join(", ", local.edited_outside)}].",
      "Added in the dashboard (the apply deactivates them): [${join(", ", local.added_outside)}].",
      "Deactivated in the dashboard (the apply brings them back): [${join(", ", local.deactivated_outside)}].",
      "Copy what should stay into faq.csv, or run haptik-faq drift for every change word by word.",
    ])
  }
}
