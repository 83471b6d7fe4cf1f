// `bindings-contract mock` as a process of its own, killed with SIGKILL (a cancelled CI job): nothing it
// started, the command after `--` or its Prism, outlives it. Run by npm run test:processes; the same command
// in process is test/cli/mock.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { prismBin } from '../../src/cli/prism.ts';
import { cliArgs } from '../support/cli-process.ts';
import { eventually, pidsIn, running, startsSleep } from './mock-support.ts';

describe('mock -- COMMAND leaves nothing running, whatever kills the mock', () => {
  it.each([
    ['the mock', (pid: number) => pid],
    ["the mock's whole process group (a cancelled CI job)", (pid: number) => -pid],
  ])('SIGKILL of %s: the command and its background process die with it', async (_who, target) => {
    const file = join(mkdtempSync(join(tmpdir(), 'mock-')), 'pids');
    const args = ['mock', '--stateful', '--port', '0', '--', 'sh', '-c', startsSleep('wait'), file];
    const mock = spawn(process.execPath, cliArgs(args), {
      cwd: root,
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise((resolve) => mock.once('exit', resolve));
    expect(await eventually(() => existsSync(file))).toBe(true);
    process.kill(target(mock.pid as number), 'SIGKILL');
    await exited;
    const [shell = 0, sleep = 0] = pidsIn(file);
    expect(await eventually(() => !running(shell) && !running(sleep))).toBe(true);
  });

  /** The PID of the Prism a process started (a child of it running Prism's CLI), if there is one yet. */
  function prismOf(parent: number): number | undefined {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(prismBin()))
          return Number(pid);
      } catch {} // gone meanwhile
    }
    return undefined;
  }

  /** Whether a process listens on a TCP port (one of its sockets is in state LISTEN in /proc/net/tcp). */
  function listening(pid: number): boolean {
    try {
      const sockets = readdirSync(`/proc/${pid}/fd`)
        .map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1])
        .filter(Boolean);
      const table = ['tcp', 'tcp6'].map((name) => readFileSync(`/proc/net/${name}`, 'utf8')).join('\n');
      return table
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .some((cells) => cells[3] === '0A' && sockets.includes(cells[9]));
    } catch {
      return false; // gone, or a descriptor closed meanwhile
    }
  }

  // One real Prism: `verify --mock prism` starts its Prism through the same spawnPrism (the tether is there).
  it.for([['mock (Prism)', ['mock', '--port', '0']]] as const)(
    'SIGKILL of %s: the Prism it started dies with it',
    { timeout: 60_000 },
    async ([, args], { onTestFinished }) => {
      const run = spawn(process.execPath, cliArgs(args), {
        cwd: root,
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => run.once('exit', resolve));
      let prism = 0;
      // Left running by the bug: killed when the test ends, so a failure leaves nothing behind.
      onTestFinished(() => {
        if (prism && running(prism)) process.kill(prism, 'SIGKILL');
      });
      const started = () => {
        prism = prismOf(run.pid as number) ?? 0;
        return prism !== 0;
      };
      expect(await eventually(started, 2000)).toBe(true);
      // Killed once Prism serves (killed while starting, Prism's own log lines would end it: EPIPE).
      expect(await eventually(() => listening(prism), 2000)).toBe(true);
      run.kill('SIGKILL');
      await exited;
      expect(await eventually(() => !running(prism))).toBe(true);
    },
  );
});
