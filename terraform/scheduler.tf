locals {
  # One dispatch job per source in lib/sources/, on that source's `schedule`
  # (UTC). test/unit/terraform.test.ts fails when a source is missing here or
  # its schedule differs.
  dispatch_schedules = {
    detectify    = "*/15 * * * *"
    forseti      = "*/10 * * * *"
    riskytoaster = "* * * * *"
  }

  # The metrics jobs of lib/metrics/jobs.ts (METRICS_JOBS), which the
  # dispatch function also runs; the same test holds them to the code.
  metrics_jobs = {
    "metrics-rollup" = "*/10 * * * *"
    "weekly-summary" = "0 8 * * 1"
  }

  # What Cloud Scheduler posts to dispatch: {"source": NAME} or {"job": NAME}.
  dispatch_jobs = merge(
    { for source, schedule in local.dispatch_schedules : source => { schedule = schedule, body = { source = source } } },
    { for job, schedule in local.metrics_jobs : job => { schedule = schedule, body = { job = job } } },
  )
}

resource "google_cloud_scheduler_job" "dispatch" {
  for_each         = local.dispatch_jobs
  name             = "comet-dispatch-${each.key}"
  region           = var.region
  schedule         = each.value.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "600s"

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = module.dispatch.url
    body        = base64encode(jsonencode(each.value.body))
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
