import type { Request, Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { FINGERPRINT_PATTERN } from '../ingest/fingerprint.ts';
import { LINK_ACTIONS, type LinkAction, verifyLink } from '../links/token.ts';
import type { Stats } from '../metrics/stats.ts';
import { dashboardPage } from './dashboard.ts';
import { type ActionChannel, ISSUE_ACTIONS, type IssueAction } from '../model/interaction.ts';
import { activeIgnore, type Issue } from '../model/issue.ts';
import type { SecurityTeam } from '../model/security-team.ts';
import type { FloodStore } from '../store/flood-store.ts';
import type { IssueStore } from '../store/issue-store.ts';
import type { Logger } from '../util/log.ts';
import type { Authenticator, Identity } from './auth.ts';
import { confirmPage, donePage, errorPage, floodsPage, ownerPage } from './pages.ts';

export interface ApiDependencies {
  issues: IssueStore;
  floods: FloodStore;
  auth: Authenticator;
  /** Members may use the security team's routes. */
  securityTeam: SecurityTeam;
  /** The security team's figures, as of now; coverage over the last `coverageDays`. */
  stats: (options: { coverageDays: number }) => Promise<Stats>;
  linkSecret: string;
  now: () => Date;
  log: Logger;
  /** Origins allowed to call the JSON API from a browser. */
  corsOrigins: readonly string[];
  maxBodyBytes: number;
}

const DAY = 86_400_000;
/** The original's window: an issue is open if seen in the last day and not ignored. */
const OPEN_WINDOW = DAY;
/** Ignored issues stay on the owner's page this long, to be reopened. */
const CLOSED_WINDOW = 30 * DAY;

const fingerprint = z.string().regex(FINGERPRINT_PATTERN, 'must be 8 to 1024 characters of [a-zA-Z0-9._-]');
const reason = z.string().trim().max(1000).optional();
const days = z.coerce.number().int();
const coverageDays = days.min(1).max(30);
/** Parameters of each action, from a form or JSON; dates as YYYY-MM-DD or ISO. */
const paramsSchema = z.object({
  days: days.min(1).max(730).optional(),
  until: z.string().optional(),
  reason,
});

type ApiError = { status: number; title: string; message: string };

class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(status: number, title: string, message: string) {
    super(message);
    this.status = status;
    this.title = title;
  }
}

/**
 * The v0 API. Mail links land on a confirmation page (a GET never changes
 * anything, since mail scanners open every link); its button POSTs the
 * signed token back. Everything else needs an authenticated caller.
 */
export function createApiHandler(deps: ApiDependencies) {
  return async function api(req: Request, res: Response): Promise<void> {
    res.set('Cache-Control', 'no-store');
    res.set('X-Content-Type-Options', 'nosniff');
    const origin = req.get('origin');
    if (origin && deps.corsOrigins.includes(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Vary', 'Origin');
      res.set('Access-Control-Allow-Headers', 'authorization, content-type');
      res.set('Access-Control-Allow-Methods', 'GET, POST');
    }
    const wantsHtml = (req.get('accept') ?? '').includes('text/html') || req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
    try {
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      if (Number(req.get('content-length') ?? 0) > deps.maxBodyBytes) throw new HttpError(413, 'Too large', `request bodies are limited to ${deps.maxBodyBytes} bytes`);
      await route(req, res, wantsHtml, deps);
    } catch (error) {
      const failure: ApiError =
        error instanceof HttpError ? error : { status: 500, title: 'Something went wrong', message: 'The request failed on our side; nothing was changed. Please try again.' };
      if (!(error instanceof HttpError)) deps.log.error('api request failed', { error, path: req.path });
      res.status(failure.status);
      if (wantsHtml) {
        sendPage(res, errorPage(failure.title, failure.message));
      } else {
        res.json({ error: failure.message });
      }
    }
  };
}

async function route(req: Request, res: Response, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const path = req.path.replace(/^.*?(\/v0(\/|$))/, '$1').replace(/\/+$/, '') || '/';
  if (req.method === 'GET' && path === '/v0') {
    res.type('text/plain').send('Comet-API-v0');
    return;
  }
  if (req.method === 'GET' && path === '/v0/dbcheck') {
    try {
      await deps.issues.check();
    } catch (error) {
      deps.log.error('dbcheck failed', { error });
      throw new HttpError(503, 'Storage unavailable', 'storage is unreachable');
    }
    res.type('text/plain').send('Comet-API-v0: storage ok');
    return;
  }
  if (req.method === 'GET' && path === '/v0/stats') return showStats(req, res, wantsHtml, deps);
  if (req.method === 'GET' && path === '/v0/issues') return listIssues(req, res, wantsHtml, deps);
  if (req.method === 'GET' && path === '/v0/interactions') return listInteractions(req, res, deps);
  if (req.method === 'GET' && path === '/v0/floods') return listFloods(req, res, wantsHtml, deps);
  const release = /^\/v0\/floods\/([a-z][a-z0-9_-]{0,62})\/release$/.exec(path);
  if (req.method === 'POST' && release) return releaseFlood(req, res, release[1] as string, wantsHtml, deps);
  const action = /^\/v0\/([a-z]+)$/.exec(path)?.[1] as IssueAction | undefined;
  if (action && ISSUE_ACTIONS.includes(action)) {
    if (req.method === 'GET') return confirm(req, res, action, deps);
    if (req.method === 'POST') return perform(req, res, action, wantsHtml, deps);
    throw new HttpError(405, 'Method not allowed', `use GET to see the confirmation page, POST to ${action}`);
  }
  throw new HttpError(404, 'Not found', `no route ${req.method} ${path}`);
}

/** The security team's figures: JSON, or the dashboard when a browser asks for HTML. */
async function showStats(req: Request, res: Response, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const caller = await authenticateSecurityTeam(req, deps);
  const stats = await deps.stats({ coverageDays: req.query.coverageDays === undefined ? 7 : parse(coverageDays, req.query.coverageDays, 'coverageDays') });
  if (wantsHtml) {
    sendPage(res, dashboardPage(caller.email, stats));
    return;
  }
  res.json(stats);
}

async function listIssues(req: Request, res: Response, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const caller = await authenticate(req, deps);
  const now = deps.now();
  const recent = await deps.issues.recentIssues(caller.email, new Date(now.getTime() - CLOSED_WINDOW));
  const open = recent.filter((i) => !activeIgnore(i, now) && i.lastSeen.getTime() >= now.getTime() - OPEN_WINDOW);
  if (wantsHtml) {
    sendPage(res, ownerPage(caller.email, open, recent.filter((i) => activeIgnore(i, now))));
    return;
  }
  res.json({ owner: caller.email, issues: open.map(issueJson) });
}

async function listInteractions(req: Request, res: Response, deps: ApiDependencies): Promise<void> {
  const caller = await authenticate(req, deps);
  const requested = req.query.fingerprint;
  if (requested !== undefined) {
    const fp = parse(fingerprint, requested, 'fingerprint');
    await ownedIssue(fp, caller, deps);
    res.json({ fingerprint: fp, interactions: await deps.issues.interactions({ fingerprint: fp }) });
    return;
  }
  res.json({ owner: caller.email, interactions: await deps.issues.interactions({ owner: caller.email }) });
}

async function listFloods(req: Request, res: Response, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const caller = await authenticateSecurityTeam(req, deps);
  const holds = await deps.floods.holds();
  if (wantsHtml) {
    sendPage(res, floodsPage(caller.email, holds));
    return;
  }
  res.json({ floods: holds.map(({ source, hold }) => ({ source, ...hold })) });
}

/** One call releases a held flood: the next dispatch run mails it, or settles it without mail when `discard` is true. */
async function releaseFlood(req: Request, res: Response, source: string, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const caller = await authenticateSecurityTeam(req, deps);
  notCrossSite(req, caller);
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const discard = parse(z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false), emptyToUndefined(body.discard), 'discard');
  const outcome = await deps.floods.release(source, caller.email, deps.now(), discard);
  if ('notHeld' in outcome) {
    const why = outcome.notHeld ? 'its hold was already released; the next dispatch run clears it' : 'nothing is held for it';
    throw new HttpError(409, 'Nothing to release', `${source}: ${why}`);
  }
  deps.log.notice(discard ? 'flood discarded' : 'flood released', { source_type: source, actor: caller.email, flood: outcome.released });
  if (wantsHtml) {
    res.redirect(303, '/v0/floods');
    return;
  }
  res.json({ source, ...outcome.released });
}

/** GET of a mail link: show what would happen; change nothing. */
async function confirm(req: Request, res: Response, action: IssueAction, deps: ApiDependencies): Promise<void> {
  const token = typeof req.query.token === 'string' ? req.query.token : undefined;
  if (!token) throw new HttpError(400, 'Missing link token', 'This page is reached from a link in a Comet mail.');
  const { issue } = await linkIssue(token, action, deps);
  sendPage(res, confirmPage(action, issue, token));
}

/** POST: from a confirmation page (with its token), the owner page, or the JSON API (authenticated). */
async function perform(req: Request, res: Response, action: IssueAction, wantsHtml: boolean, deps: ApiDependencies): Promise<void> {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  let issue: Issue;
  let actor: string;
  let via: ActionChannel;
  const token = typeof body.token === 'string' ? body.token : undefined;
  if (token) {
    const link = await linkIssue(token, action, deps);
    issue = link.issue;
    actor = link.recipient;
    via = 'link';
  } else {
    const caller = await authenticate(req, deps);
    notCrossSite(req, caller);
    issue = await ownedIssue(parse(fingerprint, body.fingerprint, 'fingerprint'), caller, deps);
    actor = caller.email;
    via = wantsHtml ? 'page' : 'api';
  }
  const params = parse(paramsSchema, { days: emptyToUndefined(body.days), until: emptyToUndefined(body.until), reason: emptyToUndefined(body.reason) }, 'body');
  const now = deps.now();
  const until = untilFor(action, params, now);
  const outcome = await deps.issues.act({
    fingerprint: issue.fingerprint,
    source: issue.source,
    owner: issue.owner,
    action,
    actor,
    via,
    at: now,
    reason: params.reason ?? null,
    until,
    userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
  }, token);
  // A mail link acts once: a replay, or a second click, changes nothing.
  if (outcome === 'already-done') throw new HttpError(409, 'Link already used', 'This link has been used already, and works only once. Nothing was changed. Your issues page has the current state.');
  deps.log.notice(`issue ${action}`, { fingerprint: issue.fingerprint, source_type: issue.source, actor, via, until });
  if (wantsHtml) {
    if (via === 'page') {
      res.redirect(303, '/v0/issues');
      return;
    }
    sendPage(res, donePage(action, issue, until));
    return;
  }
  res.json({ fingerprint: issue.fingerprint, action, until: until?.toISOString() ?? null });
}

/** When the action's effect ends: snoozes and accepted risks expire, the rest do not. */
function untilFor(action: IssueAction, params: z.infer<typeof paramsSchema>, now: Date): Date | null {
  if (action === 'snooze') {
    if (params.until) return futureDate(params.until, now, 366);
    const snoozeDays = params.days ?? 7;
    if (![1, 7, 30].includes(snoozeDays)) throw new HttpError(400, 'Invalid snooze', 'snooze for 1, 7 or 30 days, or until a date');
    return new Date(now.getTime() + snoozeDays * DAY);
  }
  if (action === 'acceptrisk') return params.until ? futureDate(params.until, now, 730) : new Date(now.getTime() + (params.days ?? 180) * DAY);
  return null;
}

function futureDate(text: string, now: Date, maxDays: number): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime()) || date.getTime() <= now.getTime() || date.getTime() > now.getTime() + maxDays * DAY) {
    throw new HttpError(400, 'Invalid date', `the date must be in the future and within ${maxDays} days`);
  }
  return date;
}

async function linkIssue(token: string, action: IssueAction, deps: ApiDependencies): Promise<{ issue: Issue; recipient: string }> {
  const check = verifyLink(token, deps.linkSecret, deps.now());
  if (!check.ok) {
    const why = check.reason === 'expired' ? 'This link has expired. Use the link in your latest Comet mail, or your issues page.' : 'This link is not valid.';
    throw new HttpError(403, 'Link not valid', `${why} Nothing was changed.`);
  }
  if (!LINK_ACTIONS.includes(action as LinkAction) || check.claims.action !== action) {
    throw new HttpError(403, 'Link not valid', 'This link is for another action. Nothing was changed.');
  }
  const issue = await deps.issues.get(check.claims.fingerprint);
  if (!issue) throw new HttpError(404, 'Issue not found', 'This issue no longer exists.');
  return { issue, recipient: check.claims.recipient };
}

async function authenticate(req: Request, deps: ApiDependencies): Promise<Identity> {
  const result = await deps.auth((name) => req.get(name));
  if (!result) throw new HttpError(401, 'Sign in required', 'this route needs an identity (IAP or a Google ID token)');
  if (!result.ok) throw new HttpError(401, 'Sign in failed', result.reason);
  return result.identity;
}

/** The security team's routes: an identity, and membership of the team. */
async function authenticateSecurityTeam(req: Request, deps: ApiDependencies): Promise<Identity> {
  const caller = await authenticate(req, deps);
  if (!deps.securityTeam.members.has(caller.email)) throw new HttpError(403, 'Security team only', `${caller.email} is not in COMET_SECURITY_TEAM`);
  return caller;
}

async function ownedIssue(fp: string, caller: Identity, deps: ApiDependencies): Promise<Issue> {
  const issue = await deps.issues.get(fp);
  // The same answer for a missing issue and someone else's: fingerprints are not to be probed.
  if (!issue || issue.owner.toLowerCase() !== caller.email) throw new HttpError(404, 'Issue not found', `no issue ${fp} of yours`);
  return issue;
}

/**
 * A POST signed in by browser credentials (IAP's cookie) could be sent by
 * any site the user visits. An ID token in a header cannot, nor can JSON
 * (browsers ask first, and only COMET_CORS_ORIGINS are allowed): anything
 * else must come from Comet's own pages.
 */
function notCrossSite(req: Request, caller: Identity): void {
  if (caller.method === 'id-token' || req.is('application/json')) return;
  const origin = req.get('origin') ?? req.get('referer');
  const host = req.get('x-forwarded-host') ?? req.get('host');
  if (!origin || !host || URL.parse(origin)?.host !== host) throw new HttpError(403, 'Forbidden', 'posts without JSON must come from the Comet page itself');
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'Invalid request', `${what}: ${result.error.issues.map((i) => `${i.path.join('.') || what} ${i.message}`).join('; ')}`);
  return result.data;
}

function emptyToUndefined(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}

function issueJson(issue: Issue) {
  return {
    fingerprint: issue.fingerprint,
    source: issue.source,
    metadata: issue.metadata,
    firstSeen: issue.firstSeen?.toISOString() ?? null,
    lastSeen: issue.lastSeen.toISOString(),
    lastSentAt: issue.lastSentAt?.toISOString() ?? null,
  };
}

function sendPage(res: Response, body: string): void {
  res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.type('text/html; charset=utf-8').send(body);
}
