import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OwnerDirectory } from '../owners/directory.ts';
import { Registry } from '../plugin/registry.ts';
import type { Source } from '../plugin/source.ts';

/**
 * Every scanner plugin lives in this folder, one file each, default-exporting
 * `defineSource(...)`. Adding a file is all it takes to add a source.
 */
export const SOURCES_DIR = import.meta.dirname;

/** Where owners are looked up: `COMET_OWNERS_FILE`, or `owners.json` beside the plugins. */
export function ownersFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.COMET_OWNERS_FILE ?? join(SOURCES_DIR, 'owners.json');
}

export function loadOwnerDirectory(env: NodeJS.ProcessEnv = process.env): OwnerDirectory {
  return OwnerDirectory.fromFile(ownersFile(env));
}

export async function loadSources(dir: string = SOURCES_DIR): Promise<Registry> {
  const registry = new Registry();
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.d\.ts$/.test(f) && !/^index\./.test(f))
    .sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isSource(module.default)) {
      throw new Error(`${join(dir, file)} must default-export defineSource({...})`);
    }
    registry.registerSource(module.default);
  }
  return registry;
}

function isSource(value: unknown): value is Source {
  return typeof value === 'object' && value !== null && 'name' in value && 'config' in value && 'parse' in value && 'hydrate' in value;
}
