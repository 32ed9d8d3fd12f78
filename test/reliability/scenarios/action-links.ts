import type { Server } from 'node:http';
import type { Firestore } from '@google-cloud/firestore';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { LOCAL_SECURITY_TEAM } from '../../../emulator/local-stack.ts';
import { googleJwtAuthenticator, ID_TOKEN_ISSUERS } from '../../../lib/api/auth.ts';
import { createApiHandler } from '../../../lib/api/handler.ts';
import { type LinkAction, signLink, verifyLink } from '../../../lib/links/token.ts';
import { FloodStore } from '../../../lib/store/flood-store.ts';
import { IssueStore } from '../../../lib/store/issue-store.ts';
import { metricsFromEnvironment } from '../../../lib/runtime/metrics.ts';
import { createLogger } from '../../../lib/util/log.ts';
import { firestoreFor, startStack, type TestStack } from '../../support/harness.ts';
import { attacker, expiredClaims, idTokenClaims, jwt, keys } from '../../support/jwt.ts';
import { countOf, dispatchUntilDrained, forsetiAlert, publishAll, range, untilSettled } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

const OWNER = 'link-owner@example.com';
const DAY = 86_400_000;

/** Everything an action could change: the issues and the audit trail. */
async function snapshot(db: Firestore): Promise<string> {
  const [issues, interactions] = await Promise.all([db.collection('issues').get(), db.collection('interactions').count().get()]);
  return JSON.stringify([issues.docs.map((d) => [d.id, d.data()]), interactions.data().count]);
}

async function post(stack: TestStack, action: string, token: string): Promise<number> {
  const res = await fetch(`${stack.api.url}/v0/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  return res.status;
}

/** The v0 API with Google ID-token sign-in, keys made here, on the stack's Firestore: served by functions-framework in this process. */
async function serveWithIdTokens(stack: TestStack, audience: string): Promise<{ url: string; server: Server }> {
  const db = firestoreFor(stack);
  const name = `api-${stack.projectId}`;
  http(
    name,
    createApiHandler({
      issues: new IssueStore(db, { timeoutMs: 10_000 }),
      floods: new FloodStore(db, { timeoutMs: 10_000 }),
      stats: metricsFromEnvironment(db, {}).stats,
      auth: googleJwtAuthenticator({ method: 'id-token', header: 'authorization', audience, issuers: ID_TOKEN_ISSUERS, keys }),
      securityTeam: { members: new Set([LOCAL_SECURITY_TEAM]), mail: undefined },
      linkSecret: stack.linkSecret,
      now: () => new Date(),
      log: createLogger(() => undefined),
      corsOrigins: [],
      maxBodyBytes: 64 * 1024,
    }),
  );
  const server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

/**
 * Mail links carry signed tokens: forged, expired, replayed and misused ones
 * change nothing, and a GET (a mail scanner opening every link) never does.
 * Signed-in routes refuse every bad ID token.
 */
export const actionLinks: Scenario<{ rounds: number }> = {
  name: 'action links',
  claim: 'refuses forged, expired, replayed, wrong-action and wrong-fingerprint links and bad ID tokens, changing nothing; a GET never acts',
  sizes: { test: { rounds: 2 }, soak: { rounds: 100 } },
  async run(emulators, { rounds }) {
    const stack = await startStack(emulators, 'links');
    const db = firestoreFor(stack);
    const audience = `https://${stack.projectId}.example.com`;
    const { url: signedIn, server } = await serveWithIdTokens(stack, audience);
    try {
      // Owners of 20 issues each, within a digest's limit, so that every issue's links are mailed.
      const ids = await publishAll(stack, range(rounds + 1).map((i) => forsetiAlert(i, i < 20 ? OWNER : `owner-${Math.floor(i / 20)}@example.com`)));
      await untilSettled(stack, ids);
      await dispatchUntilDrained(stack, db, 'forseti');
      const links = stack.sink.mails().flatMap((mail) => [...mail.text.matchAll(/\/v0\/([a-z]+)\?token=([\w.-]+)/g)]).map((m) => {
        const check = verifyLink(m[2] as string, stack.linkSecret, new Date());
        if (!check.ok) throw new Error(`the mail carries a link that does not verify: ${check.reason}`);
        return { action: m[1] as LinkAction, token: m[2] as string, claims: check.claims };
      });

      const refusals: { what: string; status: number; expected: number }[] = [];
      let unchanged = 0;
      const attempt = async (what: string, expected: number, act: () => Promise<number>) => {
        const before = await snapshot(db);
        const status = await act();
        refusals.push({ what, status, expected });
        if ((await snapshot(db)) === before) unchanged++;
      };
      for (const { action, token } of links) {
        for (let i = 0; i < 3; i++) await attempt(`GET ${action}`, 200, async () => (await fetch(`${stack.api.url}/v0/${action}?token=${token}`, { headers: { accept: 'text/html' } })).status);
      }
      const snoozes = links.filter((l) => l.action === 'snooze');
      for (const [round, link] of snoozes.slice(0, rounds).entries()) {
        const { claims, token } = link;
        const other = snoozes[(round + 1) % snoozes.length]?.claims.fingerprint as string;
        const [, signature] = token.split('.');
        const retargeted = Buffer.from(JSON.stringify({ f: other, a: 'snooze', r: claims.recipient, e: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
        await attempt('forged: another issue under the same signature', 403, () => post(stack, 'snooze', `${retargeted}.${signature}`));
        await attempt('forged: signed with another secret', 403, () => post(stack, 'snooze', signLink(claims, `attacker-${round}`)));
        await attempt('expired', 403, () => post(stack, 'snooze', signLink({ ...claims, expiresAt: new Date(Date.now() - DAY) }, stack.linkSecret)));
        await attempt('another action', 403, () => post(stack, 'acceptrisk', token));
        await attempt('an issue that does not exist', 404, () => post(stack, 'snooze', signLink({ ...claims, fingerprint: `forseti_missing${round}` }, stack.linkSecret)));
        await attempt('malformed', 403, () => post(stack, 'snooze', `${token}.extra`));
        // The genuine link works once; every replay is refused.
        const firstUse = await post(stack, 'snooze', token);
        await attempt('replayed', 409, () => post(stack, 'snooze', token));
        refusals.push({ what: 'first use of a genuine link', status: firstUse, expected: 200 });
      }

      const signedInGet = (path: string, authorization?: string) => fetch(`${signedIn}${path}`, { headers: authorization ? { authorization } : {} }).then((r) => r.status);
      const bearer = (claims: Record<string, unknown>, key = undefined as Parameters<typeof jwt>[1]) => `Bearer ${jwt(claims, key)}`;
      const jwtCases: [string, string, string | undefined, number][] = [
        ['no token', '/v0/issues', undefined, 401],
        ['not a Bearer token', '/v0/issues', 'Basic b3duZXI6cHc=', 401],
        ['a malformed token', '/v0/issues', 'Bearer not.a.jwt', 401],
        ['an expired token', '/v0/issues', bearer(expiredClaims(audience, OWNER)), 401],
        ['a token signed by another key', '/v0/issues', bearer(idTokenClaims(audience, OWNER), attacker.privateKey), 401],
        ['a token for another audience', '/v0/issues', bearer(idTokenClaims('https://elsewhere.example.com', OWNER)), 401],
        ['a valid token', '/v0/issues', bearer(idTokenClaims(audience, OWNER)), 200],
        ["an owner's token on the security team's route", '/v0/floods', bearer(idTokenClaims(audience, OWNER)), 403],
        ["a security team member's token", '/v0/floods', bearer(idTokenClaims(audience, LOCAL_SECURITY_TEAM)), 200],
      ];
      for (const [what, path, authorization, expected] of jwtCases) await attempt(`sign-in: ${what}`, expected, () => signedInGet(path, authorization));

      const wrong = refusals.filter((r) => r.status !== r.expected);
      const snoozed = await db.collection('issues').where('ignore.state', '==', 'snoozed').count().get();
      return {
        tried: `${links.length} genuine links opened 3 times each, ${rounds} rounds of 6 bad and 1 replayed token, ${jwtCases.length} sign-in cases`,
        checks: [
          check('answered as expected', refusals.length, refusals.length - wrong.length),
          check('unexpected answers', 'none', wrong.length === 0 ? 'none' : wrong.map((r) => `${r.what}: ${r.status}`).join(', ')),
          check('attempts that changed nothing', refusals.length - rounds, unchanged),
          check('issues snoozed by genuine links', rounds, snoozed.data().count),
          check('audit entries', rounds, (await db.collection('interactions').count().get()).data().count),
        ],
        lost: countOf(refusals, (r) => r.status !== r.expected && r.expected !== 200),
      };
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await db.terminate();
      await stack.stop();
    }
  },
};
