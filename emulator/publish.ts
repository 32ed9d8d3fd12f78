import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pubsubClient } from './local-stack.ts';
import { readState } from './state.ts';

/**
 * `npm run publish -- <sample> [--source TYPE] [--count N]`: publishes a
 * sample alert (from emulator/samples/, or any JSON file) to the local topic,
 * as a scanner would.
 */
const SAMPLES = join(import.meta.dirname, 'samples');
const samples = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { source: { type: 'string' }, count: { type: 'string', default: '1' } },
});

const [name] = positionals;
if (!name) {
  console.log(`usage: npm run publish -- <sample or file.json> [--source TYPE] [--count N]\n\nsamples: ${samples.join(', ')}`);
  process.exit(1);
}
const file = samples.includes(name) ? join(SAMPLES, `${name}.json`) : name;
if (!existsSync(file)) {
  console.error(`no sample named "${name}" and no such file; samples: ${samples.join(', ')}`);
  process.exit(1);
}
const sourceType = values.source ?? basename(file).replace(/\.json$/, '');
const count = Number(values.count);

const state = readState();
const pubsub = pubsubClient(state.pubsubHost, state.projectId);
const topic = pubsub.topic(state.topic);
const data = readFileSync(file);
for (let i = 0; i < count; i++) {
  const messageId = await topic.publishMessage({ data, attributes: { source_type: sourceType } });
  console.log(`published ${file} as source_type=${sourceType} to ${state.topic}: message ${messageId}`);
}
await pubsub.close();
