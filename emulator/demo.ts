import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pubsubClient } from './local-stack.ts';
import { readState } from './state.ts';
import { delay } from './processes.ts';

/**
 * `npm run demo`: publishes every sample alert to the running local Comet,
 * then runs dispatch as if a day had passed, so every source's batching
 * window is over and each owner's digest lands in the inbox at once, and
 * sends the security team's weekly summary.
 */
const SAMPLES = join(import.meta.dirname, 'samples');
const state = readState();
const pubsub = pubsubClient(state.pubsubHost, state.projectId);
const topic = pubsub.topic(state.topic);
for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.json'))) {
  const source = file.replace(/\.json$/, '');
  await topic.publishMessage({ data: readFileSync(join(SAMPLES, file)), attributes: { source_type: source } });
  console.log(`published the ${source} sample`);
}
await pubsub.close();

// Pub/Sub pushes to ingest within a moment; give it one.
await delay(2_000);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
const response = await fetch(state.dispatchUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-comet-now': tomorrow }, body: '{}' });
const { summaries } = (await response.json()) as { summaries: { source: string; digestsSent: number; issuesSent: number }[] };
for (const s of summaries) console.log(`dispatched ${s.source}: ${s.digestsSent} digest(s), ${s.issuesSent} issue(s)`);
const summary = await fetch(state.dispatchUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-comet-now': tomorrow }, body: '{"job": "weekly-summary"}' });
const { result } = (await summary.json()) as { result: { status: string } };
console.log(`weekly summary to the security team: ${result.status}`);
console.log(`\nOpen the inbox: ${state.inboxUrl}`);
console.log(`Act on an issue from a digest (snooze, false positive, accept risk), then see it counted on the dashboard: ${state.dashboardUrl}`);
