import { OAuth2Client } from 'google-auth-library';
import type { Logger } from '../util/log.ts';

/** Who is calling, and how we know. */
export interface Identity {
  email: string;
  method: 'iap' | 'id-token' | 'insecure-dev';
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; reason: string };

/** Reads a request header, case-insensitively. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Decides who a request comes from: the typed equivalent of the original's
 * `register_auth`. Returns undefined when the request carries no
 * credentials this authenticator understands, so others may try.
 */
export type Authenticator = (header: HeaderReader) => Promise<AuthResult | undefined>;

/** Public keys by key id, as PEM: what Google publishes for IAP and for ID tokens. */
export type KeySource = () => Promise<Record<string, string>>;

const verifier = new OAuth2Client();

/**
 * A Google-signed JWT in a header: an IAP assertion (`x-goog-iap-jwt-assertion`)
 * or an ID token (`Authorization: Bearer`). Signature, audience, issuer and
 * expiry are checked by google-auth-library against the published keys.
 */
export function googleJwtAuthenticator(options: {
  method: 'iap' | 'id-token';
  header: string;
  audience: string;
  issuers: string[];
  keys: KeySource;
}): Authenticator {
  return async (header) => {
    let token = header(options.header);
    if (!token) return undefined;
    if (options.header.toLowerCase() === 'authorization') {
      const bearer = /^Bearer\s+(\S+)$/i.exec(token);
      if (!bearer) return { ok: false, reason: 'the Authorization header is not a Bearer token' };
      token = bearer[1] as string;
    }
    try {
      const ticket = await verifier.verifySignedJwtWithCertsAsync(token, await options.keys(), options.audience, options.issuers);
      const payload = ticket.getPayload();
      if (!payload?.email) return { ok: false, reason: 'the token names no email' };
      if (payload.email_verified === false) return { ok: false, reason: 'the token email is not verified' };
      return { ok: true, identity: { email: payload.email.toLowerCase(), method: options.method } };
    } catch (error) {
      return { ok: false, reason: `invalid token: ${(error as Error).message.split('\n')[0]}` };
    }
  };
}

export const IAP_ISSUERS = ['https://cloud.google.com/iap'];
export const ID_TOKEN_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/** Google's published keys, fetched once an hour. */
export function cachedKeys(url: string, ttlMs = 3_600_000): KeySource {
  let cached: { at: number; keys: Promise<Record<string, string>> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const keys = fetch(url).then(async (res) => {
        if (!res.ok) throw new Error(`fetching ${url}: ${res.status}`);
        return (await res.json()) as Record<string, string>;
      });
      keys.catch(() => (cached = undefined));
      cached = { at: Date.now(), keys };
    }
    return cached.keys;
  };
}

/**
 * Trusts an `X-Comet-User` header. For local development only: it is off
 * unless COMET_INSECURE_DEV_AUTH=true, and says so loudly when on.
 */
export function insecureDevAuthenticator(log: Logger): Authenticator {
  log.warning('INSECURE DEV AUTH IS ON: any request naming a user in X-Comet-User is trusted. Never deploy with COMET_INSECURE_DEV_AUTH=true.');
  return async (header) => {
    const user = header('x-comet-user');
    return user ? { ok: true, identity: { email: user.toLowerCase(), method: 'insecure-dev' } } : undefined;
  };
}

/** Tries each authenticator in turn; the first that recognises credentials decides. */
export function firstOf(...authenticators: Authenticator[]): Authenticator {
  return async (header) => {
    for (const authenticate of authenticators) {
      const result = await authenticate(header);
      if (result) return result;
    }
    return undefined;
  };
}
