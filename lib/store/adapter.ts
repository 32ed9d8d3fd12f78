import type { Firestore } from '@google-cloud/firestore';
import { withDeadline } from '../util/deadline.ts';

/**
 * What every Firestore adapter shares: the client, and a deadline on each
 * call, because the client retries an unreachable backend for minutes while
 * callers (Pub/Sub, Cloud Scheduler, a browser) want a prompt failure to retry.
 */
export abstract class FirestoreAdapter {
  protected readonly db: Firestore;
  private readonly timeoutMs: number;

  constructor(db: Firestore, options: { timeoutMs: number }) {
    this.db = db;
    this.timeoutMs = options.timeoutMs;
  }

  protected timed<T>(work: Promise<T>, what: string): Promise<T> {
    return withDeadline(work, this.timeoutMs, what);
  }
}
