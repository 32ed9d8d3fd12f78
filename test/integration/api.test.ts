import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../lib/links/token.ts';
import { LOCAL_SECURITY_TEAM } from '../../emulator/local-stack.ts';
import { describeWithEmulators, eventually, firestoreFor, publish, sample, startTestStack, type TestStack } from '../support/stack.ts';

const DAY = 86_400_000;
const OWNER = 'cloud-platform@example.com';
const FORSETI = 'forseti_0f870800775a6fabb3561b9c701fa29d';
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** The v0 API served by functions-framework, on the Firestore emulator. */
describeWithEmulators('the v0 API', () => {
  let stack: TestStack;
  let db: Firestore;
  let detectifyFingerprint: string;

  beforeAll(async () => {
    stack = await startTestStack('api');
    db = firestoreFor(stack);
    await publish(stack, sample('forseti'), { source_type: 'forseti' });
    const hostile = JSON.parse(sample('detectify'));
    hostile.payload.title = XSS;
    hostile.payload.found_at = 'www.example.com';
    await publish(stack, JSON.stringify(hostile), { source_type: 'detectify' });
    const issues = await eventually('both issues', async () => {
      const snap = await db.collection('issues').get();
      return snap.size >= 2 ? snap.docs : undefined;
    });
    detectifyFingerprint = issues.map((d) => d.id).find((id) => id.startsWith('detectify_'))!;
  });
  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
  });

  const url = (path: string) => `${stack.api.url}${path}`;
  const issue = async (fp = FORSETI) => (await db.collection('issues').doc(fp).get()).data();
  const token = (action: string, overrides: { fingerprint?: string; expiresAt?: Date; secret?: string } = {}) =>
    signLink(
      { fingerprint: overrides.fingerprint ?? FORSETI, action: action as 'snooze', recipient: OWNER, expiresAt: overrides.expiresAt ?? new Date(Date.now() + DAY) },
      overrides.secret ?? stack.linkSecret,
    );
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  const asOwner = (owner = OWNER) => ({ 'x-comet-user': owner });
  const json = (path: string, body: unknown, headers: Record<string, string> = asOwner()) =>
    fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  describe('health', () => {
    it('answers /v0/ and checks storage at /v0/dbcheck', async () => {
      expect(await (await fetch(url('/v0/'))).text()).toBe('Comet-API-v0');
      const check = await fetch(url('/v0/dbcheck'));
      expect(check.status).toBe(200);
    });

    it('answers unknown routes with a 404 and no stack trace', async () => {
      const res = await fetch(url('/v0/nope'));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'no route GET /v0/nope' });
    });
  });

  describe('mail links', () => {
    it('shows a confirmation page on GET and changes nothing, however often a scanner opens it', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url(`/v0/snooze?token=${token('snooze')}`));
        expect(res.status).toBe(200);
        const page = await res.text();
        expect(page).toContain('<form method="post" action="/v0/snooze"');
        expect(page).toContain('IAM policy violation: IAM whitelist roles');
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      }
      expect((await issue())?.ignore).toBeUndefined();
      expect((await db.collection('interactions').get()).size).toBe(0);
    });

    it.each([
      ['forged', () => token('snooze', { secret: 'not-the-secret' }), '/v0/snooze'],
      ['expired', () => token('snooze', { expiresAt: new Date(Date.now() - 1000) }), '/v0/snooze'],
      ['for another action', () => token('snooze'), '/v0/acceptrisk'],
      ['tampered with', () => `${token('snooze').slice(0, -3)}abc`, '/v0/snooze'],
    ])('refuses a %s token with a 403 page, on GET and POST, changing nothing', async (_what, make, path) => {
      const get = await fetch(url(`${path}?token=${make()}`), { headers: { accept: 'text/html' } });
      expect(get.status).toBe(403);
      expect(await get.text()).toContain('Nothing was changed.');
      const post = await form(path, { token: make(), days: '7' });
      expect(post.status).toBe(403);
      expect((await issue())?.ignore).toBeUndefined();
    });

    it('snoozes on the confirmation POST, and the audit trail shows who did it and until when', async () => {
      const before = Date.now();
      const res = await form('/v0/snooze', { token: token('snooze'), days: '30' }, { 'user-agent': 'test-browser' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Done: snooze until');
      const state = await issue();
      expect(state?.ignore).toMatchObject({ state: 'snoozed', by: OWNER });
      expect(state?.ignore.until.toMillis()).toBeGreaterThanOrEqual(before + 30 * DAY);

      const trail = await fetch(url(`/v0/interactions?fingerprint=${FORSETI}`), { headers: asOwner() });
      const { interactions } = (await trail.json()) as { interactions: Record<string, unknown>[] };
      expect(interactions).toEqual([expect.objectContaining({ action: 'snooze', actor: OWNER, via: 'link', userAgent: 'test-browser', reason: null })]);
      expect(Date.parse(interactions[0]!.until as string)).toBe(state?.ignore.until.toMillis());
    });

    it('refuses a snooze length other than 1, 7 or 30 days, or a date in the past', async () => {
      expect((await form('/v0/snooze', { token: token('snooze'), days: '3' })).status).toBe(400);
      expect((await form('/v0/snooze', { token: token('snooze'), until: '2020-01-01' })).status).toBe(400);
    });
  });

  describe('authenticated routes', () => {
    it('refuse callers without an identity', async () => {
      expect((await fetch(url('/v0/issues'))).status).toBe(401);
      expect((await fetch(url('/v0/interactions'))).status).toBe(401);
      expect((await json('/v0/falsepositive', { fingerprint: FORSETI }, {})).status).toBe(401);
    });

    it("list the caller's open issues as JSON, leaving out snoozed ones", async () => {
      const web = await fetch(url('/v0/issues'), { headers: asOwner('web-team@example.com') });
      const body = (await web.json()) as { issues: { fingerprint: string; metadata: { issueTypeReadable: string } }[] };
      expect(body.issues.map((i) => i.fingerprint)).toEqual([detectifyFingerprint]);
      expect(body.issues[0]?.metadata.issueTypeReadable).toBe(XSS);
      const cloud = (await (await fetch(url('/v0/issues'), { headers: asOwner() })).json()) as { issues: unknown[] };
      expect(cloud.issues).toEqual([]);
    });

    it('render the owner page with alert text escaped', async () => {
      const res = await fetch(url('/v0/issues'), { headers: { ...asOwner('web-team@example.com'), accept: 'text/html' } });
      const page = await res.text();
      expect(page).toContain('Your open issues (1)');
      expect(page).not.toMatch(/<script>alert|<img src=x/);
      expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    });

    it("act on the caller's own issues only, with reasons, and reopen", async () => {
      const fp = await json('/v0/falsepositive', { fingerprint: detectifyFingerprint, reason: 'staging host' }, asOwner('web-team@example.com'));
      expect(await fp.json()).toEqual({ fingerprint: detectifyFingerprint, action: 'falsepositive', until: null });
      expect((await issue(detectifyFingerprint))?.ignore).toMatchObject({ state: 'false_positive', reason: 'staging host', until: null });

      expect((await json('/v0/reopen', { fingerprint: detectifyFingerprint }, asOwner('mallory@example.com'))).status).toBe(404);
      expect((await json('/v0/reopen', { fingerprint: 'bad fingerprint!' }, asOwner('web-team@example.com'))).status).toBe(400);
      expect((await json('/v0/reopen', { fingerprint: detectifyFingerprint }, asOwner('web-team@example.com'))).status).toBe(200);
      expect((await issue(detectifyFingerprint))?.ignore).toBeNull();

      const { interactions } = (await (await fetch(url('/v0/interactions'), { headers: asOwner('web-team@example.com') })).json()) as { interactions: { action: string; via: string }[] };
      expect(interactions.map((i) => `${i.action}/${i.via}`)).toEqual(['reopen/api', 'falsepositive/api']);
    });

    it('accept form posts from the owner page only from the same origin', async () => {
      const fields = { fingerprint: detectifyFingerprint, days: '180' };
      expect((await form('/v0/acceptrisk', fields, asOwner('web-team@example.com'))).status).toBe(403);
      expect((await form('/v0/acceptrisk', fields, { ...asOwner('web-team@example.com'), origin: 'https://evil.example.com' })).status).toBe(403);
      const ok = await form('/v0/acceptrisk', fields, { ...asOwner('web-team@example.com'), origin: stack.api.url });
      expect(ok.status).toBe(303);
      const accepted = await issue(detectifyFingerprint);
      expect(accepted?.ignore.state).toBe('accepted_risk');
      expect(accepted?.ignore.until.toMillis()).toBeGreaterThan(Date.now() + 179 * DAY);
    });

    it("refuse a cross-site post with a browser's credentials: no JSON and no Origin of its own", async () => {
      const simple = (headers: Record<string, string>) =>
        fetch(`${stack.api.url}/v0/floods/forseti/release`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-comet-user': LOCAL_SECURITY_TEAM, ...headers }, body: 'x' });
      expect((await simple({})).status).toBe(403);
      expect((await simple({ origin: 'https://evil.example.com' })).status).toBe(403);
      // JSON is preflighted by browsers, so it passes; with nothing held there is nothing to release.
      const res = await fetch(`${stack.api.url}/v0/floods/forseti/release`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-comet-user': LOCAL_SECURITY_TEAM }, body: '{}' });
      expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([409, 'forseti: nothing is held for it']);
    });

    it('refuse oversized bodies', async () => {
      const res = await json('/v0/falsepositive', { fingerprint: FORSETI, reason: 'x'.repeat(70_000) });
      expect(res.status).toBe(413);
    });
  });

  describe('with dispatch', () => {
    it('leaves a snoozed issue out of dispatch, and mails it again once the snooze is over', async () => {
      const dispatch = async (offset: number) => {
        const res = await fetch(stack.dispatch.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-comet-now': new Date(Date.now() + offset).toISOString() },
          body: '{"source": "forseti"}',
        });
        return ((await res.json()) as { summaries: { held: Record<string, number>; digestsSent: number }[] }).summaries[0]!;
      };
      const sighting = async (id: number) => {
        await publish(stack, JSON.stringify({ ...JSON.parse(sample('forseti')), id }), { source_type: 'forseti' });
        await eventually('the sighting', async () => ((await db.collection('events').where('source', '==', 'forseti').where('processedAt', '==', null).get()).size > 0 ? true : undefined));
      };
      // The forseti issue was snoozed for 30 days by a mail link above.
      expect(await dispatch(DAY)).toMatchObject({ digestsSent: 0, held: { snoozed: 1 } });
      await sighting(10);
      expect(await dispatch(31 * DAY)).toMatchObject({ digestsSent: 1 });
      expect(stack.sink.mails().filter((m) => m.to.includes(OWNER))).toHaveLength(1);
    });
  });
});
