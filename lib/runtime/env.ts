import { parseDuration } from '../util/duration.ts';
import type { SecurityTeam } from '../model/security-team.ts';

/** Firestore calls slower than this fail, so that the caller retries. */
export function storageTimeout(env: NodeJS.ProcessEnv): number {
  return parseDuration(env.COMET_STORAGE_TIMEOUT ?? '20s');
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

/** COMET_SECURITY_TEAM: comma-separated member emails; COMET_SECURITY_MAIL: the team's address. */
export function securityTeam(env: NodeJS.ProcessEnv): SecurityTeam {
  const members = (env.COMET_SECURITY_TEAM ?? '').split(',').map((m) => m.trim().toLowerCase()).filter(Boolean);
  return { members: new Set(members), mail: env.COMET_SECURITY_MAIL?.trim() || undefined };
}
