# Every question in questions.csv must reach its expected node, by the provider's offline matcher
# (provider::haptik::faq_match). A plan needs no credentials, so this runs in any pull request:
#   terraform init && terraform test
# A failing run names every question that reached another node, with the node it reached.

variables {
  questions = csvdecode(file("questions.csv"))
}

run "every_question_reaches_its_node" {
  command = plan

  assert {
    condition = alltrue([
      for q in var.questions : provider::haptik::faq_match(haptik_faq_domain.support.nodes, q.question).node == q.expected_node
    ])
    error_message = join("\n", concat(["These questions reach another node than expected:"], [
      for q in var.questions : format("  %q: expected %s, reached %s (score %.2f; runner-up %s)",
        q.question, q.expected_node,
        coalesce(provider::haptik::faq_match(haptik_faq_domain.support.nodes, q.question).node, "no node"),
        provider::haptik::faq_match(haptik_faq_domain.support.nodes, q.question).score,
      coalesce(provider::haptik::faq_match(haptik_faq_domain.support.nodes, q.question).runner_up, "none"))
      if provider::haptik::faq_match(haptik_faq_domain.support.nodes, q.question).node != q.expected_node
    ]))
  }
}
