import { z } from 'zod';
import { PermanentHydrationError } from '../ingest/refusal.ts';
import { defineSource } from '../plugin/source.ts';

/**
 * The README's example: smart toasters that report a risky default heat
 * level. Every floor's toasters have an owner in the owner directory.
 */

export const riskyToasterSchema = z.object({
  toaster_id: z.string().min(1),
  toaster_location_floor: z.int(),
  alert_type: z.string().min(1),
  comment: z.string().optional(),
});

export type RiskyToasterAlert = z.infer<typeof riskyToasterSchema>;

/** The office has a basement (floor -1) and floors 0 to 12. */
const FLOORS = { lowest: -1, highest: 12 };

const ISSUE_TYPES: Record<string, string> = {
  'high-default-level': 'Toaster with high default level found.',
};

export default defineSource({
  name: 'riskytoaster',
  schema: riskyToasterSchema,
  hydrate(alert, { owners }) {
    const floor = alert.toaster_location_floor;
    if (floor < FLOORS.lowest || floor > FLOORS.highest) {
      // Well-formed, but no toaster can be there: a misconfigured toaster that retrying will not fix.
      throw new PermanentHydrationError(`toaster ${alert.toaster_id} reports floor ${floor}, which this building does not have`);
    }
    return {
      owner: owners.resolve(`toasters/floor-${alert.toaster_location_floor}/${alert.toaster_id}`),
      // One issue per toaster and problem, whatever the comment says this time.
      fingerprint: `riskytoaster_${alert.toaster_id}_${alert.alert_type}`.replace(/[^a-zA-Z0-9._-]/g, '-'),
      metadata: {
        sourceReadable: 'Risky Toaster Alerting',
        resource: alert.toaster_id,
        resourceReadable: `Toaster ${alert.toaster_id} on floor ${alert.toaster_location_floor}`,
        issueType: alert.alert_type,
        issueTypeReadable: ISSUE_TYPES[alert.alert_type] ?? 'Risky toaster found.',
        severity: 'low',
      },
    };
  },
  instructions: () => 'Set the default heat level to 5 or lower in the toaster settings, unless someone on your floor really needs it higher.',
  // Toasters announce their weekly self-test on the same topic; nobody needs mail about it.
  filter: (event) => event.alert.alert_type !== 'self-test',
  config: {
    communicationDigestMode: true,
    waitForMore: '1m',
    maxWait: '10m',
    newThreshold: '7d',
    ownerReminderCadence: '7d',
    escalationRecipient: 'facilities-security@example.com',
    escalationTime: '3d',
    schedule: '* * * * *',
  },
});
