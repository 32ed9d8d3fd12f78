import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type Emulator, emulatorsMissing, startEmulator } from '../../emulator/emulators.ts';
import type { RunningEmulators } from './harness.ts';


declare module 'vitest' {
  export interface ProvidedContext {
    emulators: RunningEmulators | null;
    emulatorsMissingReason: string;
  }
}

/**
 * One Firestore and one Pub/Sub emulator for the whole run. Test files stay
 * apart by using their own project ids, which both emulators keep separate.
 */
export default async function setup(project: TestProject) {
  const missing = emulatorsMissing();
  if (missing) {
    if (process.env.COMET_REQUIRE_EMULATORS) throw new Error(`COMET_REQUIRE_EMULATORS is set but the emulators cannot run: ${missing}`);
    const line = '!'.repeat(78);
    console.warn(`\n${line}\n!! EMULATOR TESTS SKIPPED: ${missing}\n!! Install the gcloud CLI with the Firestore and Pub/Sub emulators, and Java.\n${line}\n`);
    project.provide('emulators', null);
    project.provide('emulatorsMissingReason', missing);
    return;
  }
  const logDir = mkdtempSync(join(tmpdir(), 'comet-test-'));
  const started: Emulator[] = await Promise.all([startEmulator('firestore', logDir), startEmulator('pubsub', logDir)]);
  const [firestore, pubsub] = started as [Emulator, Emulator];
  console.log(`emulator tests run against Firestore ${firestore.host} and Pub/Sub ${pubsub.host} (logs in ${logDir})`);
  project.provide('emulators', { firestoreHost: firestore.host, pubsubHost: pubsub.host, logDir });
  project.provide('emulatorsMissingReason', '');
  return async () => {
    await Promise.all(started.map((e) => e.stop()));
  };
}
