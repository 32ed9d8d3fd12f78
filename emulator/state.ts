import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './functions-host.ts';

/** What `npm start` is running, for the other local commands to find it. */
export interface LocalState {
  projectId: string;
  topic: string;
  firestoreHost: string;
  pubsubHost: string;
  ingestUrl: string;
  dispatchUrl: string;
  inboxUrl: string;
  /** The security team's dashboard, through a proxy that signs in as the local team. */
  dashboardUrl: string;
}

export const STATE_FILE = join(REPO_ROOT, '.comet-local', 'stack.json');

export function writeState(state: LocalState): void {
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(): void {
  rmSync(STATE_FILE, { force: true });
}

/** The running local stack, from `npm start`'s state file or the usual emulator variables. */
export function readState(): LocalState {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as LocalState;
  } catch {
    throw new Error('Comet is not running locally: start it with `npm start`');
  }
}
