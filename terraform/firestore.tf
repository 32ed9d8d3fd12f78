resource "google_firestore_database" "default" {
  count       = var.create_firestore_database ? 1 : 0
  name        = "(default)"
  location_id = var.firestore_location
  type        = "FIRESTORE_NATIVE"
  depends_on  = [google_project_service.apis]
}

locals {
  firestore_database = var.create_firestore_database ? google_firestore_database.default[0].name : "(default)"

  # The composite indexes of the queries in lib/store/queries.ts, exactly:
  # test/unit/terraform.test.ts fails when one is missing or left over.
  firestore_indexes = {
    events_pending_oldest_first = { collection = "events", fields = [["source", "ASCENDING"], ["processedAt", "ASCENDING"], ["receivedAt", "ASCENDING"]] }
    events_pending_newest_first = { collection = "events", fields = [["source", "ASCENDING"], ["processedAt", "ASCENDING"], ["receivedAt", "DESCENDING"]] }
    issues_by_owner             = { collection = "issues", fields = [["owner", "ASCENDING"], ["lastSeen", "DESCENDING"]] }
    issues_escalations_due      = { collection = "issues", fields = [["source", "ASCENDING"], ["escalationDueAt", "ASCENDING"]] }
    interactions_by_issue       = { collection = "interactions", fields = [["fingerprint", "ASCENDING"], ["at", "DESCENDING"]] }
    interactions_by_owner       = { collection = "interactions", fields = [["owner", "ASCENDING"], ["at", "DESCENDING"]] }
  }

  # Large fields nobody filters on: indexing them only costs writes.
  firestore_unindexed = {
    events_alert_json = { collection = "events", field = "alertJson" }
    events_metadata   = { collection = "events", field = "metadata" }
    issues_metadata   = { collection = "issues", field = "metadata" }
    dead_letters_raw  = { collection = "deadLetters", field = "rawBase64" }
    issues_metrics    = { collection = "issues", field = "metrics" }
    metrics_day_rows  = { collection = "metricsDays", field = "rows" }
    metrics_day_times = { collection = "metricsDays", field = "firstActions" }
  }
}

resource "google_firestore_index" "comet" {
  for_each   = local.firestore_indexes
  project    = var.project_id
  database   = local.firestore_database
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value[0]
      order      = fields.value[1]
    }
  }
}

# Firestore deletes events once expireAt passes (COMET_EVENT_RETENTION after their last sighting).
resource "google_firestore_field" "events_ttl" {
  project    = var.project_id
  database   = local.firestore_database
  collection = "events"
  field      = "expireAt"
  ttl_config {}
}

resource "google_firestore_field" "unindexed" {
  for_each   = local.firestore_unindexed
  project    = var.project_id
  database   = local.firestore_database
  collection = each.value.collection
  field      = each.value.field
  index_config {}
}
