/**
 * Structured logs, one JSON object per line on stdout. Cloud Logging reads
 * `severity` and `message` from such lines and keeps every other field as
 * `jsonPayload`, so fields like `source_type` and `fingerprint` are queryable.
 */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  notice(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields`. */
  with(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

export function createLogger(sink: LogSink = (line) => process.stdout.write(`${line}\n`), base: LogFields = {}): Logger {
  const emit = (severity: Severity) => (message: string, fields: LogFields = {}) => {
    sink(JSON.stringify({ severity, message, ...base, ...fields, time: new Date().toISOString() }, errorReplacer));
  };
  return {
    debug: emit('DEBUG'),
    info: emit('INFO'),
    notice: emit('NOTICE'),
    warning: emit('WARNING'),
    error: emit('ERROR'),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code, stack: value.stack };
  }
  return value;
}

export const log = createLogger();

/**
 * Lines that count something carry `metric`, one of these names, and the
 * fields of `metricFields`: Cloud Monitoring's log-based metrics
 * (terraform/monitoring.tf) count them, labelled by those fields.
 */
export const LOG_METRICS = {
  /** Ingest: an alert sighting stored (duplicates are not counted). */
  alertReceived: 'alert_received',
  /** The metrics rollup: an issue seen for the first time. */
  issueOpened: 'issue_opened',
  /** The metrics rollup: an action taken on an issue; `action` says which. */
  issueAction: 'issue_action',
  /** The metrics rollup: an issue's first action, `seconds` after its first sighting. */
  firstAction: 'first_action',
} as const;

export type LogMetric = (typeof LOG_METRICS)[keyof typeof LOG_METRICS];

/**
 * The labels of a counted line. The alert's severity is `alert_severity`:
 * `severity` is the log line's own. Issue types are left out: scanners
 * decide how many there are, and Monitoring bills per label value.
 */
export function metricFields(metric: LogMetric, labels: { source: string; ou: string; severity: string }, extra: { action?: string; seconds?: number } = {}): LogFields {
  return { metric, source_type: labels.source, ou: labels.ou, alert_severity: labels.severity, ...extra };
}
