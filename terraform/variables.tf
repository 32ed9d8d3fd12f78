variable "project_id" {
  type        = string
  description = "The Google Cloud project Comet runs in."
}

variable "region" {
  type        = string
  description = "Region of the functions, the scheduler jobs and the source bucket."
  default     = "europe-west1"
}

variable "firestore_location" {
  type        = string
  description = "Location of the Firestore database (a region such as europe-west1, or a multi-region such as eur3). Cannot be changed later."
  default     = "eur3"
}

variable "create_firestore_database" {
  type        = bool
  description = "Create the (default) Firestore database. Set false if the project already has one in native mode."
  default     = true
}

variable "sendgrid_api_key" {
  type        = string
  description = "SendGrid API key with Mail Send permission. Stored in Secret Manager; never in function configuration."
  sensitive   = true
}

variable "mail_from" {
  type        = string
  description = "Sender address of every Comet mail; must be a verified sender in SendGrid."
}

variable "mail_from_name" {
  type        = string
  description = "Sender name of every Comet mail."
  default     = "Comet"
}

variable "api_url" {
  type        = string
  description = "Public base URL of the v0 API as owners reach it (a load balancer with IAP, say). Empty: the api function's own URL."
  default     = ""
}

variable "iap_audience" {
  type        = string
  description = "Audience of IAP assertions for the API (/projects/NUMBER/global/backendServices/ID). Empty: IAP is not used."
  default     = ""
}

variable "id_token_audience" {
  type        = string
  description = "Audience of Google ID tokens accepted by the API, usually its URL. Empty: ID tokens are not accepted."
  default     = ""
}

variable "source_config" {
  type        = any
  description = "Per-deployment settings laid over each plugin's config, by source name, e.g. { forseti = { floodGuard = { minNewIssues = 2000 } } }. Schedules stay in the plugins."
  default     = {}
}

variable "security_team" {
  type        = list(string)
  description = "Emails of the security team: they alone may read /v0/stats and release held floods."
  default     = []
}

variable "security_mail" {
  type        = string
  description = "The security team's address: flood alerts and weekly summaries go there. Empty: they are only logged."
  default     = ""
}

variable "cors_origins" {
  type        = list(string)
  description = "Browser origins allowed to call the JSON API."
  default     = []
}

variable "alert_topic" {
  type        = string
  description = "Name of the Pub/Sub topic scanners publish to."
  default     = "comet-alerts"
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries of one alert to the ingest function before Pub/Sub moves it to the dead-letter topic (5 to 100)."
  default     = 10
}

variable "event_retention" {
  type        = string
  description = "How long events are kept after their last sighting, as Comet durations take it (90d)."
  default     = "90d"
}

variable "link_ttl" {
  type        = string
  description = "How long action links in mails work."
  default     = "30d"
}

variable "max_instances" {
  type        = object({ ingest = number, dispatch = number, api = number })
  description = "Upper bound of instances per function: caps cost during an alert burst."
  default     = { ingest = 20, dispatch = 3, api = 5 }
}
