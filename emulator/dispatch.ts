import { readState } from './state.ts';

/**
 * `npm run dispatch -- [source] [--at ISO-DATE]`: runs dispatch now instead
 * of waiting for the local scheduler; `--at` runs it as if at that time.
 */
const args = process.argv.slice(2);
const atIndex = args.indexOf('--at');
const at = atIndex >= 0 ? args.splice(atIndex, 2)[1] : undefined;
const [source] = args;
const state = readState();
const response = await fetch(state.dispatchUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(at ? { 'x-comet-now': at } : {}) },
  body: JSON.stringify(source ? { source } : {}),
});
console.log(JSON.stringify(await response.json(), null, 2));
console.log(`\nThe inbox: ${state.inboxUrl}`);
process.exitCode = response.ok ? 0 : 1;
