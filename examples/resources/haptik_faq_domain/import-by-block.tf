import {
  to = haptik_faq_domain.support
  id = "acme_support"
}
