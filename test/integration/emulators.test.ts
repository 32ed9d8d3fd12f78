import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startEmulator } from '../../emulator/emulators.ts';
import { liveGroupMembers } from '../../emulator/processes.ts';
import { describeWithEmulators } from '../support/stack.ts';

const accepts = (host: string) =>
  new Promise<boolean>((resolve) => {
    const [hostname, port] = host.split(':') as [string, string];
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describeWithEmulators('emulator lifecycle', () => {
  it('stops gcloud and the java it started, freeing the port', async () => {
    const emulator = await startEmulator('pubsub', mkdtempSync(join(tmpdir(), 'comet-emulator-')));
    const group = emulator.process.child.pid as number;
    expect(await accepts(emulator.host)).toBe(true);
    // gcloud and the java it started, at least.
    expect(liveGroupMembers(group).length).toBeGreaterThanOrEqual(2);
    await emulator.stop();
    expect(liveGroupMembers(group)).toEqual([]);
    expect(await accepts(emulator.host)).toBe(false);
  });
});
