import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderDigest } from '../lib/mail/render.ts';
import { compileMjml, MAIL_TEMPLATES, MailTemplates } from '../lib/mail/templates.ts';
import type { DeliveredIssue, Digest } from '../lib/model/delivery.ts';
import type { Figure } from './stats.ts';

/** 1,000 digests of 20 issues each, after the one-time template compile. */
export async function benchRender(digests = 1_000, issuesEach = 20): Promise<Figure[]> {
  // As deployed: MJML compiled by `npm run build`, Handlebars compiled here.
  const built = join(import.meta.dirname, '..', 'dist', 'templates');
  const t0 = performance.now();
  const templates = await MailTemplates.load(existsSync(join(built, 'digest.html')) ? built : undefined);
  const compileMs = performance.now() - t0;
  const issue = (d: number, i: number): DeliveredIssue => ({
    fingerprint: `forseti_${d}_${i}`,
    source: 'forseti',
    owner: `owner-${d}@example.com`,
    metadata: { issueTypeReadable: `IAM policy violation ${i} <b>`, resourceReadable: `project p-${d} resource r-${i}`, severity: 'high', sourceReadable: 'Forseti Security' },
    firstSeen: new Date(),
    lastSeen: new Date(),
    reason: i < 5 ? 'new' : 'open',
    instructions: 'Remove the member from the role in the project IAM policy.',
    actions: ['snooze', 'falsepositive', 'acceptrisk'].map((a) => ({ action: a as 'snooze', label: a, url: `https://comet.example.com/v0/${a}?token=${'x'.repeat(180)}` })),
  });
  const all: Digest[] = Array.from({ length: digests }, (_, d) => ({
    source: 'forseti',
    sourceReadable: 'Forseti Security',
    owner: `owner-${d}@example.com`,
    issues: Array.from({ length: issuesEach }, (_, i) => issue(d, i)),
    omitted: 0,
    ownerPageUrl: 'https://comet.example.com/v0/issues',
    subject: '{source}: {count} open security issues for you, {new} new',
  }));
  const m0 = performance.now();
  for (const name of MAIL_TEMPLATES) await compileMjml(join(import.meta.dirname, '..', 'templates'), name);
  const mjmlMs = performance.now() - m0;
  for (const d of all.slice(0, 50)) renderDigest(templates, d);
  const start = performance.now();
  let bytes = 0;
  for (const d of all) bytes += renderDigest(templates, d).html.length;
  const perDigest = (performance.now() - start) / digests;
  return [
    { benchmark: 'mail rendering', figure: 'MJML to HTML, once per build (with MJML import)', value: mjmlMs, unit: 'ms' },
    { benchmark: 'mail rendering', figure: 'template load, once per instance', value: compileMs, unit: 'ms' },
    { benchmark: 'mail rendering', figure: `per digest of ${issuesEach} issues (HTML + text)`, value: perDigest, unit: 'ms', target: '< 0.5', met: perDigest < 0.5 },
    { benchmark: 'mail rendering', figure: 'HTML size per digest', value: bytes / digests / 1024, unit: 'KiB' },
  ];
}
