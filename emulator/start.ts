import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './functions-host.ts';
import { startLocalStack } from './local-stack.ts';
import { type Emulator, startEmulator } from './emulators.ts';
import { clearState, writeState } from './state.ts';

/**
 * `npm start`: Comet's ingest path on this machine, on the real emulators.
 * Ports are free ones unless COMET_FIRESTORE_PORT / COMET_PUBSUB_PORT fix them.
 */
const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? 'comet-local';
const topic = process.env.COMET_TOPIC ?? 'comet-alerts';
const logDir = join(REPO_ROOT, '.comet-local', 'logs');
mkdirSync(logDir, { recursive: true });

console.log('Starting the Firestore and Pub/Sub emulators and the ingest function...');
const emulatorPorts = {
  firestore: process.env.COMET_FIRESTORE_PORT ? Number(process.env.COMET_FIRESTORE_PORT) : undefined,
  pubsub: process.env.COMET_PUBSUB_PORT ? Number(process.env.COMET_PUBSUB_PORT) : undefined,
};
const emulators: Emulator[] = await Promise.all([startEmulator('firestore', logDir, emulatorPorts.firestore), startEmulator('pubsub', logDir, emulatorPorts.pubsub)]);
const [firestore, pubsub] = emulators as [Emulator, Emulator];
const stack = await startLocalStack({ projectId, topic, logDir, emulators: { firestoreHost: firestore.host, pubsubHost: pubsub.host } }).catch(async (error: unknown) => {
  await Promise.all(emulators.map((e) => e.stop()));
  throw error;
});
writeState({ projectId, topic, firestoreHost: firestore.host, pubsubHost: pubsub.host, ingestUrl: stack.ingest.url });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await stack.stop();
  await Promise.all(emulators.map((e) => e.stop()));
  clearState();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

console.log(`
Comet is running locally (project ${projectId}).

  Pub/Sub emulator   ${pubsub.host}   topic ${topic} -> push to the ingest function
  Firestore emulator ${firestore.host}   collections: events, issues, deadLetters
  ingest function    ${stack.ingest.url}
  logs               ${logDir}

Publish a sample alert from another terminal:

  npm run publish -- forseti       (or detectify, riskytoaster, or a path to a JSON file)

To use the emulators from your own tools:

  export FIRESTORE_EMULATOR_HOST=${firestore.host} PUBSUB_EMULATOR_HOST=${pubsub.host} GOOGLE_CLOUD_PROJECT=${projectId}

Press Ctrl-C to stop everything. What the ingest function logs follows.
`);

followLog(stack.ingest.process.logFile);

/** Prints the function's structured log lines as they are written, one readable line each. */
function followLog(file: string): void {
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
    for (const line of lines) console.log(readable(line));
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
