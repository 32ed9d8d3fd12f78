import { firestoreFor, startStack } from '../../support/harness.ts';
import { countOf, dispatchUntilDrained, forsetiAlert, issueOwners, listings, mailsPerRecipient, publishAll, range, untilSettled, WITHOUT_FLOOD_GUARD } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

/** SendGrid fails 30% of sends: each digest still arrives once, and nothing is marked sent that SendGrid did not accept. */
export const mailOutage: Scenario<{ owners: number; issuesPerOwner: number; failureRate: number }> = {
  name: 'mail outage',
  claim: 'delivers every digest exactly once through a mail service failing 30% of sends, marking sent only what it accepted',
  sizes: { test: { owners: 16, issuesPerOwner: 2, failureRate: 0.3 }, soak: { owners: 300, issuesPerOwner: 3, failureRate: 0.3 } },
  async run(emulators, { owners, issuesPerOwner, failureRate }) {
    // Timeouts hang for 3 s; dispatch gives up on a send after 1 s.
    const stack = await startStack(emulators, 'mail-outage', { ...WITHOUT_FLOOD_GUARD, COMET_MAIL_TIMEOUT: '1s' });
    const db = firestoreFor(stack);
    try {
      const alerts = owners * issuesPerOwner;
      const ids = await publishAll(stack, range(alerts).map((i) => forsetiAlert(i, `owner-${i % owners}@example.com`)));
      await untilSettled(stack, ids);
      stack.sink.setFailures({ rate: failureRate, modes: ['server-error', 'rate-limit', 'timeout'], seed: 7 });
      const runs = await dispatchUntilDrained(stack, db, 'forseti');
      stack.sink.setFailures({ rate: 0, modes: [] });

      const issues = await issueOwners(db);
      const listed = listings(stack, issues);
      const perOwner = mailsPerRecipient(stack);
      // Every event marked sent must be listed in a mail the sink accepted (the sink keeps only those).
      const sent = await db.collection('events').where('sentAt', '!=', null).select('fingerprint').get();
      const sentWithoutMail = countOf(sent.docs, (d) => (listed.get(d.get('fingerprint') as string) ?? 0) === 0);
      const attempts = stack.sink.attempts();
      const failedSends = attempts - stack.sink.mails().length;
      const mailedOnce = countOf(perOwner.values(), (n) => n === 1);
      return {
        tried: `${owners} digests of ${issuesPerOwner} issues through a mail service failing ${failureRate * 100}% of sends (5xx, 429, timeouts): ${failedSends} of ${attempts} failed, over ${runs} dispatch runs`,
        checks: [
          check('owners mailed once', owners, mailedOnce),
          check('issues listed once', alerts, countOf(listed.values(), (n) => n === 1)),
          check('events marked sent', alerts, sent.size),
          check('marked sent without an accepted mail', 0, sentWithoutMail),
          check('failed sends tried again', true, failedSends > 0),
        ],
        lost: Math.abs(owners - perOwner.size) + (perOwner.size - mailedOnce) + sentWithoutMail,
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
