# FAQ content with GitOps: one YAML file per topic under faq/, merged into one domain.
# Credentials come from HAPTIK_BASE_URL, HAPTIK_CLIENT_ID and HAPTIK_TOKEN, given only to the job
# that applies. The state lives in PostgreSQL (Terraform's pg backend): the connection string comes
# from PG_CONN_STR, a read-only role's for pull-request plans, the owner's for applies.
terraform {
  required_version = ">= 1.8"
  required_providers {
    haptik = {
      source = "faqops/haptik"
      # The lock file (.terraform.lock.hcl, committed) records the exact version; the workflow
      # installs haptik-faq of that same version.
      version = "~> 0.1"
    }
  }
  backend "pg" {}
}

provider "haptik" {}

locals {
  # Every faq/*.yaml file maps node names to their user says and bot says.
  topics = {
    for f in fileset(path.module, "faq/*.yaml") : f => yamldecode(file("${path.module}/${f}"))
  }
  nodes = merge(values(local.topics)...)
  # merge() keeps the last of two nodes with one name, so the files that define each name are
  # collected, and a name in two files fails the plan naming it and both files.
  node_files = {
    for n in flatten([for f, t in local.topics : [for name in keys(t) : { name = name, file = f }]]) : n.name => n.file...
  }
  duplicates = [for name, files in local.node_files : "${name} (in ${join(" and ", files)})" if length(files) > 1]
}

resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes       = local.nodes
  # A pull request that would deactivate more nodes than this fails at plan, naming them; raise it
  # in the pull request that really removes more.
  max_deactivations = 2

  lifecycle {
    precondition {
      condition     = length(local.duplicates) == 0
      error_message = "Each node name may appear in one faq/*.yaml file only: ${join(", ", local.duplicates)}."
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
