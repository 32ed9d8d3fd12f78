import { Firestore } from '@google-cloud/firestore';

/** Collection names, in one place so the docs, indexes and code agree. */
export const COLLECTIONS = {
  events: 'events',
  issues: 'issues',
  deadLetters: 'deadLetters',
  /** One per source: the dispatch lease and when the source last escalated. */
  dispatchState: 'dispatchState',
  /** The audit trail: every action taken on an issue. */
  interactions: 'interactions',
} as const;

/**
 * A Firestore client for this deployment. Locally `FIRESTORE_EMULATOR_HOST`
 * points it at the emulator. (The REST transport, `preferRest`, cannot
 * authenticate against the emulator, so the client stays on gRPC.)
 */
export function createFirestore(env: NodeJS.ProcessEnv = process.env): Firestore {
  const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  return new Firestore({
    ...(projectId ? { projectId } : {}),
    ignoreUndefinedProperties: true,
  });
}
