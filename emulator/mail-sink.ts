import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';

/**
 * A local stand-in for SendGrid's v3 mail API: accepts `POST /v3/mail/send`,
 * validates it as SendGrid does (400 with `errors`), keeps what it accepts,
 * and shows it in an inbox page. It can be told to fail on purpose.
 */

export interface CapturedMail {
  id: string;
  receivedAt: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  categories: string[];
}

export type FailureMode = 'server-error' | 'rate-limit' | 'timeout';

export interface FailurePlan {
  /** Share of sends that fail, 0 to 1. */
  rate: number;
  modes: FailureMode[];
  /** Seeds the choice of which sends fail, for repeatable runs. */
  seed?: number;
}

export interface MailSink {
  url: string;
  mails(): CapturedMail[];
  /** Every send attempt, accepted or not. */
  attempts(): number;
  setFailures(plan: FailurePlan): void;
  clear(): void;
  stop(): Promise<void>;
}

const address = z.object({ email: z.email(), name: z.string().optional() });
const sendSchema = z.object({
  personalizations: z.array(z.object({ to: z.array(address).min(1).max(1000), subject: z.string().optional() })).min(1).max(1000),
  from: address,
  subject: z.string().optional(),
  content: z.array(z.object({ type: z.string().min(1), value: z.string().min(1) })).min(1),
  categories: z.array(z.string().max(255)).max(10).optional(),
});

const MAX_BODY = 30 * 1024 * 1024;

export async function startMailSink(options: { port?: number | undefined; hangMs?: number } = {}): Promise<MailSink> {
  const captured: CapturedMail[] = [];
  let attempts = 0;
  let failures: FailurePlan = { rate: 0, modes: [] };
  let random = Math.random;
  const hangMs = options.hangMs ?? 15_000;
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sink');
    if (req.method === 'POST' && url.pathname === '/v3/mail/send') return acceptMail(req, res);
    if (req.method === 'GET' && url.pathname === '/api/mails') return send(res, 200, captured);
    if (req.method === 'DELETE' && url.pathname === '/api/mails') {
      captured.length = 0;
      return send(res, 204);
    }
    if (req.method === 'PUT' && url.pathname === '/api/failures') {
      sink.setFailures(JSON.parse(await readBody(req)) as FailurePlan);
      return send(res, 204);
    }
    if (req.method === 'GET' && url.pathname === '/') return page(res, inboxPage(captured));
    const mail = /^\/mails\/([\w-]+)(\/html)?$/.exec(url.pathname);
    const found = mail && captured.find((m) => m.id === mail[1]);
    if (req.method === 'GET' && found) {
      if (mail[2]) {
        // The captured mail alone, with scripts and plugins off whatever it contains.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
        res.end(found.html);
        return;
      }
      return page(res, mailPage(found));
    }
    send(res, 404, { errors: [{ message: 'not found' }] });
  }

  async function acceptMail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    attempts++;
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return send(res, 401, { errors: [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }] });
    }
    const body = await readBody(req);
    if (failures.rate > 0 && failures.modes.length > 0 && random() < failures.rate) {
      const mode = failures.modes[Math.floor(random() * failures.modes.length)] as FailureMode;
      if (mode === 'server-error') return send(res, 500, { errors: [{ message: 'injected failure: internal error' }] });
      if (mode === 'rate-limit') return send(res, 429, { errors: [{ message: 'injected failure: too many requests' }] });
      hanging.add(res);
      setTimeout(() => {
        hanging.delete(res);
        res.destroy();
      }, hangMs).unref();
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return send(res, 400, { errors: [{ field: null, message: 'Invalid JSON' }] });
    }
    const parsed = sendSchema.safeParse(json);
    if (!parsed.success) {
      return send(res, 400, { errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message, help: null })) });
    }
    const mail = parsed.data;
    const subject = mail.personalizations[0]?.subject ?? mail.subject;
    if (!subject) return send(res, 400, { errors: [{ field: 'subject', message: 'The subject is required.', help: null }] });
    const id = randomUUID();
    captured.push({
      id,
      receivedAt: new Date().toISOString(),
      to: mail.personalizations.flatMap((p) => p.to.map((t) => t.email)),
      from: mail.from.email,
      subject,
      text: mail.content.find((c) => c.type === 'text/plain')?.value ?? '',
      html: mail.content.find((c) => c.type === 'text/html')?.value ?? '',
      categories: mail.categories ?? [],
    });
    res.writeHead(202, { 'x-message-id': id });
    res.end();
  }

  const sink: MailSink = {
    url: '',
    mails: () => [...captured],
    attempts: () => attempts,
    setFailures(plan) {
      failures = plan;
      random = plan.seed === undefined ? Math.random : seeded(plan.seed);
    },
    clear() {
      captured.length = 0;
      attempts = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const where = server.address();
  sink.url = `http://127.0.0.1:${typeof where === 'object' && where ? where.port : options.port}`;
  return sink;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function page(res: ServerResponse, html: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'" });
  res.end(html);
}

/** Mulberry32: a tiny seeded generator, so an injected failure pattern can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `<style>body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f5f7fa;color:#1f2933}
header{background:#1f2933;color:#fff;padding:12px 24px}a{color:#1a56db}main{padding:16px 24px}
table{border-collapse:collapse;width:100%;background:#fff}td,th{text-align:left;padding:8px;border-bottom:1px solid #e4e7eb}
iframe{width:100%;height:70vh;border:1px solid #cbd2d9;background:#fff}pre{white-space:pre-wrap;background:#fff;padding:12px;border:1px solid #cbd2d9}</style>`;

function inboxPage(mails: readonly CapturedMail[]): string {
  const rows = [...mails]
    .reverse()
    .map((m) => `<tr><td>${escapeHtml(m.receivedAt.slice(11, 19))}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/mails/${m.id}">${escapeHtml(m.subject)}</a></td><td>${escapeHtml(m.categories.join(', '))}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Comet local inbox (${mails.length})</title>${STYLE}</head><body>
<header><strong>Comet local inbox</strong> &middot; mails the local SendGrid sink accepted &middot; reload for new ones</header>
<main>${mails.length === 0 ? '<p>No mail yet. Publish an alert (<code>npm run publish -- forseti</code>) and wait for dispatch.</p>' : `<table><tr><th>time (UTC)</th><th>to</th><th>subject</th><th>kind</th></tr>${rows}</table>`}</main></body></html>`;
}

function mailPage(mail: CapturedMail): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title>${STYLE}</head><body>
<header><a href="/" style="color:#fff">&larr; inbox</a> &middot; to ${escapeHtml(mail.to.join(', '))} &middot; <strong>${escapeHtml(mail.subject)}</strong></header>
<main><iframe sandbox src="/mails/${mail.id}/html" title="HTML version"></iframe><h3>Plain text</h3><pre>${escapeHtml(mail.text)}</pre></main></body></html>`;
}
