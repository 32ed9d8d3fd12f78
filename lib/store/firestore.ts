import { Firestore } from '@google-cloud/firestore';

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
