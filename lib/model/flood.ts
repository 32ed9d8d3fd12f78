/**
 * A scan that suddenly opens far more issues than a source usually does (a
 * scanner misconfigured, a new rule matching everything) is held instead of
 * mailed to every owner, until someone on the security team looks at it.
 */
export interface FloodHold {
  state: 'held' | 'released';
  detectedAt: Date;
  /** New issues in the held batch, and the figures they were judged by. */
  newIssues: number;
  threshold: number;
  /** New issues per batch, usually; null before the source's first batch. */
  usual: number | null;
  /** Owners the held batch would have mailed. */
  owners: number;
  /** The owners and issue types with the most new issues, most first. */
  topOwners: readonly NameCount[];
  topIssueTypes: readonly NameCount[];
  sourceReadable: string;
  /** When the security team was told; null until a mail went through. */
  alertSentAt: Date | null;
  releasedAt: Date | null;
  releasedBy: string | null;
  /** Released without mailing: the held events are settled, the issues stay open on owners' pages. */
  discard: boolean;
}

export interface NameCount {
  name: string;
  count: number;
}

/** What the security team hears about a held flood. */
export interface FloodAlert {
  source: string;
  hold: FloodHold;
  /** The security team's page that lists and releases holds. */
  floodsPageUrl: string;
}

/** Delivers a flood alert; a rejection leaves it to be tried again on the next run. */
export type FloodNotifier = (alert: FloodAlert) => Promise<void>;
