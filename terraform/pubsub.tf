resource "google_pubsub_topic" "alerts" {
  name       = var.alert_topic
  depends_on = [google_project_service.apis]
}

# Alerts Pub/Sub could not deliver after max_delivery_attempts; Comet's own
# refusals go to the deadLetters collection instead, with their reason.
resource "google_pubsub_topic" "dead_letter" {
  name = "${var.alert_topic}-dead-letter"
}

resource "google_pubsub_subscription" "dead_letter" {
  name                       = "${var.alert_topic}-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
}

# Pushes each alert to the ingest function, as the local emulator setup does.
# The path names the topic, so the CloudEvent carries its source.
resource "google_pubsub_subscription" "ingest" {
  name                 = "${var.alert_topic}-ingest"
  topic                = google_pubsub_topic.alerts.id
  ack_deadline_seconds = 60
  expiration_policy {
    ttl = ""
  }

  push_config {
    push_endpoint = "${module.ingest.url}/projects/${var.project_id}/topics/${var.alert_topic}"
    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = module.ingest.url
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }
}
