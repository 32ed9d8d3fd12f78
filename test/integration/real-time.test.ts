import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithEmulators, eventually, firestoreFor, publish, sample, startTestStack, type TestStack } from '../support/stack.ts';

const MINUTE = 60_000;
const OWNER = 'floor1-toasters@example.com';
const ESCALATION = 'facilities-security@example.com';

/**
 * A real-time source (the toasters, made real-time for this deployment with
 * COMET_SOURCE_CONFIG): every alert is mailed at once, and one nobody acts
 * on escalates after `escalateCadence`; an owner's escalate click escalates
 * on the next run, an acknowledgement never.
 */
describeWithEmulators('a real-time source, end to end', () => {
  let stack: TestStack;
  let db: Firestore;
  const start = Date.now() + MINUTE;
  const at = (minutes: number) => new Date(start + minutes * MINUTE).toISOString();

  beforeAll(async () => {
    stack = await startTestStack('real-time', { COMET_SOURCE_CONFIG: JSON.stringify({ riskytoaster: { realTime: true, escalateCadence: '1h' } }) });
    db = firestoreFor(stack);
  });
  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
  });

  async function dispatch(when: string) {
    const res = await fetch(stack.dispatch.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-comet-now': when }, body: '{"source": "riskytoaster"}' });
    expect(res.status).toBe(200);
    return ((await res.json()) as { summaries: { digestsSent: number; escalation: { sent: number; issues: number } }[] }).summaries[0]!;
  }

  /** The link for `action` in the block of the mail that lists toaster `id`. */
  function link(text: string, id: string, action: string): string {
    const block = text.split('\n\n').find((b) => b.includes(`Toaster ${id} on floor 1`));
    const token = new RegExp(`/v0/${action}\\?token=([\\w.-]+)`).exec(block ?? '')?.[1];
    if (!token) throw new Error(`no ${action} link for toaster ${id}`);
    return token;
  }

  const act = (action: string, token: string) => fetch(`${stack.api.url}/v0/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  const escalations = () => stack.sink.mails().filter((m) => m.to.includes(ESCALATION));

  it('mails at once, escalates an owner click on the next run and silence after the cadence, and never an acknowledged issue', async () => {
    for (const id of ['t1', 't2', 't3']) await publish(stack, JSON.stringify({ ...JSON.parse(sample('riskytoaster')), toaster_id: id }), { source_type: 'riskytoaster' });
    await eventually('three pending toaster events', async () => ((await db.collection('events').where('processedAt', '==', null).get()).size === 3 ? true : undefined));

    expect(await dispatch(at(0))).toMatchObject({ digestsSent: 1, escalation: { sent: 0 } });
    const [digest] = stack.sink.mails();
    expect(digest?.to).toEqual([OWNER]);
    for (const action of ['acknowledge', 'resolve', 'escalate', 'falsepositive']) expect(digest?.text).toContain(`/v0/${action}?token=`);
    expect((await act('acknowledge', link(digest!.text, 't1', 'acknowledge'))).status).toBe(200);
    expect((await act('escalate', link(digest!.text, 't2', 'escalate'))).status).toBe(200);

    // The owner's click goes out on the next run; the others are not due yet.
    expect(await dispatch(at(2))).toMatchObject({ digestsSent: 0, escalation: { sent: 1, issues: 1 } });
    expect(escalations()[0]?.text).toContain('[Escalated by its owner] (low)');
    expect(escalations()[0]?.text).toContain('Toaster t2 on floor 1');

    // An hour without an answer escalates t3; t1 was acknowledged, t2 already escalated.
    expect(await dispatch(at(70))).toMatchObject({ escalation: { sent: 1, issues: 1 } });
    expect(escalations()[1]?.text).toContain('[Unaddressed] (low)');
    expect(escalations()[1]?.text).toContain('Toaster t3 on floor 1');
    expect(escalations()[1]?.text).not.toContain('Toaster t1 on floor 1');

    // Nothing is left waiting: no further escalation.
    expect(await dispatch(at(140))).toMatchObject({ escalation: { sent: 0 } });
    expect(escalations()).toHaveLength(2);
  });
});
