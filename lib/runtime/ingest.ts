import { createIngestHandler } from '../ingest/handler.ts';
import { loadOwnerDirectory, loadSources } from '../sources/index.ts';
import { DeadLetterStore } from '../store/dead-letter-store.ts';
import { EventStore } from '../store/event-store.ts';
import { FirestoreRest } from '../store/firestore-rest.ts';
import { parseDuration } from '../util/duration.ts';
import { log } from '../util/log.ts';
import { storageTimeout } from './env.ts';

/**
 * The ingest function's wiring, from the environment. It loads neither MJML
 * nor the mail client: ingest starts cold on every burst.
 */
export async function ingestFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const db = new FirestoreRest(env);
  const timeoutMs = storageTimeout(env);
  return createIngestHandler({
    registry: await loadSources(undefined, env),
    owners: loadOwnerDirectory(env),
    events: new EventStore(db, { retentionMs: parseDuration(env.COMET_EVENT_RETENTION ?? '90d'), timeoutMs }),
    deadLetters: new DeadLetterStore(db, { timeoutMs }),
    log,
    now: () => new Date(),
  });
}
