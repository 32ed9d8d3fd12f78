locals {
  common_env = {
    GOOGLE_CLOUD_PROJECT  = var.project_id
    COMET_EVENT_RETENTION = var.event_retention
    COMET_SOURCE_CONFIG   = jsonencode(var.source_config)
  }
}

module "ingest" {
  source                = "./modules/function"
  name                  = "comet-ingest"
  entry_point           = "ingest"
  region                = var.region
  project_id            = var.project_id
  source_bucket         = google_storage_bucket.source.name
  source_object         = google_storage_bucket_object.source.name
  service_account_email = google_service_account.function["ingest"].email
  environment           = local.common_env
  invokers              = ["serviceAccount:${google_service_account.pubsub_push.email}"]
  max_instances         = var.max_instances.ingest
  depends_on            = [google_project_service.apis]
}

module "dispatch" {
  source                = "./modules/function"
  name                  = "comet-dispatch"
  entry_point           = "dispatch"
  region                = var.region
  project_id            = var.project_id
  source_bucket         = google_storage_bucket.source.name
  source_object         = google_storage_bucket_object.source.name
  service_account_email = google_service_account.function["dispatch"].email
  # Below COMET_DISPATCH_LEASE (10m), so a run never outlives its lease.
  timeout_seconds = 540
  environment = merge(local.common_env, {
    COMET_MAIL_FROM      = var.mail_from
    COMET_MAIL_FROM_NAME = var.mail_from_name
    COMET_API_URL        = local.api_url
    COMET_LINK_TTL       = var.link_ttl
    COMET_SECURITY_MAIL  = var.security_mail
  })
  secrets = {
    SENDGRID_API_KEY  = google_secret_manager_secret.secrets["comet-sendgrid-api-key"].secret_id
    COMET_LINK_SECRET = google_secret_manager_secret.secrets["comet-link-secret"].secret_id
  }
  invokers      = ["serviceAccount:${google_service_account.scheduler.email}"]
  max_instances = var.max_instances.dispatch
  depends_on    = [google_project_service.apis, google_secret_manager_secret_version.sendgrid_api_key, google_secret_manager_secret_version.link_secret]
}

module "api" {
  source                = "./modules/function"
  name                  = "comet-api"
  entry_point           = "api"
  region                = var.region
  project_id            = var.project_id
  source_bucket         = google_storage_bucket.source.name
  source_object         = google_storage_bucket_object.source.name
  service_account_email = google_service_account.function["api"].email
  # Owners open mail links without a Google session; the API checks link
  # tokens and identities itself.
  public = true
  environment = merge(local.common_env, {
    COMET_IAP_AUDIENCE      = var.iap_audience
    COMET_ID_TOKEN_AUDIENCE = var.id_token_audience
    COMET_CORS_ORIGINS      = join(",", var.cors_origins)
    COMET_SECURITY_TEAM     = join(",", var.security_team)
  })
  secrets = {
    COMET_LINK_SECRET = google_secret_manager_secret.secrets["comet-link-secret"].secret_id
  }
  max_instances = var.max_instances.api
  depends_on    = [google_project_service.apis, google_secret_manager_secret_version.link_secret]
}
