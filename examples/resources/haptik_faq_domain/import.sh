# A haptik_faq_domain is imported by its domain name. Haptik cannot read nodes back, so the plan
# after an import shows an in-place update that uploads the configured nodes.
terraform import haptik_faq_domain.support acme_support
