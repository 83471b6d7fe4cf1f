// Runs the command of `mock -- COMMAND` under a guardian, so that nothing the command starts outlives the
// mock, whatever ends the command and whatever ends the mock (SIGKILL included: Node has no PDEATHSIG).
import { spawn } from 'node:child_process';
import { quoted } from '../client/quote.js';

const POSIX = process.platform !== 'win32';

/**
 * The guardian, as `node -e` runs it (CommonJS, nothing imported from this package: it runs the same from
 * src/ under tsx and from dist/). It starts the command in a process group of its own, holds the IPC channel
 * to the mock, and stops the whole group (the signal, then SIGKILL after the grace) when the command ends,
 * when the mock passes on a stop, or when the channel closes because the mock died, however it died (the
 * kernel closes a dead process's end). It tells the mock how the command ended only once the group is gone.
 */
const GUARDIAN = `'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const { readdirSync, readFileSync } = require('node:fs');
const posix = process.platform !== 'win32';
let child, grace = 0, killer, killed = false, poll, status, failure, finished = false;
const group = (signal) => {
  if (!child || !child.pid) return false;
  try { if (posix) process.kill(-child.pid, signal); else child.kill(signal); return true; } catch { return false; }
};
// Whether the group still has a member that is not a zombie (on Linux, from /proc: a zombie waits for
// whoever inherited it to reap it, which some init processes do only every second or so).
const living = () => {
  if (!group(0)) return false;
  if (process.platform !== 'linux') return true;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\\d+$/.test(pid)) continue;
      let stat;
      try { stat = readFileSync('/proc/' + pid + '/stat', 'utf8'); } catch { continue; }
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && Number(pgrp) === child.pid) return true;
    }
    return false;
  } catch { return true; }
};
const done = () => {
  if (finished) return;
  finished = true;
  clearTimeout(killer);
  clearInterval(poll);
  if (process.connected) process.send({ status, failure }, () => process.disconnect());
  else process.exit(0);
};
// A stop: the signal to the whole group, then SIGKILL after the grace (once, from the first stop).
const stop = (signal) => {
  if (!group(signal)) return;
  killer = killer || setTimeout(() => {
    group('SIGKILL');
    killed = true;
    if (status !== undefined) done();
  }, grace);
};
// The command has ended: what it left running in its group is stopped too before the mock is told.
const sweep = (ended) => {
  if (status !== undefined) return;
  status = ended;
  if (!posix || killed || !living()) return done();
  stop('SIGTERM');
  poll = setInterval(() => { if (!living()) done(); }, 25);
};
process.on('message', (message) => {
  if (message.stop) return stop(message.stop);
  if (child || !message.command) return;
  grace = message.graceMs;
  const [file, ...args] = message.command;
  // Not started (not found, not executable, a name too long: some are thrown, some an event): said by the mock.
  const unstarted = (error) => {
    failure = String(error.code);
    sweep(error.code === 'ENOENT' ? 127 : 126);
  };
  try { child = spawn(file, args, { stdio: 'inherit', env: message.env, detached: posix }); }
  catch (error) { return unstarted(error); }
  child.once('error', unstarted);
  child.once('exit', (code, signal) => sweep(code ?? 128 + (constants.signals[signal] || constants.signals.SIGTERM)));
});
// The mock is gone (even by SIGKILL): so is its command, and the guardian once the group is.
process.on('disconnect', () => {
  if (finished) return;
  if (!child) process.exit(0);
  stop('SIGTERM');
});
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, () => stop(name));
`;

export interface GuardedCommand {
  /** The command and its arguments, as given after `--`. */
  command: string[];
  env: NodeJS.ProcessEnv;
  /** Aborted on a stop: its reason's `signalName` (SIGINT, SIGTERM, SIGHUP) is passed on, else SIGTERM. */
  signal?: AbortSignal | undefined;
  /** How long the command's group may take to end once stopped, before SIGKILL. */
  graceMs: number;
  /** Where a command that could not be started is said (one line naming it: not found, not executable). */
  stderr?: ((text: string) => void) | undefined;
}

/** The line that says why the command could not be started (its spawn's error code), naming it. */
export function notStarted(command: string, code: string): string {
  const why =
    code === 'ENOENT'
      ? 'command not found'
      : code === 'EACCES'
        ? 'command not executable'
        : 'command could not be started';
  return `bindings-contract mock: ${why}: ${quoted(command)} (${code}: exit ${code === 'ENOENT' ? 127 : 126})\n`;
}

/**
 * Runs the command (stdio inherited) and resolves to its exit status (128 + the signal's number when a
 * signal ended it, as a shell says; 127 when it cannot be found, 126 when it cannot be run, either said on
 * `stderr` naming it), once its
 * whole process group is gone. Rejects only when the guardian itself failed (an internal error).
 */
export function runGuarded({ command, env, signal, graceMs, stderr }: GuardedCommand): Promise<number> {
  return new Promise((resolve, reject) => {
    // Its own session and group, so a kill of the mock's group (a cancelled CI job) leaves it to clean up.
    const guardian = spawn(process.execPath, ['-e', GUARDIAN], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      detached: POSIX,
      env: {},
    });
    let status: number | undefined;
    const forward = () => {
      const name = (signal?.reason as { signalName?: NodeJS.Signals })?.signalName ?? 'SIGTERM';
      if (guardian.connected) guardian.send({ stop: name });
    };
    guardian.on('message', (message: { status?: unknown; failure?: unknown }) => {
      if (typeof message.status === 'number') status = message.status;
      if (typeof message.failure === 'string') stderr?.(notStarted(String(command[0]), message.failure));
    });
    guardian.once('error', reject);
    guardian.once('close', (code, killed) => {
      signal?.removeEventListener('abort', forward);
      if (status !== undefined) resolve(status);
      else
        reject(
          new Error(
            `the guardian of the command ended (${killed ?? code}) without saying how the command did`,
          ),
        );
    });
    if (guardian.connected) guardian.send({ command, env, graceMs });
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
  });
}
