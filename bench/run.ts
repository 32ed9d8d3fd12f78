import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { emulatorsMissing } from '../emulator/emulators.ts';
import { benchColdStart } from './cold-start.ts';
import { runDispatchScale } from './dispatch-scale.ts';
import { benchIngestEndToEnd } from './ingest-e2e.ts';
import { benchIngestPipeline } from './ingest-pipeline.ts';
import { benchRender } from './render.ts';
import { type Figure, report } from './stats.ts';

/**
 * `npm run bench`: every benchmark, each figure with its target. Benchmarks
 * report; they never fail the build. The emulator-backed ones start their
 * own emulators. docs/performance.md records the figures.
 */
process.env.METADATA_SERVER_DETECTION ??= 'none';
const quick = process.argv.includes('--quick');

report(await benchIngestPipeline());
report(await benchRender());
execFileSync(process.execPath, [join(import.meta.dirname, '..', 'terraform', 'build.ts')], { stdio: 'ignore' });
report(benchColdStart());

const missing = emulatorsMissing();
if (missing) {
  console.log(`\n!! emulator benchmarks skipped: ${missing}`);
} else {
  report(await benchIngestEndToEnd(quick ? 1_000 : 10_000));
  // Heap limits as a 256 MiB and a 512 MiB instance would set them.
  for (const [events, memoryMiB, heapMiB] of quick ? [[10_000, 256, 160]] : [[10_000, 256, 160], [100_000, 512, 400]]) {
    const r = await runDispatchScale(events as number, heapMiB as number);
    const perThousand = (r.roundTrips / r.events) * 1000;
    const figures: Figure[] = [
      { benchmark: 'dispatch', figure: `${r.events} events, 1000 owners, 3 sources: wall time`, value: r.seconds, unit: 's' },
      { benchmark: 'dispatch', figure: 'time per event', value: (r.seconds / r.events) * 1e6, unit: 'µs' },
      { benchmark: 'dispatch', figure: 'Firestore round trips per 1000 events', value: perThousand, unit: 'round trips', target: '<= 30', met: perThousand <= 30 },
      { benchmark: 'dispatch', figure: 'fewer round trips than the original (4000 per 1000)', value: 4000 / perThousand, unit: 'times' },
      { benchmark: 'dispatch', figure: 'Firestore reads, writes per event', value: r.reads / r.events, unit: `reads, ${(r.writes / r.events).toFixed(2)} writes` },
      { benchmark: 'dispatch', figure: `digests rendered`, value: r.digests, unit: 'digests' },
      { benchmark: 'dispatch', figure: `peak RSS (heap limit ${heapMiB} MiB)`, value: r.peakRssMiB, unit: 'MiB', target: `<= ${memoryMiB}`, met: r.peakRssMiB <= (memoryMiB as number) },
      { benchmark: 'dispatch', figure: 'RSS before dispatch, everything loaded', value: r.baselineRssMiB, unit: 'MiB' },
    ];
    report(figures);
  }
}
process.exit(0);
