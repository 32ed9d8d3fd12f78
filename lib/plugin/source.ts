import type { z } from 'zod';
import type { JsonObject } from '../model/json.ts';
import type { EventMetadata } from '../model/metadata.ts';
import type { OwnerDirectory, OwnerMatch } from '../owners/directory.ts';
import type { IgnoredField } from '../ingest/fingerprint.ts';
import { parseDuration } from '../util/duration.ts';
import { parseSourceConfig, type SourceConfig, type SourceConfigInput } from './source-config.ts';

/** What a hydrator can use besides the alert. */
export interface HydrateContext {
  owners: OwnerDirectory;
}

/** What a hydrator adds to an alert. */
export interface Hydration {
  /**
   * The owner: a directory match (keeps which rule matched) or an email.
   * Left out, the directory's default owner gets the alert; it is never dropped.
   */
  owner?: OwnerMatch | string | undefined;
  /** Replaces the default fingerprint; must match `[a-zA-Z0-9._-]{8,1024}`. */
  fingerprint?: string | undefined;
  metadata: EventMetadata;
}

/** An alert after hydration, as a source's filter sees it. */
export interface HydratedAlert<A> {
  source: string;
  alert: A;
  owner: OwnerMatch;
  fingerprint: string;
  metadata: EventMetadata;
}

/**
 * Everything Comet needs to know about one scanner. The typed equivalents of
 * the original's `register_parser` (schema), `register_hydrator` (hydrate),
 * `register_filter` (filter), `set_config` and `register_real_time_source`
 * (config).
 */
export interface SourceDefinition<S extends z.ZodType<object>> {
  /** The `source_type` attribute that scanners set on their Pub/Sub messages. */
  name: string;
  /** Validates the alert body; its output type is what hydrate and filter see. */
  schema: S;
  /** Volatile fields (ids, timestamps) left out of the default fingerprint. */
  ignoreFields?: readonly IgnoredField[];
  hydrate(alert: z.output<S>, context: HydrateContext): Hydration | Promise<Hydration>;
  /** Return false to drop the alert before it is stored. */
  filter?(event: HydratedAlert<z.output<S>>): boolean | Promise<boolean>;
  /** What an owner should do about an issue of this kind, shown under it in mails. */
  instructions?(metadata: EventMetadata): string | undefined;
  /** Real-time sources: how long an issue may go unanswered, when it depends on the issue (e.g. its severity). */
  escalateCadence?(metadata: EventMetadata): string;
  config?: SourceConfigInput;
}

/** A registered scanner with its config validated. Type parameters are erased here: the registry holds many. */
export interface Source {
  readonly name: string;
  readonly config: SourceConfig;
  readonly ignoreFields: readonly IgnoredField[];
  parse(alert: JsonObject): z.ZodSafeParseResult<object>;
  hydrate(alert: object, context: HydrateContext): Hydration | Promise<Hydration>;
  filter(event: HydratedAlert<object>): boolean | Promise<boolean>;
  instructions(metadata: EventMetadata): string | undefined;
  /** Milliseconds a real-time issue may go unanswered. */
  escalateCadenceMs(metadata: EventMetadata): number;
  /** The same source with some settings replaced, validated like the plugin's own. */
  withConfig(overrides: SourceConfigInput): Source;
}

const SOURCE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** Declares a scanner plugin. Fails at startup, naming the source and key, if anything is wrong. */
export function defineSource<S extends z.ZodType<object>>(definition: SourceDefinition<S>): Source {
  if (!SOURCE_NAME.test(definition.name)) {
    throw new Error(`invalid source name "${definition.name}": use lowercase letters, digits, "-" and "_", starting with a letter`);
  }
  const { name, schema, hydrate, filter, instructions, escalateCadence } = definition;
  const config = parseSourceConfig(name, definition.config);
  return Object.freeze({
    name,
    config,
    ignoreFields: definition.ignoreFields ?? [],
    parse: (alert: JsonObject) => schema.safeParse(alert),
    // The registry only hands a source the output of that source's own schema.
    hydrate: (alert: object, context: HydrateContext) => hydrate(alert as z.output<S>, context),
    filter: (event: HydratedAlert<object>) => (filter ? filter(event as HydratedAlert<z.output<S>>) : true),
    instructions: (metadata: EventMetadata) => instructions?.(metadata),
    escalateCadenceMs: (metadata: EventMetadata) => (escalateCadence ? parseDuration(escalateCadence(metadata)) : config.escalateCadence),
    withConfig: (overrides: SourceConfigInput) => defineSource({ ...definition, config: { ...definition.config, ...overrides } }),
  });
}
