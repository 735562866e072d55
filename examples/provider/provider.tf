terraform {
  required_providers {
    haptik = {
      source = "faqops/haptik"
    }
  }
}

# Credentials are best kept out of the configuration: leave them out here and set
# HAPTIK_BASE_URL, HAPTIK_CLIENT_ID and HAPTIK_TOKEN in the environment instead.
provider "haptik" {
  base_url  = "https://staging.haptikapi.com"
  client_id = var.haptik_client_id
  token     = var.haptik_token
}

variable "haptik_client_id" {
  type = string
}

variable "haptik_token" {
  type      = string
  sensitive = true
}
