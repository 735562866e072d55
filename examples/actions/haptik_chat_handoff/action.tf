# Move a user's chat to the Support team's queue (Terraform 1.14 or later). Invoke it on demand:
#
#   terraform apply -invoke=action.haptik_chat_handoff.to_support
action "haptik_chat_handoff" "to_support" {
  config {
    team_name   = "Support"
    user_name   = "demo-user"
    business_id = 4242
    countdown   = 5 # seconds before the move, 5 to 10 (Haptik waits 10 without it)
  }
}
