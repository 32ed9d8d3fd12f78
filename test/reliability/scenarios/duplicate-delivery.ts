import { firestoreFor, startStack } from '../../support/harness.ts';
import { count, countOf, dispatchUntilDrained, forsetiAlert, issueOwners, listings, mailsPerRecipient, publishAll, range, untilSettled, WITHOUT_FLOOD_GUARD } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

/** Pub/Sub delivers at least once: the same alert twice must be one event, and one line in one mail. */
export const duplicateDelivery: Scenario<{ alerts: number; owners: number }> = {
  name: 'duplicate delivery',
  claim: "gives one event per alert published twice, and each owner's mail lists each issue once",
  sizes: { test: { alerts: 40, owners: 5 }, soak: { alerts: 1_000, owners: 100 } },
  async run(emulators, { alerts, owners }) {
    const stack = await startStack(emulators, 'duplicates', WITHOUT_FLOOD_GUARD);
    const db = firestoreFor(stack);
    try {
      const messages = range(alerts).map((i) => forsetiAlert(i, `owner-${i % owners}@example.com`));
      // Both copies at once, so that the second often arrives while the first is being written.
      const ids = await publishAll(stack, messages.flatMap((m) => [m, m]));
      const settled = await untilSettled(stack, ids);
      const events = await count(db.collection('events'));
      await dispatchUntilDrained(stack, db, 'forseti');
      const issues = await issueOwners(db);
      const listed = listings(stack, issues);
      const perOwner = mailsPerRecipient(stack);
      const listedOnce = countOf(listed.values(), (n) => n === 1);
      const mailedOnce = countOf(perOwner.values(), (n) => n === 1);
      return {
        tried: `${alerts} alerts for ${owners} owners, each published twice (${ids.length} messages)`,
        checks: [
          check('messages settled once', ids.length, countOf(ids, (id) => settled.get(id) === 1)),
          check('events', alerts, events),
          check('issues', alerts, issues.size),
          check('owners mailed once', owners, mailedOnce),
          check('issues listed once', alerts, listedOnce),
        ],
        lost: Math.abs(alerts - events) + (alerts - listedOnce) + Math.abs(owners - perOwner.size) + (perOwner.size - mailedOnce),
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
