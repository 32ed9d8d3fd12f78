/**
 * A small Firestore client over the REST API and `fetch`, for the ingest
 * function only: its two writes per alert do not need the client library,
 * whose import (gRPC and protobuf descriptors) costs 330 ms of every cold
 * start. Locally it talks to FIRESTORE_EMULATOR_HOST; on Google Cloud it
 * authenticates with the metadata server's token for the function's account.
 */

type Value =
  | { nullValue: null }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { doubleValue: number }
  | { stringValue: string }
  | { timestampValue: string }
  | { arrayValue: { values: Value[] } }
  | { mapValue: { fields: Record<string, Value> } };

export type Fields = Record<string, Value>;

/** A JavaScript value as a Firestore value; undefined fields are left out, as the library's ignoreUndefinedProperties does. */
export function toValue(value: unknown): Value {
  if (value === null) return { nullValue: null };
  if (value instanceof Date) return { timestampValue: value.toISOString() };
  switch (typeof value) {
    case 'boolean':
      return { booleanValue: value };
    case 'number':
      return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
    case 'string':
      return { stringValue: value };
    case 'object':
      if (Array.isArray(value)) return { arrayValue: { values: value.map(toValue) } };
      return { mapValue: { fields: toFields(value as Record<string, unknown>) } };
    default:
      throw new TypeError(`cannot store a ${typeof value} in Firestore`);
  }
}

export function toFields(record: Record<string, unknown>): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) fields[key] = toValue(value);
  return fields;
}

/** The gRPC code the library puts in `error.code`, so callers handle both clients' errors alike. */
const GRPC_CODES: Record<string, number> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

export class FirestoreRestError extends Error {
  readonly code: number;
  readonly status: string;
  constructor(status: string, message: string) {
    super(`${status}: ${message}`);
    this.name = 'FirestoreRestError';
    this.status = status;
    this.code = GRPC_CODES[status] ?? 2;
  }
}

export interface Write {
  update: { name: string; fields: Fields };
  updateMask?: { fieldPaths: string[] };
  updateTransforms?: { fieldPath: string; increment: Value }[];
  currentDocument?: { exists: boolean } | { updateTime: string };
}

export interface RestDocument {
  name: string;
  fields: Fields;
  updateTime: string;
}

export class FirestoreRest {
  private readonly base: string;
  private readonly root: string;
  private readonly emulator: boolean;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    if (!projectId) throw new Error('GOOGLE_CLOUD_PROJECT must be set');
    this.emulator = Boolean(env.FIRESTORE_EMULATOR_HOST);
    this.base = this.emulator ? `http://${env.FIRESTORE_EMULATOR_HOST}/v1` : 'https://firestore.googleapis.com/v1';
    this.root = `projects/${projectId}/databases/(default)/documents`;
  }

  /** The full resource name of a document path such as `events/abc`. */
  name(path: string): string {
    return `${this.root}/${path}`;
  }

  async commit(writes: Write[]): Promise<void> {
    await this.request('POST', `${this.root}:commit`, { writes });
  }

  async get(path: string): Promise<RestDocument | undefined> {
    try {
      return (await this.request('GET', this.name(path))) as RestDocument;
    } catch (error) {
      if (error instanceof FirestoreRestError && error.status === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}/${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as { error?: { status?: string; message?: string } };
    if (!response.ok) throw new FirestoreRestError(json.error?.status ?? httpStatus(response.status), json.error?.message ?? response.statusText);
    return json;
  }

  private async accessToken(): Promise<string> {
    // The emulator takes this as an administrator, as the library does.
    if (this.emulator) return 'owner';
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const response = await fetch('http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token', { headers: { 'Metadata-Flavor': 'Google' } });
    if (!response.ok) throw new FirestoreRestError('UNAUTHENTICATED', `the metadata server gave no token (${response.status})`);
    const { access_token: value, expires_in: seconds } = (await response.json()) as { access_token: string; expires_in: number };
    this.token = { value, expiresAt: Date.now() + (seconds - 60) * 1000 };
    return value;
  }
}

function httpStatus(status: number): string {
  if (status === 409) return 'ALREADY_EXISTS';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400) return 'INVALID_ARGUMENT';
  if (status === 412) return 'FAILED_PRECONDITION';
  return status >= 500 ? 'UNAVAILABLE' : 'UNKNOWN';
}
