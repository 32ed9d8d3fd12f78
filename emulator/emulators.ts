import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type ManagedProcess, portFree, startProcess, waitUntil } from './processes.ts';

export type EmulatorKind = 'firestore' | 'pubsub';

export interface Emulator {
  kind: EmulatorKind;
  /** `127.0.0.1:PORT`, the form `FIRESTORE_EMULATOR_HOST` and `PUBSUB_EMULATOR_HOST` take. */
  host: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Why the emulators cannot run here, or undefined if they can. */
export function emulatorsMissing(): string | undefined {
  for (const [command, args] of [
    ['gcloud', ['--version']],
    ['java', ['-version']],
  ] as const) {
    const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    if (result.error || result.status !== 0) return `"${command}" is not available (${result.error?.message ?? `exit ${result.status}`})`;
  }
  return undefined;
}

/** Starts a Google Cloud emulator on a free port and waits until it answers `Ok`. */
export async function startEmulator(kind: EmulatorKind, logDir: string, port?: number, options: { importData?: string } = {}): Promise<Emulator> {
  if (port !== undefined && !(await portFree(port))) {
    throw Object.assign(new Error(`port ${port} is taken`), { code: 'EADDRINUSE' });
  }
  for (let attempt = 1; ; attempt++) {
    const chosen = port ?? (await freePort());
    const host = `127.0.0.1:${chosen}`;
    const managed = startProcess(`${kind} emulator`, 'gcloud', ['beta', 'emulators', kind, 'start', `--host-port=${host}`, '--quiet', ...(options.importData ? [`--import-data=${options.importData}`] : [])], {
      logFile: join(logDir, `${kind}-emulator.log`),
      env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
    });
    try {
      await waitUntil(managed, 'it answered Ok', async () => (await (await fetch(`http://${host}/`)).text()).trim() === 'Ok');
      return { kind, host, process: managed, stop: () => managed.stop() };
    } catch (error) {
      await managed.stop();
      // Another process may have taken the port between choosing and binding it.
      if (port !== undefined || attempt >= 3) throw error;
    }
  }
}

/**
 * Saves every document of one project of the Firestore emulator under
 * `directory`; returns the file `startEmulator`'s `importData` takes.
 */
export async function exportFirestore(host: string, projectId: string, directory: string): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: directory }),
  });
  if (!response.ok) throw new Error(`exporting from the Firestore emulator failed: ${response.status} ${await response.text()}`);
  const metadata = readdirSync(directory, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.overall_export_metadata'));
  if (!metadata) throw new Error(`the Firestore emulator wrote no export metadata under ${directory}`);
  return join(directory, metadata);
}

/** Deletes every document in one project of the Firestore emulator. */
export async function resetFirestore(host: string, projectId: string): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`resetting the Firestore emulator failed: ${response.status} ${await response.text()}`);
}
