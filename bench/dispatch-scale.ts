import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { type Emulator, startEmulator } from '../emulator/emulators.ts';
import { dispatchSource } from '../lib/dispatch/run.ts';
import { emailOutputs } from '../lib/mail/email-outputs.ts';
import { MailTemplates } from '../lib/mail/templates.ts';
import { registerOutputs } from '../lib/outputs/index.ts';
import { loadSources } from '../lib/sources/index.ts';
import { DispatchStore } from '../lib/store/dispatch-store.ts';
import { createLogger } from '../lib/util/log.ts';
import { opCounts, resetOpCounts } from './firestore-ops.ts';
import { mib } from './stats.ts';

/**
 * Dispatch of a backlog on the Firestore emulator, in this process:
 * `events` pending events over three sources and 1,000 owners, 20% of them
 * on ignored issues and 30% on issues already mailed. Mail is rendered but
 * not sent. Prints one JSON line: wall time, Firestore operations, peak RSS.
 */
export interface DispatchScaleResult {
  events: number;
  seconds: number;
  reads: number;
  writes: number;
  roundTrips: number;
  digests: number;
  peakRssMiB: number;
  /** RSS with everything loaded, before dispatch starts. */
  baselineRssMiB: number;
}

const SOURCES = ['forseti', 'detectify', 'riskytoaster'];
const DAY = 86_400_000;

async function seed(db: Firestore, events: number, owners: number): Promise<void> {
  const writer = db.bulkWriter();
  const now = Date.now();
  for (let i = 0; i < events; i++) {
    const source = SOURCES[i % 3] as string;
    const owner = `owner-${i % owners}@example.com`;
    const fingerprint = `${source}_bench${i}`;
    const receivedAt = new Date(now - 3_600_000 + (i % 1000));
    writer.create(db.collection('events').doc(`${source}_e${i}`), {
      source,
      fingerprint,
      owner,
      ownerRule: 'bench',
      metadata: { issueTypeReadable: `Finding ${i % 50}`, resourceReadable: `resource ${i}`, severity: 'high', sourceReadable: source },
      alertJson: '{}',
      receivedAt,
      processedAt: null,
      sentAt: null,
      escalatedAt: null,
      expireAt: new Date(now + 90 * DAY),
    });
    // Every owner gets a mix: a fifth of their issues ignored, three in ten already mailed.
    const bucket = Math.floor(i / owners) % 10;
    const issue: Record<string, unknown> = { fingerprint, source, owner, metadata: { issueTypeReadable: `Finding ${i % 50}`, severity: 'high', sourceReadable: source }, lastSeen: receivedAt };
    if (bucket < 2) issue.ignore = { state: 'snoozed', until: new Date(now + 30 * DAY) };
    else if (bucket < 5) Object.assign(issue, { firstSeen: new Date(now - 10 * DAY), lastProcessedAt: new Date(now - DAY), lastSentAt: new Date(now - DAY) });
    writer.set(db.collection('issues').doc(fingerprint), issue);
  }
  // Sources this size open thousands of issues per batch as a rule, so the flood guard lets the backlog through.
  for (const source of SOURCES) writer.set(db.collection('dispatchState').doc(source), { usualNewIssues: events / SOURCES.length });
  await writer.close();
}

function client(host: string): Firestore {
  const [hostname, port] = host.split(':') as [string, string];
  return new Firestore({ projectId: 'bench-dispatch', host: hostname, port: Number(port), ssl: false, customHeaders: { Authorization: 'Bearer owner' }, ignoreUndefinedProperties: true });
}

/** Dispatches every source once, in this process, against a seeded emulator. */
async function measure(host: string, events: number): Promise<DispatchScaleResult> {
  const db = client(host);
  // The deployed templates, compiled by `npm run build`, so MJML stays out of memory as in production.
  const built = join(import.meta.dirname, '..', 'dist', 'templates');
  const templates = await MailTemplates.load(existsSync(join(built, 'digest.html')) ? built : undefined);
  const registry = registerOutputs(await loadSources(), emailOutputs(templates, { send: async () => undefined }));
  const deps = {
    registry,
    store: new DispatchStore(db, { timeoutMs: 120_000 }),
    links: { apiBaseUrl: 'https://comet.example.com', secret: 'bench', ttlMs: 30 * DAY },
    log: createLogger(() => undefined),
    now: () => new Date(Date.now() + DAY),
    pageSize: 1_000,
    issuesPerStep: 500,
    leaseTtlMs: 600_000,
    sendConcurrency: 8,
    notifyFlood: undefined,
  };
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  resetOpCounts();
  const start = performance.now();
  let digests = 0;
  for (const source of SOURCES) digests += (await dispatchSource(source, deps)).digestsSent;
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  await db.terminate();
  return { events, seconds, ...opCounts(), digests, peakRssMiB: mib(peak), baselineRssMiB: mib(baseline) };
}

/**
 * Seeds the backlog in one process and dispatches it in a fresh one, so the
 * peak RSS is dispatch's own, with the heap limit of the function size under
 * test.
 */
export async function runDispatchScale(events: number, heapLimitMiB: number, owners = 1_000): Promise<DispatchScaleResult> {
  const emulator: Emulator = await startEmulator('firestore', mkdtempSync(join(tmpdir(), 'comet-bench-')));
  try {
    const seeder = client(emulator.host);
    await seed(seeder, events, owners);
    await seeder.terminate();
    // The heap limit a function instance of that memory size gets: V8 collects as it would there.
    const out = execFileSync(process.execPath, [`--max-old-space-size=${heapLimitMiB}`, import.meta.filename, 'measure', emulator.host, String(events)], {
      encoding: 'utf8',
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop() as string) as DispatchScaleResult;
  } finally {
    await emulator.stop();
  }
}

if (import.meta.main && process.argv[2] === 'measure') {
  console.log(JSON.stringify(await measure(process.argv[3] as string, Number(process.argv[4]))));
  process.exit(0);
}
