import { runPipeline } from '../lib/ingest/pipeline.ts';
import { loadOwnerDirectory, loadSources } from '../lib/sources/index.ts';
import { alert } from './alerts.ts';
import { type Figure, percentile } from './stats.ts';

/**
 * Parse, hydrate, fingerprint and filter in process, no I/O: 10,000 mixed
 * alerts, five times over; the median round is reported, since one round
 * lasts half a second and a stray pause skews it.
 */
export async function benchIngestPipeline(count = 10_000, rounds = 5): Promise<Figure[]> {
  const context = { registry: await loadSources(), owners: loadOwnerDirectory(), now: () => new Date() };
  const messages = Array.from({ length: count }, (_, i) => {
    const a = alert(i);
    return { messageId: String(i), publishTime: new Date(), attributes: { source_type: a.source }, data: Buffer.from(a.body).toString('base64') };
  });
  for (const m of messages.slice(0, 2_000)) await runPipeline(m, context); // warm up the JIT
  const latencies: number[] = [];
  const throughputs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (const m of messages) {
      const t0 = performance.now();
      await runPipeline(m, context);
      latencies.push(performance.now() - t0);
    }
    throughputs.push(count / ((performance.now() - start) / 1000));
  }
  latencies.sort((a, b) => a - b);
  const throughput = percentile(throughputs.sort((a, b) => a - b), 50);
  return [
    { benchmark: 'ingest pipeline', figure: `throughput, ${count} mixed alerts, one core (median of ${rounds})`, value: throughput, unit: 'alerts/s', target: '>= 20000', met: throughput >= 20_000 },
    { benchmark: 'ingest pipeline', figure: 'latency per alert, p50', value: percentile(latencies, 50) * 1000, unit: 'µs' },
    { benchmark: 'ingest pipeline', figure: 'latency per alert, p99', value: percentile(latencies, 99) * 1000, unit: 'µs' },
  ];
}
