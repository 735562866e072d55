# Read the latest messages of a user's conversation. The chat never reaches the plan or the
# state: Terraform (1.10 or later) reads it when it is needed and forgets it afterwards.
ephemeral "haptik_chat_transcript" "escalated" {
  user_name       = "demo-user"
  business_id     = 4242
  conversation_no = 1
  limit           = 50
}

# Use it wherever Terraform accepts ephemeral values, for example in a condition that stops an
# apply, in a write-only attribute, or in another provider's configuration.
resource "haptik_faq_domain" "support" {
  domain_name = "support_bot"
  nodes = {
    talk_to_agent = {
      user_says = ["I want to talk to a person"]
      bot_says  = ["Connecting you to an agent."]
    }
  }

  lifecycle {
    precondition {
      condition     = length(ephemeral.haptik_chat_transcript.escalated.messages) > 0
      error_message = "The escalated conversation has no messages."
    }
  }
}
