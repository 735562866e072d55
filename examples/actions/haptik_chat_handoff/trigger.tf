# Or let a change run it (Terraform 1.14 or later): an apply that creates terraform_data.escalation,
# or changes it because var.escalation has a new value, moves the chat once, after that change.
variable "escalation" {
  description = "The support ticket the handoff is for; a new value moves the chat again."
  type        = string
  default     = "TICKET-1001"
}

resource "terraform_data" "escalation" {
  input = var.escalation

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.haptik_chat_handoff.to_support]
    }
  }
}
