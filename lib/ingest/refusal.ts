/**
 * Why an alert was refused. Every refusal is permanent: retrying the same
 * message cannot succeed, so it goes to the dead-letter store and is acked.
 */
export const REFUSAL_REASONS = {
  missing_source_type: 'the message has no source_type attribute',
  unknown_source: 'no source is registered under this source_type',
  empty_data: 'the message has no data',
  invalid_base64: 'the message data is not valid base64',
  oversize: 'the alert is larger than the size limit',
  invalid_utf8: 'the alert is not valid UTF-8',
  invalid_json: 'the alert is not valid JSON',
  not_an_object: 'the alert is not a JSON object',
  too_deep: 'the alert nests deeper than the depth limit',
  forbidden_key: 'the alert uses a key reserved by JavaScript or Firestore',
  control_characters: 'the alert holds control characters that have no place in text',
  out_of_range: 'the alert holds a number JSON cannot carry exactly',
  schema_violation: "the alert does not match its source's schema",
  hydration_failed: "the source's hydrator refused the alert",
  invalid_hydration: "the source's hydrator returned an invalid owner, fingerprint or metadata",
  storage_rejected: 'Firestore rejected the event as invalid',
} as const;

export type RefusalReason = keyof typeof REFUSAL_REASONS;

export class Refusal extends Error {
  readonly reason: RefusalReason;
  readonly details: readonly string[];

  constructor(reason: RefusalReason, message: string = REFUSAL_REASONS[reason], details: readonly string[] = []) {
    super(message);
    this.name = 'Refusal';
    this.reason = reason;
    this.details = details;
  }
}

/**
 * Thrown by a hydrator for an alert that can never be hydrated (a resource
 * that does not exist, say). Any other error from a hydrator counts as
 * transient and the message is redelivered.
 */
export class PermanentHydrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHydrationError';
  }
}
