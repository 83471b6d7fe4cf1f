// What a command of the command line is given to talk to the world: its output streams, the signal that
// stops it, and (for tests) a Prism that is already running, a disk that fills, a shorter wait for a lock.
import type { WriteSeam } from './file-writes.js';
import type { startPrism } from './prism.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted when the process is asked to stop (SIGINT, SIGTERM, SIGHUP): ends `mock`, stops `verify`. */
  signal?: AbortSignal;
  /** Starts the embedded Prism mock (tests give one that is already running). */
  startPrism?: typeof startPrism;
  /** How long `mock -- COMMAND` lets a stopped command end before SIGKILL (default COMMAND_STOP_GRACE_MS). */
  stopGraceMs?: number;
  /** What files are written with (tests: a disk that fills mid-write); default node:fs/promises. */
  writeSeam?: WriteSeam;
  /** How long `coverage --write-baseline` waits for another run's lock (default LOCK_WAIT_MS). */
  lockWaitMs?: number;
  /** What `verify` sends its requests with (default the global fetch): tests drive an in-process fake with it. */
  fetch?: typeof globalThis.fetch;
}

/** The reason bin.ts aborts with: which signal stopped the process. */
export class Stopped extends Error {
  constructor(readonly signalName: 'SIGINT' | 'SIGTERM' | 'SIGHUP') {
    super(`stopped by ${signalName}`);
  }
}

/** Exit statuses: every check passed (skips allowed), a check failed, bad usage, verify could not run a check. */
export const EXIT = {
  passed: 0,
  failed: 1,
  usage: 2,
  internal: 3,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;
