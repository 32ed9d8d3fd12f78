locals {
  # One log-based metric per counted log line (LOG_METRICS in
  # lib/util/log.ts), labelled by the fields metricFields writes; the
  # Terraform test holds names, labels and values to the code.
  log_metric_labels = ["source_type", "ou", "alert_severity"]
  log_metrics = {
    alert_received = { description = "Alert sightings stored by ingest (duplicates excluded)", labels = local.log_metric_labels, seconds = false }
    issue_opened   = { description = "Issues seen for the first time, counted by the metrics rollup", labels = local.log_metric_labels, seconds = false }
    issue_action   = { description = "Actions taken on issues (snooze, falsepositive, acceptrisk, ...)", labels = concat(local.log_metric_labels, ["action"]), seconds = false }
    first_action   = { description = "Seconds from an issue's first sighting to its first action", labels = local.log_metric_labels, seconds = true }
  }
}

resource "google_logging_metric" "comet" {
  for_each    = local.log_metrics
  name        = "comet/${each.key}"
  description = each.value.description
  filter      = "jsonPayload.metric=\"${each.key}\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = each.value.seconds ? "DISTRIBUTION" : "INT64"
    unit        = each.value.seconds ? "s" : "1"
    dynamic "labels" {
      for_each = each.value.labels
      content {
        key        = labels.value
        value_type = "STRING"
      }
    }
  }

  label_extractors = { for label in each.value.labels : label => "EXTRACT(jsonPayload.${label})" }
  value_extractor  = each.value.seconds ? "EXTRACT(jsonPayload.seconds)" : null

  # From a minute to about two years, doubling.
  dynamic "bucket_options" {
    for_each = each.value.seconds ? [1] : []
    content {
      exponential_buckets {
        num_finite_buckets = 20
        growth_factor      = 2
        scale              = 60
      }
    }
  }

  depends_on = [google_project_service.apis]
}
