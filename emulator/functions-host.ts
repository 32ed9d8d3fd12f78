import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, type ManagedProcess, startProcess, waitUntil } from './processes.ts';

export const REPO_ROOT = join(import.meta.dirname, '..');

export interface ServedFunction {
  target: string;
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

// The package exports no path to its CLI; find it beside its main module.
const frameworkMain = join(dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')), 'main.js');

/**
 * Serves one function from `functions/` with the functions-framework CLI, as
 * Cloud Functions does: one target per process, on a free port.
 */
export async function serveFunction(
  target: string,
  options: { file: string; signatureType: 'cloudevent' | 'http'; env: NodeJS.ProcessEnv; logDir: string },
): Promise<ServedFunction> {
  const port = await freePort();
  const managed = startProcess(
    `function ${target}`,
    process.execPath,
    [frameworkMain, `--target=${target}`, `--source=${join(REPO_ROOT, 'functions', options.file)}`, `--signature-type=${options.signatureType}`, `--port=${port}`],
    { logFile: join(options.logDir, `function-${target}.log`), env: { ...process.env, ...options.env }, cwd: REPO_ROOT },
  );
  const url = `http://127.0.0.1:${port}`;
  // Any HTTP answer means the server is up; a GET to a cloudevent function is a 4xx.
  await waitUntil(managed, `it served ${url}`, async () => (await fetch(url)).status > 0, 30_000);
  return { target, url, process: managed, stop: () => managed.stop() };
}
