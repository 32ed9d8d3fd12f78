import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../emulator/local-stack.ts';
import { describeWithEmulators, eventually, firestoreFor, functionLog, publish, sample, startTestStack } from '../support/stack.ts';

/**
 * Alerts published to the Pub/Sub emulator, pushed to the ingest function
 * served by functions-framework, stored in the Firestore emulator.
 */
describeWithEmulators('ingest through Pub/Sub, functions-framework and Firestore', () => {
  let stack: LocalStack;
  let db: Firestore;

  beforeAll(async () => {
    stack = await startTestStack('ingest');
    db = firestoreFor(stack);
  });

  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
  });

  const eventsWhere = async (field: string, value: string) => (await db.collection('events').where(field, '==', value).get()).docs;
  /** The data of the one event stored from a message, once it is there. */
  const eventFrom = async (messageId: string) => {
    const [event] = await eventually(`the event of message ${messageId}`, async () => {
      const docs = await eventsWhere('messageId', messageId);
      return docs.length > 0 ? docs : undefined;
    });
    return event!.data();
  };
  const deadLetter = async (messageId: string) => (await db.collection('deadLetters').doc(`msg-${messageId}`).get()).data();
  const handled = (messageId: string) => functionLog(stack).filter((line) => line.messageId === messageId);

  it('stores a forseti alert with owner, fingerprint and metadata, and opens its issue', async () => {
    const messageId = await publish(stack, sample('forseti'), { source_type: 'forseti' });
    const data = await eventFrom(messageId);
    expect(data.source).toBe('forseti');
    expect(data.owner).toBe('cloud-platform@example.com');
    expect(data.ownerRule).toBe('comet-test project');
    // The original Comet's fingerprint of this sample with the volatile `id` left out.
    expect(data.fingerprint).toBe('forseti_0f870800775a6fabb3561b9c701fa29d');
    expect(data.metadata).toMatchObject({
      ou: 'infrastructure',
      sourceReadable: 'Forseti Security',
      resource: 'projects/comet-test/project/test-resource-id',
      issueType: 'policy_violations:IAM whitelist roles',
      severity: 'high',
    });
    expect(JSON.parse(data.alertJson)).toEqual(JSON.parse(sample('forseti')));
    expect(data.processedAt).toBeNull();
    expect(data.sentAt).toBeNull();
    expect(data.escalatedAt).toBeNull();
    expect(data.receivedAt.toDate().getTime()).toBeGreaterThan(Date.now() - 60_000);

    const issue = (await db.collection('issues').doc(data.fingerprint).get()).data();
    expect(issue).toMatchObject({ source: 'forseti', owner: 'cloud-platform@example.com', seenCount: 1 });
    expect(issue!.lastSeen.toMillis()).toBe(data.receivedAt.toMillis());

    const [logLine] = handled(messageId);
    expect(logLine).toMatchObject({ severity: 'INFO', source_type: 'forseti', fingerprint: data.fingerprint, result: 'stored' });
  });

  it('stores a detectify alert, reading the nested payload', async () => {
    const messageId = await publish(stack, sample('detectify'), { source_type: 'detectify' });
    const data = await eventFrom(messageId);
    expect(data.owner).toBe('web-team@example.com');
    // Likewise, without the per-scan tokens, ids, timestamps and report link.
    expect(data.fingerprint).toBe('detectify_10689bb9f8bcbd1b73efafbc11736998');
    expect(data.metadata).toMatchObject({
      resource: 'example.com',
      issueType: 'Email Spoofing / Missing SPF Record',
      severity: 'high',
      reportUrl: 'https://detectify.com/report/1e7de354d20111e8a6479bce240401616479bce4/36332ef0d20111e8a39717bb4501f49',
    });
  });

  it('stores one event when the same alert is published twice', async () => {
    const body = JSON.stringify({ toaster_id: 'twice', toaster_location_floor: 1, alert_type: 'high-default-level' });
    const first = await publish(stack, body, { source_type: 'riskytoaster' });
    const second = await publish(stack, body, { source_type: 'riskytoaster' });
    expect(second).not.toBe(first);
    await eventually('both deliveries handled', () => (handled(first).length > 0 && handled(second).length > 0 ? true : undefined));

    const events = await eventsWhere('fingerprint', 'riskytoaster_twice_high-default-level');
    expect(events).toHaveLength(1);
    expect([handled(first)[0]?.result, handled(second)[0]?.result].sort()).toEqual(['duplicate', 'stored']);
    const issue = (await db.collection('issues').doc('riskytoaster_twice_high-default-level').get()).data();
    expect(issue?.seenCount).toBe(1);
  });

  it('drops an alert its source filters out, storing nothing', async () => {
    const messageId = await publish(stack, JSON.stringify({ toaster_id: 'selftest', toaster_location_floor: 1, alert_type: 'self-test' }), {
      source_type: 'riskytoaster',
    });
    await eventually('the filtered alert handled', () => handled(messageId)[0]);
    expect(handled(messageId)[0]?.message).toBe('alert filtered out by its source');
    expect(await eventsWhere('messageId', messageId)).toHaveLength(0);
    expect(await deadLetter(messageId)).toBeUndefined();
  });

  const garbage: [string, string | Buffer, Record<string, string>, string][] = [
    ['an unknown source', sample('forseti'), { source_type: 'nessus' }, 'unknown_source'],
    ['no source_type', sample('forseti'), { scanner: 'forseti' }, 'missing_source_type'],
    ['bad JSON', '{"id": 3, "project_id": ', { source_type: 'forseti' }, 'invalid_json'],
    ['a schema failure', JSON.stringify({ ...JSON.parse(sample('forseti')), resource_type: 'toaster' }), { source_type: 'forseti' }, 'schema_violation'],
    ['empty data', '', { source_type: 'forseti' }, 'empty_data'],
    ['an oversize body', JSON.stringify({ ...JSON.parse(sample('forseti')), padding: 'x'.repeat(300 * 1024) }), { source_type: 'forseti' }, 'oversize'],
    ['a permanent hydrator error', JSON.stringify({ toaster_id: 't1', toaster_location_floor: 99, alert_type: 'high-default-level' }), { source_type: 'riskytoaster' }, 'hydration_failed'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { source_type: 'forseti' }, 'invalid_utf8'],
    ['a prototype-polluting key', '{"__proto__": {"admin": true}}', { source_type: 'forseti' }, 'forbidden_key'],
    ['JSON nested 10,000 levels deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, { source_type: 'forseti' }, 'too_deep'],
    ['a Firestore-reserved attribute name', sample('forseti'), { source_type: 'nessus', __key__: 'x' }, 'unknown_source'],
  ];

  describe('refused alerts', () => {
    const published = new Map<string, string>();

    beforeAll(async () => {
      for (const [kind, data, attributes] of garbage) published.set(kind, await publish(stack, data, attributes));
      await eventually('every refused alert handled', () => ([...published.values()].every((id) => handled(id).length > 0) ? true : undefined));
      // Several redelivery intervals, so that a message that was not acked shows up twice.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    });

    it.each(garbage)('dead-letters %s with its reason and the raw message, and acks it', async (kind, data, attributes, reason) => {
      const messageId = published.get(kind) as string;
      const letter = await deadLetter(messageId);
      expect(letter?.reason).toBe(reason);
      expect(letter?.error.length).toBeGreaterThan(10);
      expect(JSON.parse(letter?.attributesJson)).toEqual(attributes);
      expect(letter?.rawBase64).toBe(Buffer.from(data).toString('base64'));
      expect(handled(messageId)).toHaveLength(1);
      expect(handled(messageId)[0]).toMatchObject({ severity: 'WARNING', reason });
    });

    it('stores no event for any of them', async () => {
      for (const id of published.values()) expect(await eventsWhere('messageId', id)).toHaveLength(0);
    });
  });
});
