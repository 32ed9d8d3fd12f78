import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/model/json.ts';
import type { Source } from '../../lib/plugin/source.ts';
import detectify from '../../lib/sources/detectify.ts';
import forseti from '../../lib/sources/forseti.ts';
import { loadOwnerDirectory } from '../../lib/sources/index.ts';
import riskyToaster from '../../lib/sources/riskytoaster.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'emulator', 'samples');
const REFERENCE = join(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'test-alerts');
const sample = (name: string) => JSON.parse(readFileSync(join(SAMPLES, `${name}.json`), 'utf8')) as JsonObject;
const owners = loadOwnerDirectory({});
const sources: Record<string, Source> = { forseti, detectify, riskytoaster: riskyToaster };

/** The paths of the schema's complaints, or [] if it accepts the alert. */
const problems = (source: Source, alert: JsonObject) => {
  const result = source.parse(alert);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('shipped samples', () => {
  it.each(readdirSync(SAMPLES).map((f) => f.replace('.json', '')))('%s parses with its own source', (name) => {
    expect(problems(sources[name] as Source, sample(name))).toEqual([]);
  });

  it.runIf(existsSync(REFERENCE))('are the reference test alerts, unchanged', () => {
    for (const file of readdirSync(REFERENCE)) {
      expect(readFileSync(join(SAMPLES, file), 'utf8')).toBe(readFileSync(join(REFERENCE, file), 'utf8'));
    }
  });
});

describe('forseti', () => {
  const alert = sample('forseti');

  it.each([
    ['policy_violations', { member: 'user:a@example.com', role: 'roles/owner' }],
    ['buckets_acl_violations', { bucket: 'b', entity: 'allUsers', role: 'READER' }],
    ['cloudsql_acl_violations', { instance_name: 'db' }],
    ['bigquery_acl_violations', { dataset_id: 'ds' }],
  ])('accepts %s with its required violation_data fields', (resource, violationData) => {
    expect(problems(forseti, { ...alert, resource, violation_data: violationData })).toEqual([]);
  });

  it('requires the resource-specific fields in violation_data', () => {
    expect(problems(forseti, { ...alert, resource: 'buckets_acl_violations', violation_data: { bucket: 'b' } })).toEqual([
      'violation_data.entity',
      'violation_data.role',
    ]);
  });

  it('accepts only the supported resources and resource types', () => {
    expect(problems(forseti, { ...alert, resource: 'firewall_violations' })).toEqual(['resource']);
    expect(problems(forseti, { ...alert, resource_type: 'organization' })).toEqual(['resource_type']);
  });

  it('requires its fields with their types, allowing a null project owner', () => {
    const { project_id: _dropped, ...withoutProject } = alert;
    expect(problems(forseti, withoutProject)).toEqual(['project_id']);
    expect(problems(forseti, { ...alert, id: '3' })).toEqual(['id']);
    expect(problems(forseti, { ...alert, project_owner: null })).toEqual([]);
  });

  it('hydrates owner, resource and issue type from the directory and the alert', async () => {
    const parsed = forseti.parse(alert);
    expect(parsed.success).toBe(true);
    const hydration = await forseti.hydrate(parsed.data as object, { owners });
    expect(hydration.owner).toEqual({ owner: 'cloud-platform@example.com', ou: 'infrastructure', rule: 'comet-test project' });
    expect(hydration.metadata).toEqual({
      sourceReadable: 'Forseti Security',
      resource: 'projects/comet-test/project/test-resource-id',
      resourceReadable: 'project test-resource-id in project comet-test',
      issueType: 'policy_violations:IAM whitelist roles',
      issueTypeReadable: 'IAM policy violation: IAM whitelist roles',
      severity: 'high',
    });
  });

  it("uses the alert's project owner when no rule matches and it is an email", async () => {
    const other = forseti.parse({ ...alert, project_id: 'elsewhere', project_owner: 'lead@example.com' });
    expect((await forseti.hydrate(other.data as object, { owners })).owner).toEqual({ owner: 'lead@example.com', rule: 'alert' });
  });
});

describe('detectify', () => {
  const alert = sample('detectify');
  const payload = alert.payload as JsonObject;

  it('requires the nested payload and its definition', () => {
    const { payload: _dropped, ...withoutPayload } = alert;
    expect(problems(detectify, withoutPayload)).toEqual(['payload']);
    const { title: _title, ...withoutTitle } = payload;
    expect(problems(detectify, { ...alert, payload: withoutTitle })).toEqual(['payload.title']);
    expect(problems(detectify, { ...alert, payload: { ...payload, definition: { risk: 'x' } } })).toEqual(['payload.definition.description']);
    expect(problems(detectify, { ...alert, payload: { ...payload, definition: { description: 'd', references: [{ link: 1 }] } } })).toEqual([
      'payload.definition.references.0.link',
    ]);
  });

  it('hydrates the host, title, severity tag and report link', async () => {
    const hydration = await detectify.hydrate(detectify.parse(alert).data as object, { owners });
    expect(hydration.owner).toEqual({ owner: 'web-team@example.com', ou: 'web', rule: 'public web sites' });
    expect(hydration.metadata).toMatchObject({ resource: 'example.com', issueType: 'Email Spoofing / Missing SPF Record', severity: 'high' });
  });

  it('takes the host of a finding found at a URL', async () => {
    const atUrl = { ...alert, payload: { ...payload, found_at: 'https://shop.example.com/cart?id=1' } };
    const hydration = await detectify.hydrate(detectify.parse(atUrl).data as object, { owners });
    expect(hydration.metadata.resource).toBe('shop.example.com');
    expect(hydration.metadata.resourceReadable).toBe('https://shop.example.com/cart?id=1');
  });
});

describe('riskytoaster', () => {
  const alert = sample('riskytoaster');

  it('requires an integer floor', () => {
    expect(problems(riskyToaster, { ...alert, toaster_location_floor: 'one' })).toEqual(['toaster_location_floor']);
    expect(problems(riskyToaster, { ...alert, toaster_location_floor: 1.5 })).toEqual(['toaster_location_floor']);
  });

  it("gives the floor's toasters to their owner, with a readable fingerprint", async () => {
    const hydration = await riskyToaster.hydrate(riskyToaster.parse(alert).data as object, { owners });
    expect(hydration.owner).toEqual({ owner: 'floor1-toasters@example.com', ou: 'facilities', rule: 'toasters on floor 1' });
    expect(hydration.fingerprint).toBe('riskytoaster_t7942_high-default-level');
    expect(hydration.metadata.issueTypeReadable).toBe('Toaster with high default level found.');
  });

  it('refuses, permanently, a floor the building does not have', async () => {
    const parsed = riskyToaster.parse({ ...alert, toaster_location_floor: 99 }).data as object;
    await expect(async () => riskyToaster.hydrate(parsed, { owners })).rejects.toThrow(/floor 99, which this building does not have/);
  });
});
