import * as functions from '@google-cloud/functions-framework';
import { dispatchFromEnvironment } from '../lib/runtime/dispatch.ts';

/** Scheduler-triggered: mails each owner of a source their digest, and escalates. */
const handler = dispatchFromEnvironment();

functions.http('dispatch', async (req, res) => (await handler)(req, res));
