import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorsMissing, startEmulator } from '../../emulator/emulators.ts';
import { failed, reportLine, type Scenario } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

/**
 * `npm run soak [-- --quick] [scenario names]`: every reliability scenario
 * at full size (or at its test size with --quick), one line each, on
 * emulators of its own. Exits non-zero if anything was lost or a check failed.
 */
/** A scenario's name as the command line takes it: "storage outage" is storage-outage. */
const slug = (scenario: { name: string }) => scenario.name.replaceAll(' ', '-');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !SCENARIOS.some((s) => slug(s) === w));
if (unknown.length > 0) {
  console.error(`no scenario named ${unknown.join(', ')}; there are: ${SCENARIOS.map(slug).join(', ')}`);
  process.exit(2);
}
const missing = emulatorsMissing();
if (missing) {
  console.error(`the soak needs the Firestore and Pub/Sub emulators: ${missing}`);
  process.exit(2);
}

// Interrupted, exit through process.exit, whose hook stops every emulator and function this run started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const logDir = mkdtempSync(join(tmpdir(), 'comet-soak-'));
const [firestore, pubsub] = await Promise.all([startEmulator('firestore', logDir), startEmulator('pubsub', logDir)]);
console.log(`soak${quick ? ' (quick: test sizes)' : ''} on Firestore ${firestore.host} and Pub/Sub ${pubsub.host}; logs in ${logDir}`);
let failures = 0;
try {
  for (const scenario of SCENARIOS as Scenario<unknown>[]) {
    if (wanted.length > 0 && !wanted.includes(slug(scenario))) continue;
    const started = performance.now();
    try {
      const report = await scenario.run({ firestoreHost: firestore.host, pubsubHost: pubsub.host, logDir }, quick ? scenario.sizes.test : scenario.sizes.soak);
      if (report.lost > 0 || failed(report).length > 0) failures++;
      console.log(reportLine(scenario.name, report, (performance.now() - started) / 1000));
    } catch (error) {
      failures++;
      console.log(`${scenario.name.padEnd(20)} could not finish: ${(error as Error).message}`);
    }
  }
} finally {
  await Promise.all([firestore.stop(), pubsub.stop()]);
}
process.exit(failures > 0 ? 1 : 0);
