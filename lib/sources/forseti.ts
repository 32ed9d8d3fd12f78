import { z } from 'zod';
import { defineSource } from '../plugin/source.ts';

/** Forseti Security violations, with the original parser's rules. */

/** Each resource Forseti reports on, and the fields its violation_data must carry. */
const REQUIRED_VIOLATION_FIELDS = {
  policy_violations: ['member', 'role'],
  buckets_acl_violations: ['bucket', 'entity', 'role'],
  cloudsql_acl_violations: ['instance_name'],
  bigquery_acl_violations: ['dataset_id'],
} as const;

type ForsetiResource = keyof typeof REQUIRED_VIOLATION_FIELDS;

const RESOURCES = Object.keys(REQUIRED_VIOLATION_FIELDS) as [ForsetiResource, ...ForsetiResource[]];
const RESOURCE_TYPES = ['bucket', 'project', 'cloudsql', 'bigquery_dataset'] as const;

const READABLE_RESOURCE: Record<ForsetiResource, string> = {
  policy_violations: 'IAM policy violation',
  buckets_acl_violations: 'Bucket ACL violation',
  cloudsql_acl_violations: 'Cloud SQL ACL violation',
  bigquery_acl_violations: 'BigQuery dataset ACL violation',
};

/** What to do about each kind of violation, shown under it in mails. */
const INSTRUCTIONS: Record<ForsetiResource, string> = {
  policy_violations: 'Remove the member from the role in the project IAM policy, or grant a narrower role that our policy allows.',
  buckets_acl_violations: 'Remove the entity from the bucket ACL; for public data, serve it through a reviewed public bucket instead.',
  cloudsql_acl_violations: 'Remove the authorized network from the Cloud SQL instance and connect through the Cloud SQL Auth Proxy.',
  bigquery_acl_violations: 'Remove the entry from the dataset ACL, or share the data through an authorized view.',
};

export const forsetiSchema = z
  .looseObject({
    id: z.int(),
    project_id: z.string().min(1),
    project_owner: z.string().nullable(),
    resource: z.enum(RESOURCES),
    resource_id: z.string().min(1),
    resource_type: z.enum(RESOURCE_TYPES),
    violation_data: z.record(z.string(), z.unknown()),
    rule_name: z.string().optional(),
  })
  .superRefine((alert, ctx) => {
    for (const field of REQUIRED_VIOLATION_FIELDS[alert.resource]) {
      if (!(field in alert.violation_data)) {
        ctx.addIssue({
          code: 'custom',
          path: ['violation_data', field],
          message: `${alert.resource} requires the field "${field}" in violation_data`,
        });
      }
    }
  });

export type ForsetiAlert = z.infer<typeof forsetiSchema>;

export default defineSource({
  name: 'forseti',
  schema: forsetiSchema,
  // Forseti numbers violations per scan, so the same violation gets a new id every run.
  ignoreFields: ['id'],
  hydrate(alert, { owners }) {
    const resource = `projects/${alert.project_id}/${alert.resource_type}/${alert.resource_id}`;
    const typeReadable = READABLE_RESOURCE[alert.resource];
    return {
      owner: owners.resolve(resource, alert.project_owner),
      metadata: {
        sourceReadable: 'Forseti Security',
        resource,
        resourceReadable: `${alert.resource_type} ${alert.resource_id} in project ${alert.project_id}`,
        issueType: alert.rule_name ? `${alert.resource}:${alert.rule_name}` : alert.resource,
        issueTypeReadable: alert.rule_name ? `${typeReadable}: ${alert.rule_name}` : typeReadable,
        severity: alert.resource === 'policy_violations' || alert.resource === 'buckets_acl_violations' ? 'high' : 'medium',
      },
    };
  },
  instructions: (metadata) => INSTRUCTIONS[metadata.issueType?.split(':')[0] as ForsetiResource],
  config: {
    waitForMore: '10m',
    maxWait: '1h',
    schedule: '*/10 * * * *',
  },
});
