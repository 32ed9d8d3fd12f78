import type { LinkAction } from '../links/token.ts';
import type { EventMetadata } from './metadata.ts';

/** Why an issue goes into an owner's mail. */
export type SendReason = 'new' | 'regression' | 'reminder-due' | 'open';
/** Why an issue goes into an escalation mail. */
export type EscalationReason = 'escalation-due' | 'owner-escalated';

export interface ActionLink {
  action: LinkAction;
  label: string;
  url: string;
}

/** What every mail shows of an issue. */
export interface IssueSummary {
  fingerprint: string;
  source: string;
  owner: string;
  metadata: EventMetadata;
  firstSeen: Date;
  lastSeen: Date;
}

export interface DeliveredIssue extends IssueSummary {
  reason: SendReason;
  /** What to do about this kind of issue, from the source's plugin. */
  instructions: string | undefined;
  actions: ActionLink[];
}

/** Everything one owner hears about one source in one dispatch run. */
export interface Digest {
  source: string;
  sourceReadable: string;
  owner: string;
  /** New issues and regressions first; capped at the source's `digestLimit`. */
  issues: readonly DeliveredIssue[];
  /** Issues left out by the cap. */
  omitted: number;
  ownerPageUrl: string;
  /** The source's subject line, with `{source}`, `{count}` and `{new}` to fill in. */
  subject: string;
}

export interface EscalatedIssue extends IssueSummary {
  reason: EscalationReason;
  firstEscalation: boolean;
}

/** Issues nobody acted on, for the source's escalation recipient. */
export interface Escalation {
  source: string;
  sourceReadable: string;
  recipient: string;
  issues: readonly EscalatedIssue[];
  omitted: number;
}

/** Delivers a digest (the original's router). A rejection leaves its issues unsent. */
export type Router = (digest: Digest) => Promise<void>;
/** Delivers an escalation (the original's escalator). */
export type Escalator = (escalation: Escalation) => Promise<void>;
