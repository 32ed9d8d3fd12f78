import { expect, it } from 'vitest';
import { createLogger } from '../../lib/util/log.ts';

it('writes one JSON object per line with the severity and fields Cloud Logging reads', () => {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line)).with({ messageId: '7', source_type: 'forseti' });
  log.warning('alert refused', { fingerprint: 'forseti_x', error: new Error('boom') });
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0] as string);
  expect(entry).toMatchObject({ severity: 'WARNING', message: 'alert refused', messageId: '7', source_type: 'forseti', fingerprint: 'forseti_x' });
  expect(entry.error).toMatchObject({ name: 'Error', message: 'boom' });
  expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
});
