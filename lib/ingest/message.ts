import type { CloudEvent } from '@google-cloud/functions-framework';
import { Refusal } from './refusal.ts';

/** One Pub/Sub message as the ingest function sees it. */
export interface InboundMessage {
  messageId: string | undefined;
  publishTime: Date | undefined;
  attributes: Record<string, string>;
  /** Base64 as Pub/Sub delivers it; undefined when the message had no data. */
  data: string | undefined;
}

interface PubsubMessageJson {
  messageId?: unknown;
  message_id?: unknown;
  publishTime?: unknown;
  attributes?: unknown;
  data?: unknown;
}

/**
 * The function receives a CloudEvent whose data wraps the Pub/Sub message.
 * functions-framework passes a push body that it could not convert (a message
 * without data) through as it came, `{subscription, message}`, so both shapes
 * are read here.
 */
export function messageFromCloudEvent(event: CloudEvent<unknown> | Record<string, unknown>): InboundMessage {
  const envelope = 'specversion' in event || 'data' in event ? (event as CloudEvent<unknown>).data : event;
  const message = (isRecord(envelope) && isRecord(envelope.message) ? envelope.message : {}) as PubsubMessageJson;
  const messageId = firstString(message.messageId, message.message_id, (event as CloudEvent<unknown>).id);
  const publishTime = typeof message.publishTime === 'string' ? new Date(message.publishTime) : undefined;
  return {
    messageId,
    publishTime: publishTime && !Number.isNaN(publishTime.getTime()) ? publishTime : undefined,
    attributes: stringRecord(message.attributes),
    data: typeof message.data === 'string' && message.data.length > 0 ? message.data : undefined,
  };
}

/** The raw bytes of the message, refusing what is not base64 (`Buffer.from` would silently skip it). */
export function decodeData(message: InboundMessage, maxBytes: number): Buffer {
  if (message.data === undefined) throw new Refusal('empty_data');
  // base64 is 4/3 of the bytes; refuse before decoding a body we would reject anyway.
  if (message.data.length > Math.ceil((maxBytes * 4) / 3) + 4) {
    throw new Refusal('oversize', `the alert is about ${Math.floor((message.data.length * 3) / 4)} bytes, over the limit of ${maxBytes}`);
  }
  const bytes = Buffer.from(message.data, 'base64');
  // Buffer.from skips what is not base64; encoding back shows whether anything was skipped.
  if (bytes.toString('base64') !== message.data) throw new Refusal('invalid_base64');
  if (bytes.length === 0) throw new Refusal('empty_data');
  if (bytes.length > maxBytes) {
    throw new Refusal('oversize', `the alert is ${bytes.length} bytes, over the limit of ${maxBytes}`);
  }
  return bytes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
