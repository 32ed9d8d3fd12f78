import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDigest, renderEscalation } from '../../lib/mail/render.ts';
import { MailTemplates, TEMPLATES_DIR } from '../../lib/mail/templates.ts';
import type { DeliveredIssue, Digest, Escalation } from '../../lib/model/delivery.ts';

const XSS = `<script>alert(1)</script><img src=x onerror=alert(2)>"'\`{{constructor}}`;

const issue = (n: number, overrides: Partial<DeliveredIssue> = {}): DeliveredIssue => ({
  fingerprint: `test_${n}`,
  source: 'forseti',
  owner: 'alice@example.com',
  metadata: { issueTypeReadable: `Issue ${n}`, resourceReadable: `resource-${n}`, severity: 'high' },
  firstSeen: new Date('2026-12-01T10:00:00Z'),
  lastSeen: new Date('2026-12-04T10:00:00Z'),
  reason: 'new',
  instructions: undefined,
  actions: [{ action: 'snooze', label: 'Snooze', url: `https://comet.example.com/v0/snooze?token=t${n}` }],
  ...overrides,
});

const digest = (issues: DeliveredIssue[], overrides: Partial<Digest> = {}): Digest => ({
  source: 'forseti',
  sourceReadable: 'Forseti Security',
  owner: 'alice@example.com',
  issues,
  omitted: 0,
  ownerPageUrl: 'https://comet.example.com/v0/issues',
  subject: '{source}: {count} open, {new} new',
  ...overrides,
});

let templates: MailTemplates;
beforeAll(async () => {
  templates = await MailTemplates.load();
});

describe('renderDigest', () => {
  it('lists each issue with its reason, severity, instructions and action links, in HTML and text', () => {
    const mail = renderDigest(templates, digest([issue(1, { instructions: 'Remove the member.' }), issue(2, { reason: 'reminder-due' })]));
    expect(mail).toMatchObject({ to: 'alice@example.com', subject: 'Forseti Security: 2 open, 1 new', category: 'digest' });
    expect(mail.html).toContain('href="https://comet.example.com/v0/snooze?token&#x3D;t1"');
    expect(mail.text).toContain('[New] (high) Issue 1\n  resource-1\n  Remove the member.');
    expect(mail.text).toContain('[Reminder] (high) Issue 2');
    expect(mail.text).toContain('Snooze: https://comet.example.com/v0/snooze?token=t2');
    expect(mail.text.indexOf('Issue 1')).toBeLessThan(mail.text.indexOf('Issue 2'));
  });

  it('says how many issues the cap left out', () => {
    const mail = renderDigest(templates, digest([issue(1)], { omitted: 41 }));
    expect(mail.subject).toBe('Forseti Security: 42 open, 1 new');
    expect(mail.text).toContain('41 more not listed here.');
    expect(mail.html).toContain('41 more not listed here.');
  });

  it('uses a source intro from templates/<source>/intro.hbs, and the default otherwise', () => {
    expect(renderDigest(templates, digest([issue(1)])).text).toContain('Forseti found IAM and ACL settings');
    expect(renderDigest(templates, digest([issue(1)], { source: 'detectify' })).text).toContain('Comet found security issues in resources you own.');
  });

  it('escapes attacker-controlled alert text in the HTML and keeps it out of the headers', () => {
    const hostile = issue(1, {
      fingerprint: 'test_x',
      metadata: { issueTypeReadable: XSS, resourceReadable: XSS, severity: 'high', reportUrl: 'javascript:alert(3)' },
      instructions: XSS,
    });
    const mail = renderDigest(templates, digest([hostile], { sourceReadable: `Scanner\r\nBcc: victim@example.com`, subject: `{source}: {count} issues` }));
    expect(mail.html).not.toMatch(/<script|<img|onerror=alert|javascript:/i);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.subject).toBe('Scanner Bcc: victim@example.com: 1 issues');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    // Plain text shows the text as it is: nothing renders it.
    expect(mail.text).toContain(XSS);
    expect(mail.text).not.toContain('javascript:');
  });

  it('turns only web links from alert text into a details link', () => {
    const mail = renderDigest(templates, digest([issue(1, { metadata: { issueTypeReadable: 'x', reportUrl: 'https://detectify.com/report/1' } })]));
    expect(mail.html).toContain('href="https://detectify.com/report/1"');
  });
});

describe('renderEscalation', () => {
  const escalation = (overrides: Partial<Escalation> = {}): Escalation => ({
    source: 'riskytoaster',
    sourceReadable: 'Risky Toaster Alerting',
    recipient: 'secteam@example.com',
    issues: [
      { ...issue(1), owner: 'bob@example.com', reason: 'escalation-due', firstEscalation: true },
      { ...issue(2), reason: 'owner-escalated', firstEscalation: false },
    ],
    omitted: 0,
    ...overrides,
  });

  it('names each issue, its owner, and whether it was escalated before', () => {
    const mail = renderEscalation(templates, escalation());
    expect(mail).toMatchObject({ to: 'secteam@example.com', subject: 'Escalation: 2 unaddressed issues from Risky Toaster Alerting', category: 'escalation' });
    expect(mail.text).toContain('[Unaddressed] (high) Issue 1\n  resource-1\n  Owner: bob@example.com');
    expect(mail.text).toContain('[Escalated by its owner (again)] (high) Issue 2');
  });

  it('escapes attacker-controlled text', () => {
    const mail = renderEscalation(templates, escalation({ sourceReadable: XSS }));
    expect(mail.html).not.toMatch(/<script|<img/i);
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe('MailTemplates', () => {
  it('fails at load, naming the file, when a template is not valid MJML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    for (const file of readdirSync(TEMPLATES_DIR).filter((f) => f.includes('.'))) writeFileSync(join(dir, file), readFileSync(join(TEMPLATES_DIR, file)));
    mkdirSync(join(dir, 'riskytoaster'));
    writeFileSync(join(dir, 'digest.mjml'), '<mjml><mj-body><mj-spacer /></mj-body></mjml>');
    await expect(MailTemplates.load(dir)).rejects.toThrow(/templates\/digest\.mjml: .*mj-spacer/);
  });
});
