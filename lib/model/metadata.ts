import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * What a hydrator tells templates and metrics about an event. The named
 * fields are the original Comet's; a source may add its own scalar fields.
 */
export const eventMetadataSchema = z
  .object({
    /** Organisational unit of the owner: the unit metrics aggregate by. */
    ou: z.string().max(200).optional(),
    sourceReadable: z.string().max(200).optional(),
    /** Stable identifier of the affected resource, e.g. `projects/p/bucket/b`. */
    resource: z.string().max(2000).optional(),
    resourceReadable: z.string().max(2000).optional(),
    issueType: z.string().max(200).optional(),
    issueTypeReadable: z.string().max(2000).optional(),
    severity: z.enum(SEVERITIES).optional(),
  })
  .catchall(z.union([z.string().max(10_000), z.number(), z.boolean(), z.null(), z.undefined()]));

export type EventMetadata = z.infer<typeof eventMetadataSchema>;
