import { z } from 'zod';
import { SEVERITIES, type Severity } from '../model/metadata.ts';
import { defineSource } from '../plugin/source.ts';

/** Detectify web scan findings, delivered with the finding nested in `payload`. */

const referenceSchema = z.looseObject({
  uuid: z.string().optional(),
  link: z.string().optional(),
  name: z.string().optional(),
  source: z.string().optional(),
});

const definitionSchema = z.looseObject({
  uuid: z.string().optional(),
  description: z.string(),
  risk: z.string().optional(),
  references: z.array(referenceSchema).optional(),
});

const payloadSchema = z.looseObject({
  uuid: z.string().optional(),
  report_token: z.string(),
  scan_profile_token: z.string().optional(),
  signature: z.string(),
  url: z.string(),
  title: z.string(),
  found_at: z.string().min(1),
  timestamp: z.string().optional(),
  definition: definitionSchema,
  tags: z.array(z.looseObject({ type: z.string().optional(), value: z.string().optional() })).optional(),
});

export const detectifySchema = z.looseObject({
  domain: z.string().min(1),
  profile_token: z.string(),
  scan_token: z.string(),
  score: z.number().optional(),
  payload: payloadSchema,
});

export type DetectifyAlert = z.infer<typeof detectifySchema>;

/** The host of a finding's location, which may be a bare host or a URL. */
function hostOf(foundAt: string): string {
  try {
    return new URL(foundAt).hostname || foundAt;
  } catch {
    return foundAt.split('/')[0] ?? foundAt;
  }
}

function severityOf(alert: DetectifyAlert): Severity | undefined {
  const tag = alert.payload.tags?.map((t) => t.value?.toLowerCase()).find((v) => SEVERITIES.includes(v as Severity));
  return tag as Severity | undefined;
}

export default defineSource({
  name: 'detectify',
  schema: detectifySchema,
  // Per-scan tokens, ids and timestamps: a finding seen again in the next scan keeps its fingerprint.
  ignoreFields: [
    'scan_token',
    ['payload', 'uuid'],
    ['payload', 'report_token'],
    ['payload', 'timestamp'],
    ['payload', 'url'],
    ['payload', 'score'],
  ],
  hydrate(alert, { owners }) {
    const host = hostOf(alert.payload.found_at);
    return {
      owner: owners.resolve(host),
      metadata: {
        sourceReadable: 'Detectify',
        resource: host,
        resourceReadable: alert.payload.found_at,
        issueType: alert.payload.title,
        issueTypeReadable: alert.payload.title,
        severity: severityOf(alert),
        description: alert.payload.definition.description,
        risk: alert.payload.definition.risk ?? null,
        reportUrl: alert.payload.url,
      },
    };
  },
  // Detectify explains each finding's risk; the fix is in the linked report.
  instructions: (metadata) => (typeof metadata.risk === 'string' ? `Risk: ${metadata.risk} The report linked below explains the fix.` : undefined),
  config: {
    waitForMore: '30m',
    maxWait: '4h',
    schedule: '*/15 * * * *',
  },
});
