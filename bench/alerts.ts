import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real-looking alerts from the three shipped sources, varied the way scans vary. */
const sample = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'emulator', 'samples', `${name}.json`), 'utf8')) as Record<string, unknown>;
const forseti = sample('forseti');
const detectify = sample('detectify');
const toaster = sample('riskytoaster');

export interface GeneratedAlert {
  source: string;
  body: string;
}

/** The i-th alert of a mixed burst; `owners` distinct forseti project owners. */
export function alert(i: number, owners = 1000): GeneratedAlert {
  switch (i % 3) {
    case 0:
      return {
        source: 'forseti',
        body: JSON.stringify({
          ...forseti,
          id: i,
          project_id: `project-${i % 5000}`,
          project_owner: `owner-${i % owners}@example.com`,
          resource_id: `resource-${i}`,
          violation_data: { member: `user:dev${i}@example.com`, role: i % 2 ? 'roles/owner' : 'roles/editor' },
        }),
      };
    case 1: {
      const payload = detectify.payload as Record<string, unknown>;
      return {
        source: 'detectify',
        body: JSON.stringify({ ...detectify, domain: `site${i % 2000}.example.com`, payload: { ...payload, found_at: `https://site${i % 2000}.example.com/page/${i}`, uuid: `uuid-${i}`, signature: `sig-${i}` } }),
      };
    }
    default:
      return { source: 'riskytoaster', body: JSON.stringify({ ...toaster, toaster_id: `t${i}`, toaster_location_floor: i % 12, comment: `Default level set to ${6 + (i % 4)}.` }) };
  }
}
