# Rich answers: a BUTTON and a CAROUSEL written in HCL with jsonencode, next to plain text.
resource "haptik_faq_domain" "support" {
  domain_name = "acme_support"
  nodes = {
    contact = {
      user_says = ["How can I contact you?", "contact"]
      bot_says = [
        jsonencode({
          type = "BUTTON"
          text = "How would you like to reach us?"
          data = {
            items = [
              {
                actionable_text   = "Call us", type = "APP_ACTION", uri = "CALL", is_default = 0,
                location_required = false, payload = { phone_number = "+18005550100" }
              },
              {
                actionable_text   = "Open the help centre", type = "APP_ACTION", uri = "LINK", is_default = 0,
                location_required = false, payload = { url = "https://help.example.com" }
              },
            ]
          }
        }),
      ]
    }
    plans = {
      user_says = ["Which plans do you have?", "pricing"]
      bot_says = [
        "Here are our plans:",
        jsonencode({
          type = "CAROUSEL"
          data = {
            width = "MEDIUM"
            items = [{
              thumbnail   = { image = "https://cdn.example.com/plans/basic.png" }
              title       = "Basic plan"
              sub_title   = "9 EUR a month"
              actionables = [{ actionable_text = "Choose Basic", type = "TEXT_ONLY", uri = "", payload = { message = "Basic plan" } }]
            }]
          }
        }),
      ]
    }
  }
}
