import type { EventMetadata } from './metadata.ts';

/** Why an issue is in a mail. */
export type DeliveryReason = 'new' | 'regression' | 'reminder-due' | 'open';

/** One issue as a router or escalator receives it. */
export interface DeliveredIssue {
  fingerprint: string;
  source: string;
  metadata: EventMetadata;
  firstSeen: Date;
  lastSeen: Date;
  reason: DeliveryReason;
}

/** Everything one owner hears about one source in one dispatch run. */
export interface Digest {
  source: string;
  owner: string;
  issues: readonly DeliveredIssue[];
}

/** Issues nobody acted on, sent to the source's escalation recipient. */
export interface Escalation {
  source: string;
  recipient: string;
  issues: readonly (DeliveredIssue & { firstEscalation: boolean })[];
}

/** Delivers a digest (the original's router). A rejection leaves the issues unsent. */
export type Router = (digest: Digest) => Promise<void>;
/** Delivers an escalation (the original's escalator). */
export type Escalator = (escalation: Escalation) => Promise<void>;
