// A scratch copy of the repository for the contract drill (what git tracks or would, node_modules linked
// in), and how the drill runs a step there: telemetry off, bounded in time, announced as it starts and ends,
// and nothing it started left running.
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from './paths.ts';

/** What a step printed is kept up to this many characters per stream (its end: where a failure says why). */
const KEPT = 4 * 1024 * 1024;
/** A step stopped for its time gets this long to exit on SIGTERM before its process group is killed. */
const GRACE_MS = 5_000;

/** The process groups of the steps running now: stopped with the drill when it is stopped. */
const running = new Set<number>();
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const)
  process.on(signal, () => {
    for (const pid of running)
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {} // gone
    process.exit(128 + number);
  });

export interface Ran {
  /** Its exit status; null when it was stopped (by its bound, or a signal). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one step of the drill in `cwd`, in a process group of its own, and resolves when it exits: a process
 * it left behind (holding its output open, or not) is killed with the group, so nothing outlives the step and
 * nothing it left can keep the drill waiting. Past `timeoutMs` the group is stopped and the step fails,
 * saying so. Each start and end is printed to stderr with the time it took: a CI log shows where a run is.
 */
export function run(command: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<Ran> {
  const label = [command, ...args].join(' ');
  const started = Date.now();
  process.stderr.write(`  … ${label}\n`);
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1', SCARF_ANALYTICS: 'false' },
  });
  if (child.pid !== undefined) running.add(child.pid);
  const kept = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream].on('data', (chunk: Buffer) => {
      kept[stream] = (kept[stream] + chunk.toString('utf8')).slice(-KEPT);
    });
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {} // the group is gone
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    group('SIGTERM');
    setTimeout(() => group('SIGKILL'), GRACE_MS).unref();
  }, timeoutMs);
  return new Promise<Ran>((resolve) => {
    let status: number | null = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      group('SIGKILL');
      running.delete(child.pid as number);
      child.stdout.destroy();
      child.stderr.destroy();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const how = timedOut
        ? `stopped after ${timeoutMs / 1000} s, its bound`
        : `exit ${status ?? 'by a signal'}`;
      process.stderr.write(`  ${status === 0 ? '✓' : '✗'} ${label}: ${how}, ${seconds} s\n`);
      if (timedOut)
        kept.stderr += `\n(the drill stopped this step: it ran past its bound of ${timeoutMs / 1000} s)`;
      resolve({ status: timedOut ? null : status, ...kept });
    };
    child.once('error', (error) => {
      kept.stderr += String(error);
      finish();
    });
    // Its output is read to the end (the pipes close) unless a process it left holds them: then the group goes.
    child.once('close', finish);
    child.once('exit', (code) => {
      status = code;
      setTimeout(finish, 2_000);
    });
  });
}

/** A copy of the working tree (what git tracks or would) with node_modules linked in: a clone without the clone. */
export async function scratchCopy(): Promise<{ dir: string; done: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'contract-drill-'));
  const dir = join(parent, 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(root, file), join(dir, file));
  }
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, done: () => rm(parent, { recursive: true, force: true }) };
}
