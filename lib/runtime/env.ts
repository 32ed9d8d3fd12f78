import { parseDuration } from '../util/duration.ts';

/** Firestore calls slower than this fail, so that the caller retries. */
export function storageTimeout(env: NodeJS.ProcessEnv): number {
  return parseDuration(env.COMET_STORAGE_TIMEOUT ?? '20s');
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}
