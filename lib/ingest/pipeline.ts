import { z } from 'zod';
import type { AlertEvent } from '../model/event.ts';
import { eventMetadataSchema } from '../model/metadata.ts';
import { isDirectoryMatch, type OwnerDirectory, type OwnerMatch } from '../owners/directory.ts';
import type { Registry } from '../plugin/registry.ts';
import type { Hydration, Source } from '../plugin/source.ts';
import { parseAlertJson } from './alert-json.ts';
import { alertIdentity, contentId, FINGERPRINT_PATTERN } from './fingerprint.ts';
import { decodeData, type InboundMessage } from './message.ts';
import { PermanentHydrationError, Refusal } from './refusal.ts';

export interface PipelineContext {
  registry: Registry;
  owners: OwnerDirectory;
  now: () => Date;
}

export type PipelineOutcome =
  | { kind: 'accepted'; source: Source; event: AlertEvent }
  | { kind: 'filtered'; source: Source; fingerprint: string };

/**
 * Decode, parse, hydrate, fingerprint and filter one message. No storage:
 * the outcome says what to store. A message that can never be accepted
 * throws a `Refusal`; any other error is transient and should be retried.
 */
export async function runPipeline(message: InboundMessage, context: PipelineContext): Promise<PipelineOutcome> {
  const sourceType = message.attributes.source_type;
  if (!sourceType) throw new Refusal('missing_source_type');
  const source = context.registry.source(sourceType);
  if (!source) throw new Refusal('unknown_source', `no source is registered under source_type "${sourceType}"`);

  const alert = parseAlertJson(decodeData(message, source.config.maxAlertBytes));
  const parsed = source.parse(alert);
  if (!parsed.success) {
    throw new Refusal('schema_violation', `the alert does not match the ${source.name} schema`, issueLines(parsed.error));
  }

  const hydration = checkedHydration(await hydrate(source, parsed.data, context.owners));
  const owner = toOwnerMatch(hydration.owner, context.owners);
  const identity = hydration.fingerprint ? { contentId: contentId(source.name, alert), fingerprint: hydration.fingerprint } : alertIdentity(source.name, alert, source.ignoreFields);
  const { fingerprint } = identity;
  const keep = await source.filter({ source: source.name, alert: parsed.data, owner, fingerprint, metadata: hydration.metadata });
  if (!keep) return { kind: 'filtered', source, fingerprint };

  return {
    kind: 'accepted',
    source,
    event: {
      id: identity.contentId,
      source: source.name,
      fingerprint,
      owner: owner.owner,
      ownerRule: owner.rule,
      metadata: { ...hydration.metadata, ou: hydration.metadata.ou ?? owner.ou },
      alert,
      messageId: message.messageId,
      publishedAt: message.publishTime,
      receivedAt: context.now(),
    },
  };
}

async function hydrate(source: Source, alert: object, owners: OwnerDirectory): Promise<Hydration> {
  try {
    return await source.hydrate(alert, { owners });
  } catch (error) {
    if (error instanceof PermanentHydrationError) throw new Refusal('hydration_failed', error.message);
    throw error;
  }
}

const hydrationSchema = z.object({
  owner: z.union([z.email(), z.custom<OwnerMatch>(isDirectoryMatch), z.object({ owner: z.email(), ou: z.string().optional(), rule: z.string() })]).optional(),
  fingerprint: z.string().regex(FINGERPRINT_PATTERN, 'must be 8 to 1024 characters of [a-zA-Z0-9._-]').optional(),
  metadata: eventMetadataSchema,
});

/** Hydrators are user code: what they return is checked like any input. */
function checkedHydration(hydration: Hydration): Hydration {
  const result = hydrationSchema.safeParse(hydration);
  if (!result.success) throw new Refusal('invalid_hydration', undefined, issueLines(result.error));
  return result.data;
}

function toOwnerMatch(owner: Hydration['owner'], owners: OwnerDirectory): OwnerMatch {
  if (owner === undefined) return owners.fallback();
  if (typeof owner === 'string') return { owner, rule: 'hydrator' };
  return owner;
}

function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
