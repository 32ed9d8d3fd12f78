import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OwnerDirectory } from '../owners/directory.ts';
import { Registry } from '../plugin/registry.ts';
import type { Source } from '../plugin/source.ts';
import type { SourceConfigInput } from '../plugin/source-config.ts';

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

/**
 * Loads every plugin, with the deployment's `COMET_SOURCE_CONFIG` (JSON:
 * source name to settings) over each plugin's own config. Schedules stay
 * in the plugins, where Terraform reads them.
 */
export async function loadSources(dir: string = SOURCES_DIR, env: NodeJS.ProcessEnv = process.env): Promise<Registry> {
  const overrides = sourceOverrides(env.COMET_SOURCE_CONFIG);
  const registry = new Registry();
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.d\.ts$/.test(f) && !/^index\./.test(f))
    .sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isSource(module.default)) {
      throw new Error(`${join(dir, file)} must default-export defineSource({...})`);
    }
    const override = overrides.get(module.default.name);
    overrides.delete(module.default.name);
    registry.registerSource(override ? module.default.withConfig(override) : module.default);
  }
  if (overrides.size > 0) throw new Error(`COMET_SOURCE_CONFIG names no such source: ${[...overrides.keys()].join(', ')}`);
  return registry;
}

function sourceOverrides(json: string | undefined): Map<string, SourceConfigInput> {
  if (!json) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`COMET_SOURCE_CONFIG is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('COMET_SOURCE_CONFIG must be a JSON object of source name to settings');
  const entries = Object.entries(parsed as Record<string, SourceConfigInput>);
  for (const [name, config] of entries) {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`COMET_SOURCE_CONFIG: the settings of "${name}" must be a JSON object`);
    if ('schedule' in config) throw new Error(`COMET_SOURCE_CONFIG: the schedule of "${name}" is set in its plugin, where Terraform reads it`);
  }
  return new Map(entries);
}

function isSource(value: unknown): value is Source {
  return typeof value === 'object' && value !== null && 'name' in value && 'config' in value && 'parse' in value && 'hydrate' in value;
}
