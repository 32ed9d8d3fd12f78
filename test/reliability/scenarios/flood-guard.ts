import { LOCAL_SECURITY_TEAM } from '../../../emulator/local-stack.ts';
import { firestoreFor, startStack, type TestStack } from '../../support/harness.ts';
import { countOf, dispatchAt, forsetiAlert, issueOwners, listings, mailsPerRecipient, pendingEvents, publishAll, range, untilSettled } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

const HOUR = 3_600_000;

async function api(stack: TestStack, method: 'GET' | 'POST', path: string, user: string, body: object = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.api.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-comet-user': user }, body: method === 'POST' ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * A source's usual batch goes out; then one scan opens far more new issues
 * than usual. That batch is held, the security team gets one alert, and one
 * API call by a member releases it to the owners.
 */
export const floodGuard: Scenario<{ usual: number; flood: number; owners: number; minNewIssues: number }> = {
  name: 'flood guard',
  claim: 'holds a scan opening 10x the usual new issues, alerts the security team once, and mails the owners after one release call, or no one after a discard',
  sizes: { test: { usual: 4, flood: 60, owners: 12, minNewIssues: 20 }, soak: { usual: 50, flood: 2_000, owners: 200, minNewIssues: 100 } },
  async run(emulators, { usual, flood, owners, minNewIssues }) {
    const stack = await startStack(emulators, 'flood', { COMET_SOURCE_CONFIG: JSON.stringify({ forseti: { floodGuard: { minNewIssues, factor: 10 } } }) });
    const db = firestoreFor(stack);
    const at = (hours: number) => new Date(Date.now() + 24 * HOUR + hours * HOUR);
    try {
      await untilSettled(stack, await publishAll(stack, range(usual).map((i) => forsetiAlert(i, `usual-${i}@example.com`))));
      const usualRun = await dispatchAt(stack, 'forseti', at(0));
      const usualMails = stack.sink.mails().length;

      const ids = await publishAll(stack, range(flood).map((i) => forsetiAlert(usual + i, `owner-${i % owners}@example.com`)));
      await untilSettled(stack, ids);
      const held = await dispatchAt(stack, 'forseti', at(1));
      const heldAgain = await dispatchAt(stack, 'forseti', at(2));
      const mailsWhileHeld = stack.sink.mails().slice(usualMails);
      const alerts = mailsWhileHeld.filter((m) => m.to.includes(LOCAL_SECURITY_TEAM));

      const asOwner = await api(stack, 'GET', '/v0/floods', 'owner-0@example.com');
      const listed = await api(stack, 'GET', '/v0/floods', LOCAL_SECURITY_TEAM);
      const ownerRelease = await api(stack, 'POST', '/v0/floods/forseti/release', 'owner-0@example.com');
      const release = await api(stack, 'POST', '/v0/floods/forseti/release', LOCAL_SECURITY_TEAM);
      const releaseAgain = await api(stack, 'POST', '/v0/floods/forseti/release', LOCAL_SECURITY_TEAM);
      await dispatchAt(stack, 'forseti', at(3));
      const after = await api(stack, 'GET', '/v0/floods', LOCAL_SECURITY_TEAM);
      const mailsAfterRelease = stack.sink.mails().length;

      // A second scan like it turns out bogus: discarded, it is settled without a mail to anyone but the security team.
      const bogus = await publishAll(stack, range(flood).map((i) => forsetiAlert(usual + flood + i, `bogus-${i % owners}@example.com`)));
      await untilSettled(stack, bogus);
      const heldBogus = await dispatchAt(stack, 'forseti', at(4));
      const discard = await api(stack, 'POST', '/v0/floods/forseti/release', LOCAL_SECURITY_TEAM, { discard: true });
      const discarded = await dispatchAt(stack, 'forseti', at(5));
      const mailsAfterDiscard = stack.sink.mails().slice(mailsAfterRelease);

      const perRecipient = mailsPerRecipient(stack);
      const floodOwners = range(owners).map((i) => `owner-${i}@example.com`);
      const floodIssues = new Map([...(await issueOwners(db))].filter(([, owner]) => owner.startsWith('owner-')));
      const listedOnce = countOf(listings(stack, floodIssues).values(), (n) => n === 1);
      const hold = (listed.body.floods as { newIssues?: number }[] | undefined)?.[0];
      return {
        tried: `a usual batch of ${usual} new issues, then one of ${flood} for ${owners} owners (limit ${Math.max(minNewIssues, 10 * usual)})`,
        checks: [
          check('usual batch mailed', `dispatched, ${usual}`, `${usualRun.status}, ${usualRun.digestsSent}`),
          check('flood held, twice', 'held, held', `${held.status}, ${heldAgain.status}`),
          check('owner mails while held', 0, mailsWhileHeld.length - alerts.length),
          check('security team alerts', 1, alerts.length),
          check('new issues in the hold', flood, hold?.newIssues ?? 0),
          check('list and release by an owner', '403, 403', `${asOwner.status}, ${ownerRelease.status}`),
          check('release, and again', '200, 409', `${release.status}, ${releaseAgain.status}`),
          check('owners mailed once after release', owners, countOf(floodOwners, (o) => perRecipient.get(o) === 1)),
          check('flood issues listed once', flood, listedOnce),
          check('holds left', 0, (after.body.floods as unknown[]).length),
          check('bogus scan held, discarded', 'held, 200', `${heldBogus.status}, ${discard.status}`),
          check('bogus issues settled without mail', flood, discarded.held['flood-discarded'] ?? 0),
          check('mails after the bogus scan', 'one to the security team', mailsAfterDiscard.map((m) => (m.to.includes(LOCAL_SECURITY_TEAM) ? 'one to the security team' : m.to.join())).join('; ')),
          check('events left pending', 0, await pendingEvents(db, 'forseti')),
        ],
        lost: flood - listedOnce + (mailsWhileHeld.length - alerts.length) + Math.abs(1 - alerts.length),
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
