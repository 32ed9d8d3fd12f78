import { describe, expect, it } from 'vitest';
import { firstOf, googleJwtAuthenticator, ID_TOKEN_ISSUERS, insecureDevAuthenticator } from '../../lib/api/auth.ts';
import { createLogger } from '../../lib/util/log.ts';
import { attacker, expiredClaims, google, idTokenClaims, jwt, keys } from '../support/jwt.ts';

const AUDIENCE = 'https://comet-api.example.com';
const valid = () => idTokenClaims(AUDIENCE, 'Alice@Example.com');
const authenticate = googleJwtAuthenticator({ method: 'id-token', header: 'authorization', audience: AUDIENCE, issuers: ID_TOKEN_ISSUERS, keys });
const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];
const bearer = (token: string) => headers({ authorization: `Bearer ${token}` });

describe('googleJwtAuthenticator', () => {
  it('accepts a Google-signed ID token for this audience, naming its email', async () => {
    expect(await authenticate(bearer(jwt(valid())))).toEqual({ ok: true, identity: { email: 'alice@example.com', method: 'id-token' } });
  });

  it('passes on requests without its header, so another authenticator may try', async () => {
    expect(await authenticate(headers({}))).toBeUndefined();
  });

  it.each([
    ['expired', () => jwt(expiredClaims(AUDIENCE, 'alice@example.com'))],
    ['for another audience', () => jwt({ ...valid(), aud: 'https://other.example.com' })],
    ['from another issuer', () => jwt({ ...valid(), iss: 'https://evil.example.com' })],
    ['signed with another key', () => jwt(valid(), attacker.privateKey)],
    ['signed with an unknown key id', () => jwt(valid(), google.privateKey, 'unknown-kid')],
    ['without an email', () => jwt({ ...valid(), email: undefined })],
    ['with an unverified email', () => jwt({ ...valid(), email_verified: false })],
    ['malformed', () => 'not.a.jwt'],
  ])('refuses a token %s', async (_what, token) => {
    const result = await authenticate(bearer(token()));
    expect(result?.ok).toBe(false);
  });

  it('refuses an Authorization header that is not a Bearer token', async () => {
    expect(await authenticate(headers({ authorization: 'Basic abc' }))).toEqual({ ok: false, reason: 'the Authorization header is not a Bearer token' });
  });
});

describe('insecureDevAuthenticator', () => {
  it('says loudly that it is on, and trusts X-Comet-User', async () => {
    const lines: string[] = [];
    const dev = insecureDevAuthenticator(createLogger((line) => lines.push(line)));
    expect(JSON.parse(lines[0] as string)).toMatchObject({ severity: 'WARNING', message: expect.stringContaining('INSECURE DEV AUTH IS ON') });
    expect(await firstOf(authenticate, dev)(headers({ 'x-comet-user': 'Bob@example.com' }))).toEqual({ ok: true, identity: { email: 'bob@example.com', method: 'insecure-dev' } });
  });
});
