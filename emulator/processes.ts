import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port nobody listens on right now, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether nothing listens on this port of 127.0.0.1. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A child process in its own process group, so stopping it stops its children (gcloud starts java). */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  stop(): Promise<void>;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
}

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

/** Last resort when the parent exits without stopping its children: kill their groups. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const managed of running) killGroup(managed.child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function forceKillGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Processes of a group that still run. Zombies do not count: where nothing
 * reaps orphans (PID 1 in some containers) a killed java lingers as one,
 * holding neither its port nor its memory. Linux only; elsewhere, empty.
 */
export function liveGroupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command name: state ppid pgrp ...
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return live;
}

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions & { logFile: string }): ManagedProcess {
  installExitHook();
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const managed: ManagedProcess = {
    name,
    child,
    logFile: options.logFile,
    async stop() {
      running.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
      if (timedOut) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
      // gcloud may exit before its java child: make sure the whole group is gone.
      killGroup(child, 'SIGKILL');
      const deadline = Date.now() + 5_000;
      while (child.pid !== undefined && liveGroupMembers(child.pid).length > 0 && Date.now() < deadline) {
        forceKillGroup(child.pid);
        await delay(50);
      }
    },
    logTail(lines = 20) {
      try {
        return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
  running.add(managed);
  return managed;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true, failing early if the process dies. */
export async function waitUntil(managed: ManagedProcess, what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null || managed.child.signalCode !== null) {
      throw new Error(`${managed.name} exited before ${what}:\n${managed.logTail()}`);
    }
    if (await check().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(`${managed.name}: timed out after ${timeoutMs} ms waiting for ${what}:\n${managed.logTail()}`);
}
