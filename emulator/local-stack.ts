import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { REPO_ROOT, type ServedFunction, serveFunction } from './functions-host.ts';

export const LOCAL_SECURITY_TEAM = 'security@example.com';

export interface StackOptions {
  projectId: string;
  topic: string;
  /** The running emulators; `npm start` and the tests start them (see emulators.ts). */
  emulators: { firestoreHost: string; pubsubHost: string };
  logDir?: string;
  /** The SendGrid-compatible sink dispatch mails through. */
  mailUrl: string;
  /** Extra environment for the functions. */
  env?: NodeJS.ProcessEnv;
}

export interface LocalStack {
  projectId: string;
  topic: string;
  subscription: string;
  firestoreHost: string;
  pubsubHost: string;
  ingest: ServedFunction;
  dispatch: ServedFunction;
  api: ServedFunction;
  /** Signs the action links in mails; a fresh one per local run. */
  linkSecret: string;
  logDir: string;
  /** The environment a client needs to reach this stack's emulators. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Comet's functions as they run in Google Cloud, on this machine's
 * emulators: ingest and dispatch under functions-framework, and an alert
 * topic whose push subscription delivers to ingest.
 */
export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const logDir = options.logDir ?? join(REPO_ROOT, '.comet-local', 'logs');
  mkdirSync(logDir, { recursive: true });
  const hosts = options.emulators;
  const env: NodeJS.ProcessEnv = {
    GOOGLE_CLOUD_PROJECT: options.projectId,
    FIRESTORE_EMULATOR_HOST: hosts.firestoreHost,
    PUBSUB_EMULATOR_HOST: hosts.pubsubHost,
    METADATA_SERVER_DETECTION: 'none',
    // Locally the security team is one address: sign in as it (X-Comet-User) to see the team's pages.
    COMET_SECURITY_TEAM: LOCAL_SECURITY_TEAM,
    COMET_SECURITY_MAIL: LOCAL_SECURITY_TEAM,
  };
  const linkSecret = randomBytes(32).toString('base64url');
  const served: ServedFunction[] = [];
  const stopServed = () => Promise.all(served.map((f) => f.stop()));
  const serve = async (...args: Parameters<typeof serveFunction>) => {
    const fn = await serveFunction(...args);
    served.push(fn);
    return fn;
  };
  let ingest: ServedFunction, api: ServedFunction, dispatch: ServedFunction;
  try {
    [ingest, api] = await Promise.all([
      serve('ingest', { file: 'ingest.ts', signatureType: 'cloudevent', env: { ...env, ...options.env }, logDir }),
      // Local only: the owner page trusts an X-Comet-User header.
      serve('api', { file: 'api.ts', signatureType: 'http', env: { ...env, COMET_LINK_SECRET: linkSecret, COMET_INSECURE_DEV_AUTH: 'true', ...options.env }, logDir }),
    ]);
    dispatch = await serve('dispatch', {
      file: 'dispatch.ts',
      signatureType: 'http',
      env: { ...env, SENDGRID_API_KEY: 'SG.local-sink', SENDGRID_API_URL: options.mailUrl, COMET_API_URL: api.url, COMET_LINK_SECRET: linkSecret, COMET_ALLOW_CLOCK_OVERRIDE: 'true', ...options.env },
      logDir,
    });
  } catch (error) {
    await stopServed();
    throw error;
  }
  const subscription = `${options.topic}-ingest`;
  try {
    await createPushSubscription(hosts.pubsubHost, options.projectId, options.topic, subscription, ingest.url);
  } catch (error) {
    await stopServed();
    throw error;
  }
  return {
    projectId: options.projectId,
    topic: options.topic,
    subscription,
    firestoreHost: hosts.firestoreHost,
    pubsubHost: hosts.pubsubHost,
    ingest,
    dispatch,
    api,
    linkSecret,
    logDir,
    env,
    stop: async () => {
      await stopServed();
    },
  };
}

export function pubsubClient(host: string, projectId: string): PubSub {
  // Against the emulator there is no metadata server to probe; the probe only warns.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  return new PubSub({ projectId, apiEndpoint: host, emulatorMode: true });
}

export async function createPushSubscription(host: string, projectId: string, topicName: string, subscription: string, functionUrl: string): Promise<void> {
  const pubsub = pubsubClient(host, projectId);
  try {
    const [topic] = await pubsub.createTopic(topicName);
    await topic.createSubscription(subscription, {
      // The path names the topic so that functions-framework can fill the CloudEvent's source.
      pushConfig: { pushEndpoint: `${functionUrl}/projects/${projectId}/topics/${topicName}` },
      ackDeadlineSeconds: 30,
      // No retry policy here, unlike terraform/pubsub.tf: the emulator's backoff stops redelivering
      // for good after a burst of about a hundred failed pushes. Without one it redelivers every second.
    });
  } finally {
    await pubsub.close();
  }
}
