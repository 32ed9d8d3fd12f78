# One service account per function, with only what it uses.
resource "google_service_account" "function" {
  for_each     = toset(["ingest", "dispatch", "api"])
  account_id   = "comet-${each.value}"
  display_name = "Comet ${each.value} function"
}

resource "google_project_iam_member" "firestore_user" {
  for_each = google_service_account.function
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = "serviceAccount:${each.value.email}"
}

resource "google_secret_manager_secret_iam_member" "dispatch_sendgrid" {
  secret_id = google_secret_manager_secret.secrets["comet-sendgrid-api-key"].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function["dispatch"].email}"
}

resource "google_secret_manager_secret_iam_member" "link_secret" {
  for_each  = toset(["dispatch", "api"])
  secret_id = google_secret_manager_secret.secrets["comet-link-secret"].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value].email}"
}

# Pub/Sub pushes alerts to ingest as this identity.
resource "google_service_account" "pubsub_push" {
  account_id   = "comet-pubsub-push"
  display_name = "Comet alert push to ingest"
}

# Cloud Scheduler calls dispatch as this identity.
resource "google_service_account" "scheduler" {
  account_id   = "comet-scheduler"
  display_name = "Comet dispatch schedule"
}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# The Pub/Sub service agent signs push tokens, and moves undeliverable
# alerts to the dead-letter topic.
resource "google_service_account_iam_member" "pubsub_token_creator" {
  service_account_id = google_service_account.pubsub_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.name
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  subscription = google_pubsub_subscription.ingest.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
