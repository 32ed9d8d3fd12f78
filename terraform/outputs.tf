output "alert_topic" {
  description = "The topic scanners publish alerts to, with the attribute source_type set."
  value       = google_pubsub_topic.alerts.id
}

output "dead_letter_topic" {
  description = "Alerts Pub/Sub could not deliver to ingest after max_delivery_attempts."
  value       = google_pubsub_topic.dead_letter.id
}

output "api_url" {
  description = "Base URL of the v0 API; mail links point here."
  value       = local.api_url
}

output "owner_page_url" {
  description = "Where owners see their open issues."
  value       = "${local.api_url}/v0/issues"
}
