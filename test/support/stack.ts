import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { describe, inject } from 'vitest';
import { type LocalStack, pubsubClient, startLocalStack } from '../../emulator/local-stack.ts';
import { type MailSink, startMailSink } from '../../emulator/mail-sink.ts';
import { delay } from '../../emulator/processes.ts';

export const emulators = inject('emulators');

/** A describe block that needs the emulators; skipped, with the reason in its name, where they are missing. */
export function describeWithEmulators(name: string, body: () => void): void {
  if (emulators) describe(name, body);
  else describe.skip(`${name} [SKIPPED: ${inject('emulatorsMissingReason')}]`, body);
}

export function uniqueProjectId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export type TestStack = LocalStack & { sink: MailSink };

/** Comet's functions on the shared emulators, with a project and a mail sink of their own. */
export async function startTestStack(prefix: string, env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  if (!emulators) throw new Error('emulators are not running');
  const projectId = uniqueProjectId(prefix);
  const sink = await startMailSink({ hangMs: 3_000 });
  try {
    const stack = await startLocalStack({
      projectId,
      topic: 'comet-alerts',
      emulators,
      mailUrl: sink.url,
      logDir: join(emulators.logDir, projectId),
      env,
    });
    return {
      ...stack,
      sink,
      stop: async () => {
        await stack.stop();
        await sink.stop();
      },
    };
  } catch (error) {
    await sink.stop();
    throw error;
  }
}

export function firestoreFor(stack: { projectId: string; firestoreHost: string }): Firestore {
  const [host, port] = stack.firestoreHost.split(':') as [string, string];
  return new Firestore({ projectId: stack.projectId, host, port: Number(port), ssl: false, customHeaders: { Authorization: 'Bearer owner' }, ignoreUndefinedProperties: true });
}

/** Publishes through the Pub/Sub emulator and returns the message id. */
export async function publish(stack: LocalStack, data: string | Buffer, attributes: Record<string, string> = {}): Promise<string> {
  const pubsub = pubsubClient(stack.pubsubHost, stack.projectId);
  try {
    return await pubsub.topic(stack.topic).publishMessage({ data: Buffer.from(data), attributes });
  } finally {
    await pubsub.close();
  }
}

export function sample(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', '..', 'emulator', 'samples', `${name}.json`), 'utf8');
}

export interface LogLine {
  severity: string;
  message: string;
  messageId?: string;
  [field: string]: unknown;
}

/** A function's structured log lines. */
export function functionLog(stack: LocalStack, target: 'ingest' | 'dispatch' = 'ingest'): LogLine[] {
  return readFileSync(stack[target].process.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}
