import * as functions from '@google-cloud/functions-framework';
import { ingestFromEnvironment } from '../lib/runtime/ingest.ts';

/** Pub/Sub-triggered: one scanner finding in, one stored event (or dead letter) out. */
const handler = ingestFromEnvironment();

functions.cloudEvent('ingest', async (event: functions.CloudEvent<unknown>) => (await handler)(event));
