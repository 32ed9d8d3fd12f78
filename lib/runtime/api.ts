import { type Authenticator, cachedKeys, firstOf, googleJwtAuthenticator, IAP_ISSUERS, ID_TOKEN_ISSUERS, insecureDevAuthenticator } from '../api/auth.ts';
import { createApiHandler } from '../api/handler.ts';
import { createFirestore } from '../store/firestore.ts';
import { FloodStore } from '../store/flood-store.ts';
import { IssueStore } from '../store/issue-store.ts';
import { log } from '../util/log.ts';
import { required, securityTeam, storageTimeout } from './env.ts';
import { metricsFromEnvironment } from './metrics.ts';

const IAP_KEYS_URL = 'https://www.gstatic.com/iap/verify/public_key';
const GOOGLE_CERTS_URL = 'https://www.googleapis.com/oauth2/v1/certs';

/**
 * The API function's wiring. Callers are identified by an IAP assertion
 * (COMET_IAP_AUDIENCE) or a Google ID token (COMET_ID_TOKEN_AUDIENCE);
 * COMET_INSECURE_DEV_AUTH=true adds a trusted header for local use.
 */
export function apiFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const authenticators: Authenticator[] = [];
  if (env.COMET_IAP_AUDIENCE) {
    authenticators.push(googleJwtAuthenticator({ method: 'iap', header: 'x-goog-iap-jwt-assertion', audience: env.COMET_IAP_AUDIENCE, issuers: IAP_ISSUERS, keys: cachedKeys(IAP_KEYS_URL) }));
  }
  if (env.COMET_ID_TOKEN_AUDIENCE) {
    authenticators.push(googleJwtAuthenticator({ method: 'id-token', header: 'authorization', audience: env.COMET_ID_TOKEN_AUDIENCE, issuers: ID_TOKEN_ISSUERS, keys: cachedKeys(GOOGLE_CERTS_URL) }));
  }
  if (env.COMET_INSECURE_DEV_AUTH === 'true') authenticators.push(insecureDevAuthenticator(log));
  if (authenticators.length === 0) log.warning('no authentication is configured: only mail links work; set COMET_IAP_AUDIENCE or COMET_ID_TOKEN_AUDIENCE');
  const db = createFirestore(env);
  const timeoutMs = storageTimeout(env);
  return createApiHandler({
    issues: new IssueStore(db, { timeoutMs }),
    floods: new FloodStore(db, { timeoutMs }),
    auth: firstOf(...authenticators),
    securityTeam: securityTeam(env),
    stats: metricsFromEnvironment(db, env).stats,
    linkSecret: required(env, 'COMET_LINK_SECRET'),
    now: () => new Date(),
    log,
    corsOrigins: (env.COMET_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    maxBodyBytes: 64 * 1024,
  });
}
