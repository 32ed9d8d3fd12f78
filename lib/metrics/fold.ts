import type { IssueAction } from '../model/interaction.ts';
import type { EventMetadata } from '../model/metadata.ts';
import { ACTION_COUNTS, dayOf, type Dimensions, dimensionsOf } from './model.ts';
import type { Rollups } from './rollups.ts';

/** A stored sighting (an event at its `receivedAt`). */
export interface EventFact {
  id: string;
  at: Date;
  fingerprint: string;
  source: string;
  metadata: EventMetadata;
}

/** An action on an issue (an interaction). */
export interface InteractionFact {
  id: string;
  at: Date;
  fingerprint: string;
  source: string;
  action: IssueAction;
}

/** Names one fact: the event or interaction id, and its time. */
export interface Marker {
  id: string;
  at: Date;
}

/**
 * What the rollup has marked on an issue: the sighting that opened it and
 * the interaction that first acted on it. A mark is written before the
 * counts it decides are committed, so a fold that is repeated after a crash
 * finds its own marks and counts the same.
 */
export interface IssueMarks {
  opened?: Marker | undefined;
  firstAction?: Marker | undefined;
}

export interface FoldIssue extends IssueMarks {
  /** The issue's figures are kept under its current metadata. */
  dims: Dimensions | undefined;
}

export interface FoldInput {
  /** Events received after the last fold, oldest first. */
  events: readonly EventFact[];
  /** Interactions after the last fold, oldest first. */
  interactions: readonly InteractionFact[];
  /** The issues of these facts, with their marks. */
  issues: ReadonlyMap<string, FoldIssue>;
}

export interface FoldResult {
  /** Marks to write on issues before the counts are committed. */
  marks: Map<string, IssueMarks>;
  /** Issues this fold counted as opened, actions it counted, and first actions it timed: each a counted log line once committed. */
  opened: Dimensions[];
  actions: (Dimensions & { action: IssueAction })[];
  firstActions: (Dimensions & { seconds: number })[];
}

/**
 * Adds what happened since the last fold to the rollups, and returns the
 * marks to write. Events are folded before interactions: an issue is always
 * seen before anyone acts on it, so its opening is known when its first
 * action is timed.
 */
export function foldFacts(input: FoldInput, rollups: Rollups): FoldResult {
  const written = new Map<string, IssueMarks>();
  const result: FoldResult = { marks: written, opened: [], actions: [], firstActions: [] };
  const marks = (fingerprint: string): IssueMarks => ({ ...input.issues.get(fingerprint), ...written.get(fingerprint) });
  const mark = (fingerprint: string, add: IssueMarks) => written.set(fingerprint, { ...written.get(fingerprint), ...add });

  for (const event of input.events) {
    const dims = dimensionsOf(event.source, event.metadata);
    const day = dayOf(event.at);
    rollups.count(day, dims, 'received');
    const opened = marks(event.fingerprint).opened;
    if (opened && !isMarker(opened, event)) continue;
    rollups.count(day, dims, 'opened');
    result.opened.push(dims);
    if (!opened) mark(event.fingerprint, { opened: { id: event.id, at: event.at } });
  }

  for (const interaction of input.interactions) {
    const dims = input.issues.get(interaction.fingerprint)?.dims ?? dimensionsOf(interaction.source, {});
    const day = dayOf(interaction.at);
    rollups.count(day, dims, ACTION_COUNTS[interaction.action]);
    result.actions.push({ ...dims, action: interaction.action });
    const { opened, firstAction } = marks(interaction.fingerprint);
    if (firstAction && !isMarker(firstAction, interaction)) continue;
    if (!firstAction) mark(interaction.fingerprint, { firstAction: { id: interaction.id, at: interaction.at } });
    // Issues opened before metrics were kept have no opening to time from (or only a later sighting's).
    if (!opened || opened.at.getTime() > interaction.at.getTime()) continue;
    const seconds = Math.round((interaction.at.getTime() - opened.at.getTime()) / 1000);
    rollups.firstAction(day, dims.source, { ou: dims.ou, seconds });
    result.firstActions.push({ ...dims, seconds });
  }
  return result;
}

function isMarker(marker: Marker, fact: { id: string; at: Date }): boolean {
  return marker.id === fact.id && marker.at.getTime() === fact.at.getTime();
}
