import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Keys made in the test, standing in for Google's: tokens signed with
 * `google` verify against `keys()`, those signed with `attacker` do not.
 */
export const TEST_KEY_ID = 'test-key-1';
export const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const keys = async () => ({ [TEST_KEY_ID]: google.publicKey.export({ type: 'spki', format: 'pem' }).toString() });

export function jwt(claims: Record<string, unknown>, key: KeyObject = google.privateKey, kid = TEST_KEY_ID): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

const seconds = () => Math.floor(Date.now() / 1000);

/** The claims of a valid Google ID token for `audience` and `email`. */
export function idTokenClaims(audience: string, email: string): Record<string, unknown> {
  return { iss: 'https://accounts.google.com', aud: audience, email, email_verified: true, iat: seconds() - 10, exp: seconds() + 600, sub: '1' };
}

export function expiredClaims(audience: string, email: string): Record<string, unknown> {
  return { ...idTokenClaims(audience, email), iat: seconds() - 7200, exp: seconds() - 3600 };
}
