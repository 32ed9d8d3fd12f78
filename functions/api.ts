import * as functions from '@google-cloud/functions-framework';
import { apiFromEnvironment } from '../lib/runtime/api.ts';

/** HTTP: the v0 API, the confirmation pages behind mail links, and the owner's page. */
functions.http('api', apiFromEnvironment());
