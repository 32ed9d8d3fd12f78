import type { CloudEvent } from '@google-cloud/functions-framework';
import type { DeadLetterStore } from '../store/dead-letter-store.ts';
import { isInvalidArgument } from '../store/errors.ts';
import type { EventStore } from '../store/event-store.ts';
import { dimensionsOf } from '../metrics/model.ts';
import { LOG_METRICS, type Logger, metricFields } from '../util/log.ts';
import { type InboundMessage, messageFromCloudEvent } from './message.ts';
import { type PipelineContext, runPipeline } from './pipeline.ts';
import { Refusal } from './refusal.ts';

export interface IngestDependencies extends PipelineContext {
  events: EventStore;
  deadLetters: DeadLetterStore;
  log: Logger;
}

/**
 * The ingest function's body. Returning acks the message; throwing makes
 * Pub/Sub redeliver it, which only transient failures (storage unreachable)
 * should do. Refused alerts are acked once their dead letter is written.
 */
export function createIngestHandler(deps: IngestDependencies) {
  return async function ingest(cloudEvent: CloudEvent<unknown>): Promise<void> {
    const message = messageFromCloudEvent(cloudEvent);
    const log = deps.log.with({ messageId: message.messageId, source_type: message.attributes.source_type });
    try {
      const outcome = await runPipeline(message, deps);
      if (outcome.kind === 'filtered') {
        log.info('alert filtered out by its source', { fingerprint: outcome.fingerprint });
        return;
      }
      const { event, source } = outcome;
      const result = await deps.events.record(event, source.config.dedupeWindow);
      const counted = result === 'duplicate' ? {} : metricFields(LOG_METRICS.alertReceived, dimensionsOf(event.source, event.metadata));
      log.info(`alert ${result}`, { fingerprint: event.fingerprint, eventId: event.id, owner: event.owner, ownerRule: event.ownerRule, result, ...counted });
    } catch (error) {
      const refusal =
        error instanceof Refusal ? error : isInvalidArgument(error) ? new Refusal('storage_rejected', `Firestore rejected the event: ${(error as Error).message}`) : undefined;
      if (!refusal) {
        log.error('ingest failed; the message will be redelivered', { error });
        throw error;
      }
      await refuse(message, refusal, deps, log);
    }
  };
}

async function refuse(message: InboundMessage, refusal: Refusal, deps: IngestDependencies, log: Logger): Promise<void> {
  const id = await deps.deadLetters.record({
    reason: refusal.reason,
    error: refusal.message,
    details: refusal.details,
    sourceType: message.attributes.source_type,
    messageId: message.messageId,
    attributes: message.attributes,
    publishedAt: message.publishTime,
    receivedAt: deps.now(),
    rawData: message.data,
  });
  log.warning(`alert refused: ${refusal.message}`, { reason: refusal.reason, details: refusal.details, deadLetterId: id });
}
