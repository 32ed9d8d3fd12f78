import type { CloudEvent } from '@google-cloud/functions-framework';
import { describe, expect, it } from 'vitest';
import { decodeData, messageFromCloudEvent } from '../../lib/ingest/message.ts';
import { Refusal } from '../../lib/ingest/refusal.ts';

const pushed = {
  subscription: 'projects/p/subscriptions/s',
  message: { data: Buffer.from('{"a":1}').toString('base64'), attributes: { source_type: 'forseti', n: 7 }, messageId: '42', publishTime: '2026-12-01T10:00:00Z' },
};

describe('messageFromCloudEvent', () => {
  it('reads the Pub/Sub message inside a CloudEvent', () => {
    const event = { specversion: '1.0', id: '42', source: '//pubsub', type: 't', data: pushed } as CloudEvent<unknown>;
    expect(messageFromCloudEvent(event)).toEqual({
      messageId: '42',
      publishTime: new Date('2026-12-01T10:00:00Z'),
      attributes: { source_type: 'forseti' },
      data: pushed.message.data,
    });
  });

  it('reads the raw push body that functions-framework passes for a message without data', () => {
    const raw = { subscription: 's', message: { attributes: { source_type: 'forseti' }, messageId: '43' } };
    expect(messageFromCloudEvent(raw)).toEqual({ messageId: '43', publishTime: undefined, attributes: { source_type: 'forseti' }, data: undefined });
  });

  it('survives a body with no message at all', () => {
    expect(messageFromCloudEvent({ whatever: true })).toEqual({ messageId: undefined, publishTime: undefined, attributes: {}, data: undefined });
  });
});

describe('decodeData', () => {
  const message = (data: string | undefined) => ({ messageId: '1', publishTime: undefined, attributes: {}, data });
  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as Refusal).reason;
    }
    return 'accepted';
  };

  it('decodes base64 within the size limit', () => {
    expect(decodeData(message(Buffer.from('hello').toString('base64')), 10).toString()).toBe('hello');
  });

  it('refuses missing, malformed and oversize data', () => {
    expect(reason(() => decodeData(message(undefined), 10))).toBe('empty_data');
    expect(reason(() => decodeData(message('not base64!'), 100))).toBe('invalid_base64');
    expect(reason(() => decodeData(message(Buffer.from('x'.repeat(11)).toString('base64')), 10))).toBe('oversize');
    expect(reason(() => decodeData(message('A'.repeat(1_000_000)), 10))).toBe('oversize');
  });
});
