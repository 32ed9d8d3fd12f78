import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an emailed link may do. Each token is good for one action only. */
export const LINK_ACTIONS = ['snooze', 'falsepositive', 'acceptrisk', 'acknowledge', 'resolve', 'escalate'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export interface LinkClaims {
  fingerprint: string;
  action: LinkAction;
  /** The mail recipient the link was made for; recorded as who acted. */
  recipient: string;
  expiresAt: Date;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

interface Payload {
  f: string;
  a: LinkAction;
  r: string;
  e: number;
}

/** `<payload>.<hmac>`, both base64url: an HMAC-SHA256 under the link secret of the payload bytes. */
export function signLink(claims: LinkClaims, secret: string): string {
  const payload: Payload = { f: claims.fingerprint, a: claims.action, r: claims.recipient, e: Math.floor(claims.expiresAt.getTime() / 1000) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function verifyLink(token: string, secret: string, now: Date): LinkCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!LINK_ACTIONS.includes(payload.a) || typeof payload.f !== 'string' || typeof payload.r !== 'string' || typeof payload.e !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = new Date(payload.e * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { fingerprint: payload.f, action: payload.a, recipient: payload.r, expiresAt } };
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
