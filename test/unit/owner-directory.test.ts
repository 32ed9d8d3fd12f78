import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwnerDirectory } from '../../lib/owners/directory.ts';
import { loadOwnerDirectory } from '../../lib/sources/index.ts';

const directory = new OwnerDirectory({
  defaultOwner: 'security@example.com',
  defaultOu: 'security',
  rules: [
    { name: 'payments bucket', match: 'projects/pay/bucket/*', owner: 'payments@example.com', ou: 'payments' },
    { name: 'payments', match: 'projects/pay/**', owner: 'pay-platform@example.com' },
    { match: ['example.com', '*.example.com'], owner: 'web@example.com' },
  ],
});

describe('OwnerDirectory', () => {
  it('lists the OUs for coverage: the configured list, or those its rules and default name', () => {
    expect(directory.ous()).toEqual(['payments', 'security']);
    expect(new OwnerDirectory({ defaultOwner: 'security@example.com', ous: ['web', 'finance', 'web'] }).ous()).toEqual(['finance', 'web']);
  });

  it('returns the first matching rule, recording its name and OU', () => {
    expect(directory.resolve('projects/pay/bucket/invoices')).toEqual({ owner: 'payments@example.com', ou: 'payments', rule: 'payments bucket' });
    expect(directory.resolve('projects/pay/project/pay')).toEqual({ owner: 'pay-platform@example.com', ou: undefined, rule: 'payments' });
  });

  it('keeps * within one path segment and lets ** cross segments', () => {
    expect(directory.resolve('projects/pay/bucket/a/b').rule).toBe('payments');
    expect(directory.resolve('projects/payroll/bucket/x').rule).toBe('default');
  });

  it('names an unnamed rule by its patterns and matches hosts case-insensitively', () => {
    expect(directory.resolve('WWW.Example.com')).toEqual({ owner: 'web@example.com', ou: undefined, rule: 'example.com | *.example.com' });
    expect(directory.resolve('example.com.evil.org').rule).toBe('default');
  });

  it('treats pattern characters other than * and ? literally', () => {
    const d = new OwnerDirectory({ defaultOwner: 'd@example.com', rules: [{ match: 'a.b+(c)', owner: 'x@example.com' }] });
    expect(d.resolve('a.b+(c)').owner).toBe('x@example.com');
    expect(d.resolve('aXb+(c)').owner).toBe('d@example.com');
  });

  it('falls back to an owner the alert names, if it is an email address', () => {
    expect(directory.resolve('projects/other/project/x', 'lead@example.com')).toEqual({ owner: 'lead@example.com', rule: 'alert' });
    expect(directory.resolve('projects/other/project/x', 'example-resource-owner')).toEqual({ owner: 'security@example.com', ou: 'security', rule: 'default' });
  });

  it('gives alerts without a resource to the default owner, never dropping them', () => {
    expect(directory.resolve(undefined)).toEqual({ owner: 'security@example.com', ou: 'security', rule: 'default' });
  });

  it('refuses a directory file with a bad owner, naming the file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owners-'));
    const file = join(dir, 'owners.json');
    writeFileSync(file, JSON.stringify({ defaultOwner: 'security@example.com', rules: [{ match: 'x', owner: 'nobody' }] }));
    expect(() => OwnerDirectory.fromFile(file)).toThrow(new RegExp(`invalid owner directory ${file}[\\s\\S]*rules\\[0\\]\\.owner`));
    writeFileSync(file, '{not json');
    expect(() => OwnerDirectory.fromFile(file)).toThrow(/cannot read the owner directory/);
  });

  it('loads the shipped directory, or the file COMET_OWNERS_FILE names', () => {
    expect(loadOwnerDirectory({}).defaultOwner).toBe('security-team@example.com');
    const dir = mkdtempSync(join(tmpdir(), 'owners-'));
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ defaultOwner: 'other@example.com' }));
    expect(loadOwnerDirectory({ COMET_OWNERS_FILE: join(dir, 'o.json') }).defaultOwner).toBe('other@example.com');
  });
});
