import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { CapturedMail } from '../../emulator/mail-sink.ts';
import { verifyLink } from '../../lib/links/token.ts';
import { describeWithEmulators, eventually, firestoreFor, publish, sample, startTestStack, type TestStack } from '../support/stack.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Dispatch end to end: alerts published through Pub/Sub, dispatch served by
 * functions-framework, mail through @sendgrid/mail into the local sink.
 */
describeWithEmulators('dispatch through functions-framework into the mail sink', () => {
  let stack: TestStack;
  let db: Firestore;
  const start = Date.now();
  const at = (offsetMs: number) => new Date(start + offsetMs).toISOString();

  beforeAll(async () => {
    stack = await startTestStack('dispatch', { COMET_MAIL_TIMEOUT: '1s' });
    db = firestoreFor(stack);
  });
  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
  });
  beforeEach(() => stack.sink.clear());

  async function dispatch(source: string | undefined, when: string) {
    const res = await fetch(stack.dispatch.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-comet-now': when },
      body: JSON.stringify(source ? { source } : {}),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { summaries: Record<string, unknown>[] }).summaries;
  }

  const pending = async (source: string) => (await db.collection('events').where('source', '==', source).where('processedAt', '==', null).get()).size;

  async function ingested(count: number, source: string) {
    await eventually(`${count} pending ${source} events`, async () => ((await pending(source)) >= count ? true : undefined));
  }

  const forseti = (overrides: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(sample('forseti')), ...overrides });
  const mailsTo = (owner: string) => stack.sink.mails().filter((m) => m.to.includes(owner));

  it('mails one digest per owner with the right issues and signed links, and nothing on a second run', async () => {
    await publish(stack, sample('forseti'), { source_type: 'forseti' });
    await publish(stack, forseti({ id: 4, violation_data: { member: 'user:eve@example.com', role: 'roles/editor' } }), { source_type: 'forseti' });
    await publish(stack, sample('riskytoaster'), { source_type: 'riskytoaster' });
    await ingested(2, 'forseti');
    await ingested(1, 'riskytoaster');

    const summaries = await dispatch(undefined, at(2 * HOUR));
    expect(summaries.map((s) => [s.source, s.digestsSent, s.issuesSent])).toEqual([
      ['detectify', 0, 0],
      ['forseti', 1, 2],
      ['riskytoaster', 1, 1],
    ]);

    const [cloud] = mailsTo('cloud-platform@example.com') as [CapturedMail];
    expect(stack.sink.mails()).toHaveLength(2);
    expect(cloud.subject).toBe('Forseti Security: 2 open security issues for you, 2 new');
    expect(cloud.text).toContain('IAM policy violation: IAM whitelist roles');
    expect(cloud.text).toContain('Remove the member from the role');
    expect(cloud.html).toContain('Forseti found IAM and ACL settings');
    expect(cloud.categories).toEqual(['comet', 'digest']);

    const links = [...cloud.html.matchAll(/href="([^"]+\/v0\/[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
    expect(links).toHaveLength(2 * 3 + 1);
    const actions = links.filter((l) => l.includes('token=')).map((link) => {
      const url = new URL(link);
      expect(url.origin).toBe(stack.api.url);
      const check = verifyLink(url.searchParams.get('token')!, stack.linkSecret, new Date());
      expect(check.ok).toBe(true);
      return check.ok && [url.pathname, check.claims.action, check.claims.recipient];
    });
    expect(actions).toContainEqual(['/v0/snooze', 'snooze', 'cloud-platform@example.com']);
    expect(actions).toContainEqual(['/v0/acceptrisk', 'acceptrisk', 'cloud-platform@example.com']);

    expect(await pending('forseti')).toBe(0);
    const issue = (await db.collection('issues').doc('forseti_0f870800775a6fabb3561b9c701fa29d').get()).data();
    expect(issue?.lastSentAt.toMillis()).toBe(Date.parse(at(2 * HOUR)));

    stack.sink.clear();
    // Cloud Scheduler sends its body as bytes unless the job sets a content type.
    const asText = await fetch(stack.dispatch.url, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-comet-now': at(3 * HOUR) }, body: '{"source": "detectify"}' });
    expect(((await asText.json()) as { summaries: { source: string }[] }).summaries.map((s) => s.source)).toEqual(['detectify']);
    const again = await dispatch(undefined, at(3 * HOUR));
    expect(again.every((s) => s.digestsSent === 0)).toBe(true);
    expect(stack.sink.mails()).toHaveLength(0);
  });

  it('sends a reminder once the clock passes ownerReminderCadence, and escalates after escalationTime', async () => {
    // The toaster reports daily; each report is a new sighting of the same issue.
    const report = (level: number) => JSON.stringify({ ...JSON.parse(sample('riskytoaster')), comment: `Default level set to ${level}.` });
    await publish(stack, report(8), { source_type: 'riskytoaster' });
    await ingested(1, 'riskytoaster');
    const quiet = await dispatch('riskytoaster', at(2 * DAY));
    expect(quiet[0]).toMatchObject({ digestsSent: 0, held: { 'not-due': 1 }, escalation: { sent: 0, skipped: 'none-due' } });
    expect(stack.sink.mails()).toHaveLength(0);

    await publish(stack, report(9), { source_type: 'riskytoaster' });
    await ingested(1, 'riskytoaster');
    const summaries = await dispatch('riskytoaster', at(8 * DAY));
    expect(summaries[0]).toMatchObject({ digestsSent: 1, escalation: { sent: 1, issues: 1 } });

    const [reminder] = mailsTo('floor1-toasters@example.com');
    expect(reminder?.text).toContain('[Reminder] (low) Toaster with high default level found.');
    const [escalation] = mailsTo('facilities-security@example.com');
    expect(escalation?.subject).toBe('Escalation: 1 unaddressed issue from Risky Toaster Alerting');
    expect(escalation?.text).toContain('Owner: floor1-toasters@example.com');
  });

  it('gives every owner exactly one digest when the mail service fails half the time', async () => {
    const owners = Array.from({ length: 12 }, (_, i) => `owner${i}@example.com`);
    for (const [i, owner] of owners.entries()) {
      await publish(stack, forseti({ project_id: `flaky-${i}`, project_owner: owner }), { source_type: 'forseti' });
    }
    await ingested(owners.length, 'forseti');
    stack.sink.setFailures({ rate: 0.5, modes: ['server-error', 'rate-limit', 'timeout'], seed: 7 });
    let runs = 0;
    while ((await pending('forseti')) > 0 && runs < 30) {
      await dispatch('forseti', at(10 * DAY + runs * HOUR));
      runs++;
    }
    stack.sink.setFailures({ rate: 0, modes: [] });
    expect(await pending('forseti')).toBe(0);
    expect(runs).toBeGreaterThan(1);
    expect(stack.sink.attempts()).toBeGreaterThan(owners.length);
    expect(owners.map((o) => mailsTo(o).length)).toEqual(owners.map(() => 1));
  });

  it('mails each owner once when several dispatch runs start together', async () => {
    const owners = Array.from({ length: 8 }, (_, i) => `racer${i}@example.com`);
    for (const [i, owner] of owners.entries()) {
      await publish(stack, forseti({ project_id: `race-${i}`, project_owner: owner }), { source_type: 'forseti' });
    }
    await ingested(owners.length, 'forseti');
    const summaries = (await Promise.all([1, 2, 3, 4].map(() => dispatch('forseti', at(20 * DAY))))).flat();
    // One run mails; the others find the lease taken, or nothing left to send.
    expect(summaries.map((s) => s.digestsSent).sort()).toEqual([0, 0, 0, owners.length]);
    expect(owners.map((o) => mailsTo(o).length)).toEqual(owners.map(() => 1));
  });
});
