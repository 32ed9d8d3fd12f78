import { firestoreFor, startStack } from '../../support/harness.ts';
import { countOf, dispatchAt, forsetiAlert, issueOwners, listings, mailsPerRecipient, pendingEvents, publishAll, range, untilSettled, WITHOUT_FLOOD_GUARD } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

/** Cloud Scheduler may fire twice, or an operator may run dispatch by hand during a scheduled run. */
export const concurrentDispatch: Scenario<{ events: number; owners: number; runs: number }> = {
  name: 'concurrent dispatch',
  claim: 'gives exactly one mail per owner when several dispatch runs start together over one backlog',
  sizes: { test: { events: 120, owners: 12, runs: 4 }, soak: { events: 5_000, owners: 500, runs: 4 } },
  async run(emulators, { events, owners, runs }) {
    const stack = await startStack(emulators, 'concurrent', WITHOUT_FLOOD_GUARD);
    const db = firestoreFor(stack);
    try {
      const ids = await publishAll(stack, range(events).map((i) => forsetiAlert(i, `owner-${i % owners}@example.com`)));
      await untilSettled(stack, ids);
      const at = new Date(Date.now() + 86_400_000);
      const summaries = await Promise.all(range(runs).map(() => dispatchAt(stack, 'forseti', at)));
      const perOwner = mailsPerRecipient(stack);
      const listed = listings(stack, await issueOwners(db));
      const mailedOnce = countOf(perOwner.values(), (n) => n === 1);
      const listedOnce = countOf(listed.values(), (n) => n === 1);
      return {
        tried: `${runs} dispatch runs started together over ${events} pending events for ${owners} owners`,
        checks: [
          check('runs that mailed', 1, countOf(summaries, (s) => s.digestsSent > 0)),
          check('owners mailed once', owners, mailedOnce),
          check('issues listed once', events, listedOnce),
          check('events left pending', 0, await pendingEvents(db, 'forseti')),
        ],
        lost: Math.abs(owners - perOwner.size) + (perOwner.size - mailedOnce) + (events - listedOnce),
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
