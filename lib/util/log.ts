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
