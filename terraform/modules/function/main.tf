# One Comet function: a gen2 Cloud Function on nodejs24, built from the
# shared source archive, running as its own service account.

variable "name" {
  type        = string
  description = "Function name."
}

variable "region" {
  type        = string
  description = "Region."
}

variable "project_id" {
  type        = string
  description = "Project of the secrets."
}

variable "entry_point" {
  type        = string
  description = "The name the function registers with functions-framework."
}

variable "source_bucket" {
  type        = string
  description = "Bucket of the source archive."
}

variable "source_object" {
  type        = string
  description = "Object of the source archive, named by content hash."
}

variable "service_account_email" {
  type        = string
  description = "Identity the function runs as."
}

variable "environment" {
  type        = map(string)
  description = "Environment variables."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Environment variable name to Secret Manager secret id (latest version)."
  default     = {}
}

variable "public" {
  type        = bool
  description = "Reachable from the internet by anyone (the function authenticates callers itself). Otherwise internal ingress and IAM-authenticated callers only."
  default     = false
}

variable "invokers" {
  type        = list(string)
  description = "IAM members allowed to invoke a non-public function."
  default     = []
}

variable "memory" {
  type        = string
  description = "Memory per instance."
  default     = "512Mi"
}

variable "timeout_seconds" {
  type        = number
  description = "Request timeout."
  default     = 60
}

variable "max_instances" {
  type        = number
  description = "Upper bound of instances."
  default     = 10
}

resource "google_cloudfunctions2_function" "this" {
  name     = var.name
  location = var.region

  build_config {
    runtime     = "nodejs24"
    # functions/index.js loads only the module of this entry point.
    entry_point = var.entry_point
    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
  }

  service_config {
    available_memory      = var.memory
    timeout_seconds       = var.timeout_seconds
    max_instance_count    = var.max_instances
    service_account_email = var.service_account_email
    ingress_settings      = var.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    environment_variables = var.environment

    dynamic "secret_environment_variables" {
      for_each = var.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }
}

resource "google_cloud_run_service_iam_member" "public" {
  count    = var.public ? 1 : 0
  location = var.region
  service  = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "invokers" {
  for_each = toset(var.invokers)
  location = var.region
  service  = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value
}

output "url" {
  description = "The function's HTTPS URL."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}
