import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './functions-host.ts';
import { LOCAL_SECURITY_TEAM, startLocalStack } from './local-stack.ts';
import { startSignedInProxy } from './signed-in-proxy.ts';
import { loadSources } from '../lib/sources/index.ts';
import { startEmulator } from './emulators.ts';
import { startMailSink } from './mail-sink.ts';
import { startScheduler } from './scheduler.ts';
import { clearState, writeState } from './state.ts';

/**
 * `npm start`: Comet on this machine, on the real emulators: ingest and
 * dispatch under functions-framework, a SendGrid sink with an inbox page, and
 * a scheduler that runs dispatch on each source's schedule. Ports are free
 * ones unless COMET_FIRESTORE_PORT, COMET_PUBSUB_PORT or COMET_MAIL_PORT fix them.
 */
const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? 'comet-local';
const topic = process.env.COMET_TOPIC ?? 'comet-alerts';
const logDir = join(REPO_ROOT, '.comet-local', 'logs');
mkdirSync(logDir, { recursive: true });

console.log('Starting the emulators, the functions, the mail sink and the scheduler...');
const fixedPort = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const started: { stop(): Promise<void> | void }[] = [];
let stopping = false;
let stateWritten = false;

async function stop(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping...');
    for (const part of started.reverse()) await part.stop();
    // Only the instance that wrote the state file removes it; a second `npm start` that failed must not.
    if (stateWritten) clearState();
    console.log('Stopped.');
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** Starts one part, remembering it so that Ctrl-C or a later failure stops it. */
async function part<T extends { stop(): Promise<void> | void }>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    const running = await start();
    started.push(running);
    return running;
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `its port is taken; unset the COMET_*_PORT variable to use a free one` : (error as Error).message;
    console.error(`\nCould not start ${what}: ${message}`);
    return stop(1);
  }
}

const registry = await loadSources();
const sink = await part('the mail sink', () => startMailSink({ port: fixedPort('COMET_MAIL_PORT') }));
const [firestore, pubsub] = await Promise.all([
  part('the Firestore emulator', () => startEmulator('firestore', logDir, fixedPort('COMET_FIRESTORE_PORT'))),
  part('the Pub/Sub emulator', () => startEmulator('pubsub', logDir, fixedPort('COMET_PUBSUB_PORT'))),
]);
const stack = await part('the functions', () =>
  startLocalStack({ projectId, topic, logDir, mailUrl: sink.url, emulators: { firestoreHost: firestore.host, pubsubHost: pubsub.host } }),
);
const signedIn = await part('the signed-in proxy', () => startSignedInProxy(stack.api.url, LOCAL_SECURITY_TEAM));
const dashboardUrl = `${signedIn.url}/v0/stats`;
writeState({ projectId, topic, firestoreHost: firestore.host, pubsubHost: pubsub.host, ingestUrl: stack.ingest.url, dispatchUrl: stack.dispatch.url, inboxUrl: sink.url, dashboardUrl });
stateWritten = true;
await part('the scheduler', async () =>
  startScheduler(registry, stack.dispatch.url, (job, outcome) => {
    if (!outcome.startsWith('200')) console.log(`  scheduler: dispatch ${job}: ${outcome}`);
  }),
);

console.log(`
Comet is running locally (project ${projectId}).

  inbox (mail sink)   ${sink.url}   every mail dispatch sends, rendered
  Pub/Sub emulator    ${pubsub.host}   topic ${topic} -> push to the ingest function
  Firestore emulator  ${firestore.host}   collections: events, issues, deadLetters, dispatchState, interactions, metricsDays
  ingest function     ${stack.ingest.url}
  dispatch function   ${stack.dispatch.url}   run by the local scheduler on each source's schedule
  v0 API              ${stack.api.url}/v0/   action links in mails land here
  owner page          ${stack.api.url}/v0/issues   send X-Comet-User: <owner email> (local only; no IAP here)
  metrics dashboard   ${dashboardUrl}   signed in as ${LOCAL_SECURITY_TEAM}, the local security team (JSON: curl -H 'X-Comet-User: ${LOCAL_SECURITY_TEAM}' ${stack.api.url}/v0/stats)
  held floods         ${signedIn.url}/v0/floods   the flood guard's holds, to release or discard, signed in the same way
  logs                ${logDir}

Sources and their dispatch schedules: ${registry
  .all()
  .map((s) => `${s.name} "${s.config.schedule}"`)
  .join(', ')}

Publish a sample alert from another terminal, then dispatch without waiting for the schedule:

  npm run publish -- forseti       (or detectify, riskytoaster, or a path to a JSON file)
  npm run dispatch -- forseti      (or no source: all of them)

To use the emulators from your own tools:

  export FIRESTORE_EMULATOR_HOST=${firestore.host} PUBSUB_EMULATOR_HOST=${pubsub.host} GOOGLE_CLOUD_PROJECT=${projectId}

Press Ctrl-C to stop everything. What the ingest function logs follows.
`);

followLog(stack.ingest.process.logFile, 'ingest');
followLog(stack.dispatch.process.logFile, 'dispatch');
followLog(stack.api.process.logFile, 'api');

/** Prints the function's structured log lines as they are written, one readable line each. */
function followLog(file: string, name: string): void {
  let offset = statSync(file).size;
  let partial = '';
  setInterval(() => {
    const size = statSync(file).size;
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const fd = openSync(file, 'r');
    readSync(fd, buffer, 0, buffer.length, offset);
    closeSync(fd);
    offset = size;
    const lines = (partial + buffer.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) console.log(`${name.padEnd(8)}${readable(line)}`);
  }, 250);
}

function readable(line: string): string {
  if (!line.startsWith('{')) return `  ${line}`;
  try {
    const { severity, message, time: _time, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const detail = Object.entries(fields)
      .filter(([, v]) => v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    return `  ${String(severity).padEnd(7)} ${String(message)}  ${detail}`;
  } catch {
    return `  ${line}`;
  }
}
