import type { Firestore } from '@google-cloud/firestore';
import { withDeadline } from '../util/deadline.ts';
import { isContention } from './errors.ts';
import type { FirestoreRest } from './firestore-rest.ts';

/**
 * What every Firestore adapter shares: the client (the library's, or the
 * REST one on the ingest path), and a deadline on each
 * call, because the client retries an unreachable backend for minutes while
 * callers (Pub/Sub, Cloud Scheduler, a browser) want a prompt failure to retry.
 */
export abstract class FirestoreAdapter<Client extends Firestore | FirestoreRest = Firestore> {
  protected readonly db: Client;
  private readonly timeoutMs: number;

  constructor(db: Client, options: { timeoutMs: number }) {
    this.db = db;
    this.timeoutMs = options.timeoutMs;
  }

  protected timed<T>(work: Promise<T>, what: string): Promise<T> {
    return withDeadline(work, this.timeoutMs, what);
  }

  /** A transaction's outcome, or `lost` when another transaction won its documents (this one then wrote nothing). */
  protected async unlessContended<T>(work: Promise<T>, lost: T): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (isContention(error)) return lost;
      throw error;
    }
  }
}
