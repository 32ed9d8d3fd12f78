import { describe, inject } from 'vitest';
import { startStack, type TestStack } from './harness.ts';

export * from './harness.ts';

export const emulators = inject('emulators');

/** A describe block that needs the emulators; skipped, with the reason in its name, where they are missing. */
export function describeWithEmulators(name: string, body: () => void): void {
  if (emulators) describe(name, body);
  else describe.skip(`${name} [SKIPPED: ${inject('emulatorsMissingReason')}]`, body);
}

/** Comet's functions on the shared emulators. */
export function startTestStack(prefix: string, env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  if (!emulators) throw new Error('emulators are not running');
  return startStack(emulators, prefix, env);
}
