import { describe, expect, it } from 'vitest';
import { actionLinks } from '../../lib/links/action-links.ts';
import { signLink, verifyLink } from '../../lib/links/token.ts';

const SECRET = 'test-secret';
const NOW = new Date('2026-12-04T12:00:00Z');
const claims = { fingerprint: 'forseti_abc123', action: 'snooze' as const, recipient: 'alice@example.com', expiresAt: new Date('2026-12-05T12:00:00Z') };

describe('link tokens', () => {
  it('carry the fingerprint, action, recipient and expiry', () => {
    expect(verifyLink(signLink(claims, SECRET), SECRET, NOW)).toEqual({ ok: true, claims });
  });

  it('refuse a token signed with another secret, or tampered with', () => {
    const token = signLink(claims, SECRET);
    expect(verifyLink(token, 'other-secret', NOW)).toEqual({ ok: false, reason: 'forged' });
    const [, signature] = token.split('.');
    const otherAction = signLink({ ...claims, action: 'acceptrisk' }, 'attacker').split('.')[0];
    expect(verifyLink(`${otherAction}.${signature}`, SECRET, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyLink(`${token.slice(0, -2)}xx`, SECRET, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse an expired token', () => {
    expect(verifyLink(signLink(claims, SECRET), SECRET, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse malformed tokens', () => {
    for (const token of ['', 'abc', 'a.b.c', '.sig']) expect(verifyLink(token, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('are made per action, for batch or real-time sources', () => {
    const settings = { apiBaseUrl: 'https://comet.example.com', secret: SECRET, ttlMs: 86_400_000 };
    const batch = actionLinks(settings, NOW, 'forseti_abc123', 'alice@example.com', false);
    expect(batch.map((l) => l.action)).toEqual(['snooze', 'falsepositive', 'acceptrisk']);
    const realTime = actionLinks(settings, NOW, 'forseti_abc123', 'alice@example.com', true);
    expect(realTime.map((l) => l.action)).toEqual(['acknowledge', 'resolve', 'escalate', 'falsepositive']);
    for (const link of batch) {
      const url = new URL(link.url);
      expect(url.pathname).toBe(`/v0/${link.action}`);
      const check = verifyLink(url.searchParams.get('token') as string, SECRET, NOW);
      expect(check.ok && check.claims).toEqual({ fingerprint: 'forseti_abc123', action: link.action, recipient: 'alice@example.com', expiresAt: new Date(NOW.getTime() + 86_400_000) });
    }
  });
});
