locals {
  # One dispatch job per source in lib/sources/, on that source's `schedule`
  # (UTC). test/unit/terraform.test.ts fails when a source is missing here or
  # its schedule differs.
  dispatch_schedules = {
    detectify    = "*/15 * * * *"
    forseti      = "*/10 * * * *"
    riskytoaster = "* * * * *"
  }
}

resource "google_cloud_scheduler_job" "dispatch" {
  for_each         = local.dispatch_schedules
  name             = "comet-dispatch-${each.key}"
  region           = var.region
  schedule         = each.value
  time_zone        = "Etc/UTC"
  attempt_deadline = "600s"

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = module.dispatch.url
    body        = base64encode(jsonencode({ source = each.key }))
    headers = {
      "Content-Type" = "application/json"
    }
    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = module.dispatch.url
    }
  }

  depends_on = [google_project_service.apis]
}
