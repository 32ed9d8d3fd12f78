locals {
  apis = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firestore.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
  ]
  api_url = var.api_url != "" ? trimsuffix(var.api_url, "/") : module.api.url
}

data "google_project" "this" {}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  service            = each.value
  disable_on_destroy = false
}

# The deployable source: `npm run build` writes dist/; the object is named by
# its hash, so every code change redeploys and nothing else does.
data "archive_file" "source" {
  type        = "zip"
  source_dir  = "${path.module}/../dist"
  output_path = "${path.module}/.build/comet-source.zip"
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-comet-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_object" "source" {
  name   = "comet-${data.archive_file.source.output_sha256}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

resource "random_password" "link_secret" {
  length  = 48
  special = false
}

resource "google_secret_manager_secret" "secrets" {
  for_each  = toset(["comet-sendgrid-api-key", "comet-link-secret"])
  secret_id = each.value
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "sendgrid_api_key" {
  secret      = google_secret_manager_secret.secrets["comet-sendgrid-api-key"].id
  secret_data = var.sendgrid_api_key
}

resource "google_secret_manager_secret_version" "link_secret" {
  secret      = google_secret_manager_secret.secrets["comet-link-secret"].id
  secret_data = random_password.link_secret.result
}
