# Terraform 1.12 and later (OpenTofu 1.12 and later): name the domain by the resource's identity.
import {
  to       = haptik_faq_domain.support
  identity = { domain_name = "acme_support" }
}
