// The command line as a process of its own, against what only a real process meets: a real signal while
// it waits (on a service, on Prism starting, on a named pipe no one writes to), pipes as its output, and two
// processes sharing one baseline. Run by npm run test:processes (vitest.processes.config.ts); the same
// command line in process is test/hostile/cli.test.ts.
import { execFile, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageModel } from '../../generated/coverage-model.js';
import { writeText } from '../../src/cli/file-writes.ts';
import { readBytes } from '../../src/cli/files.ts';
import { EXIT } from '../../src/cli/io.ts';
import { main, Stopped } from '../../src/cli/main.ts';
import { quoted } from '../../src/client/quote.ts';
import { COVERAGE_FORMAT } from '../../src/testing/coverage.ts';
import { CLI_BUNDLE, cliArgs } from '../support/cli-process.ts';
import { cli, env, serve } from './cli-support.ts';

/** A program run to its end without blocking the test's thread (a synchronous spawn holds the worker). */
const exec = promisify(execFile);

const root = new URL('../../', import.meta.url).pathname;

/** Runs bin.ts in its own process; `act` is given the process once it has printed nothing yet but runs. */
function binary(args: string[], vars: NodeJS.ProcessEnv, act: (child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: root,
    env: { ...process.env, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  // A run that never stops (the bug these tests look for) must not outlive its test: killed past its timeout.
  const reaper = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.on('exit', () => clearTimeout(reaper));
  act(child);
  return new Promise<{ code: number | null; stdout: string }>((resolve) =>
    // 'close', not 'exit': at 'exit' what the process wrote last may not have been read yet (seen under load).
    child.on('close', (code) => resolve({ code, stdout })),
  );
}

describe('a stopped run, in a real process', { concurrent: true }, () => {
  it.each([['SIGHUP', 129]] as const)(
    '%s (a real process): stops, prints what it found, exits %i',
    async (signal, code) => {
      let kill = () => {};
      const hanging = await serve(() => kill()); // the first request is the cue; none is answered
      try {
        const run = binary(['verify', '--base-url', hanging.url, '--timeout-ms', '60000'], env, (child) => {
          kill = () => child.kill(signal);
        });
        const { code: exit, stdout } = await run;
        expect(exit).toBe(code);
        expect(stdout).toMatch(/not finished: stopped by SIG/);
        expect(stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, \d+ failed/);
      } finally {
        await hanging.close();
      }
    },
  );

  it('Ctrl-C while Prism starts stops Prism and exits 130', async () => {
    // Only this run's Prism counts: other test files start and stop Prisms of their own meanwhile.
    const ours: string[] = [];
    // The cue: this run's Prism has been spawned (it is starting, not yet answering).
    const { code } = await binary(['mock', '--port', '0'], {}, (child) => {
      const poll = setInterval(() => {
        const started = prismProcesses().filter((p) => descendsFrom(p, child.pid ?? -1));
        if (started.length) {
          clearInterval(poll);
          ours.push(...started);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('exit', () => clearInterval(poll));
    });
    expect(code).toBe(130);
    expect(ours.length).toBeGreaterThan(0);
    expect(prismProcesses().filter((p) => ours.includes(p))).toEqual([]);
  });
});

/** The Prism processes running now (their command lines), read from /proc: no `ps` spawned per poll. */
/** Whether the process a `prismProcesses` line names has `ancestor` among its parents (read from /proc). */
function descendsFrom(line: string, ancestor: number): boolean {
  let pid = Number(line.split(' ')[0]);
  for (let hops = 0; hops < 64 && pid > 1; hops++) {
    if (pid === ancestor) return true;
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing bracket.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false; // it exited while being read
    }
  }
  return false;
}

function prismProcesses(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue; // it exited while being read
    }
    if (args.includes('prism') && args.includes(' mock ')) lines.push(`${pid} ${args}`);
  }
  return lines;
}

// Real processes, real signals: a run blocked on a file (a named pipe no one writes to) must still hear them.
describe.skipIf(process.platform === 'win32')(
  'files that wait: named pipes, and a shared baseline',
  {
    concurrent: true,
  },
  () => {
    let dir = '';
    let good = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cli-pipes-'));
      good = await coverageFile(
        'good',
        coverageModel.items.map((item) => item.id),
      );
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    async function coverageFile(name: string, ids: string[]) {
      const path = join(dir, `${name}.json`);
      const exercised = Object.fromEntries(ids.map((id) => [id, 1]));
      const data = {
        format: COVERAGE_FORMAT,
        version: 1,
        contract: coverageModel.contract,
        source: name,
        exercised,
      };
      await writeFile(path, JSON.stringify(data));
      return path;
    }
    const fifo = async (name: string) => {
      const path = join(dir, name);
      await exec('mkfifo', [path]);
      return path;
    };
    type Finished = (cleanup: () => void) => void;
    /** bin.ts in its own process, killed when the test ends if it has not stopped (the bug): how it exited. */
    function run(args: string[], onTestFinished: Finished) {
      const child = spawn(process.execPath, cliArgs(args), {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      let [stdout, stderr] = ['', ''];
      child.stdout?.on('data', (d) => {
        stdout += d;
      });
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        // 'close': once its output is read to the end ('exit' may come first).
        child.on('close', (code) => resolve({ code, stdout, stderr })),
      );
      return { child, exited };
    }
    /**
     * Once a process has the pipe open to read (before, opening it without blocking fails with ENXIO): the cue
     * that the run waits on it. The write end is held open, never written, so the run waits on.
     */
    const whenReading = (path: string, onTestFinished: Finished) =>
      new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          try {
            const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
            onTestFinished(() => closeSync(writer));
            clearInterval(poll);
            resolve();
          } catch {} // no reader yet
        }, 20);
        onTestFinished(() => clearInterval(poll));
      });

    it.for([
      ['coverage FIFO', 'SIGTERM', EXIT.SIGTERM, (pipe: string) => ['coverage', pipe]],
      [
        'coverage --known-gaps FIFO',
        'SIGINT',
        EXIT.SIGINT,
        (pipe: string) => ['coverage', good, '--known-gaps', pipe],
      ],
      [
        'coverage --baseline FIFO',
        'SIGHUP',
        EXIT.SIGHUP,
        (pipe: string) => ['coverage', good, '--baseline', pipe],
      ],
      [
        'mock --fixtures FIFO',
        'SIGTERM',
        EXIT.SIGTERM,
        (pipe: string) => ['mock', '--stateful', '--port', '0', '--fixtures', pipe],
      ],
    ] as const)(
      '%s that no one writes to: %s stops the run, exit %i',
      async ([what, signal, code, args], { onTestFinished }) => {
        const pipe = await fifo(`${what.replace(/\W+/g, '-')}.json`);
        const { child, exited } = run(args(pipe), onTestFinished);
        await whenReading(pipe, onTestFinished);
        child.kill(signal);
        const stopped = await exited;
        expect(stopped.stderr).toContain(`stopped by ${signal}`);
        expect(stopped.code).toBe(code);
      },
    );

    it.for([
      ['coverage --output FIFO', (pipe: string) => ['coverage', good, '--output', pipe]],
      ['verify --output FIFO', (pipe: string) => ['verify', '--mock', 'stateful', '--output', pipe]],
      [
        'mock --coverage FIFO -- COMMAND',
        (pipe: string) => [
          'mock',
          '--stateful',
          '--port',
          '0',
          '--coverage',
          pipe,
          '--',
          'sh',
          '-c',
          'echo RAN',
        ],
      ],
    ] as const)(
      '%s with no reader: exit 2 naming it, before anything runs (nothing printed, the command not started)',
      async ([what, args]) => {
        const pipe = await fifo(`noreader-${what.replace(/\W+/g, '-')}`);
        const { status, stdout, stderr } = await cli([...args(pipe)]);
        expect(stderr).toContain(`${quoted(pipe)} is a pipe with no reader`);
        expect(status).toBe(EXIT.usage);
        expect(stdout).toBe('');
      },
    );

    it('a named pipe its reader opened before the run gets the whole report (the check keeps it open)', async () => {
      const pipe = await fifo('read-before.json');
      const reader = spawn('cat', [pipe], { stdio: ['ignore', 'pipe', 'ignore'] });
      let got = '';
      reader.stdout.on('data', (d) => {
        got += d;
      });
      const read = new Promise((resolve) => reader.once('close', resolve));
      // Once cat has the pipe open (a writer can open it without blocking), the run starts; this writer is
      // held open until the run is over (closing it first would end cat's input).
      let writer: number | undefined;
      for (let tries = 0; tries < 400 && writer === undefined; tries++) {
        try {
          writer = openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      const status = (await cli(['coverage', good, '--output', pipe, '--reporter', 'json'])).status;
      if (writer !== undefined) closeSync(writer);
      expect(status).toBe(0);
      await read;
      expect(JSON.parse(got)).toMatchObject({ overall: { covered: coverageModel.items.length } });
    });

    it('--output /dev/stdout, stdout a pipe (a shell pipeline): the report follows the text one', async () => {
      const bin = `"${process.execPath}" "${CLI_BUNDLE}"`;
      const line = `${bin} coverage "${good}" --output /dev/stdout --reporter json | cat`;
      const { stdout } = await exec('sh', ['-c', line], { cwd: root, encoding: 'utf8' });
      expect(stdout).toContain('Covered');
      expect(JSON.parse(stdout.slice(stdout.indexOf('{')))).toMatchObject({
        overall: { covered: coverageModel.items.length },
      });
    });

    it('two processes moving one baseline at once: both pass, and it holds the items of both', async ({
      onTestFinished,
    }) => {
      const all = coverageModel.items.map((item) => item.id);
      const halves = [all.filter((_, i) => i % 2 === 0), all.filter((_, i) => i % 2 === 1)];
      const paths = await Promise.all(halves.map((ids, k) => coverageFile(`half-${k}`, ids)));
      const baseline = join(await mkdtemp(join(dir, 'shared-')), 'baseline.json');
      // Held until both have read the baseline (none yet) and printed their reports: then they write at once.
      const lock = `${baseline}.lock`;
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
      const runs = paths.map((path) =>
        run(['coverage', path, '--baseline', baseline, '--write-baseline'], onTestFinished),
      );
      await Promise.all(
        runs.map(({ child }) => new Promise((printed) => child.stdout?.once('data', printed))),
      );
      await rm(lock);
      const exits = await Promise.all(runs.map((r) => r.exited));
      expect(exits.map((e) => [e.code, e.stderr])).toEqual([
        [0, ''],
        [0, ''],
      ]);
      const written = JSON.parse(readFileSync(baseline, 'utf8')) as { exercised: Record<string, number> };
      expect(Object.keys(written.exercised).sort()).toEqual([...all].sort());
    });

    it('coverage or verify --output, a pipe no one reads: exit 2 at once, naming it', async () => {
      for (const args of [
        ['coverage', good],
        ['verify', '--mock', 'stateful'],
      ]) {
        const pipe = await fifo(`no-reader-${args[0]}`);
        const { status, stderr } = await cli([...args, '--output', pipe]);
        expect(status).toBe(2);
        expect(stderr).toContain(`--output "${pipe}"`);
        expect(stderr).toContain('is a pipe with no reader');
      }
    });

    /** mock --stateful --coverage PIPE, stopped once it serves: what it said on stderr. */
    async function mockStopped(pipe: string) {
      const controller = new AbortController();
      let stderr = '';
      const status = await main(
        ['mock', '--stateful', '--port', '0', '--coverage', pipe],
        {},
        {
          stdout: () => controller.abort(new Stopped('SIGINT')),
          stderr: (t) => {
            stderr += t;
          },
          signal: controller.signal,
        },
      );
      return { status, stderr };
    }

    it('mock --coverage a pipe: written to its reader as the mock stops; with none, said at once', async () => {
      const read = await fifo('mock-coverage-read.json');
      const coverage = readBytes(read, { named: 'the test pipe' });
      expect((await mockStopped(read)).stderr).toBe('');
      expect(JSON.parse((await coverage).toString())).toMatchObject({ format: COVERAGE_FORMAT });
      const unread = await fifo('mock-coverage-unread.json');
      expect((await mockStopped(unread)).stderr).toContain(`--coverage "${unread}"`);
    });

    it('a pipe its reader never drains: the stop ends the write', async ({ onTestFinished }) => {
      const pipe = await fifo('never-drained');
      const reader = openSync(pipe, constants.O_RDONLY | constants.O_NONBLOCK);
      onTestFinished(() => closeSync(reader));
      const controller = new AbortController();
      const text = 'x'.repeat(4 * 1024 * 1024); // past any pipe's buffer
      const written = writeText(pipe, text, { named: 'the test pipe', signal: controller.signal });
      setTimeout(() => controller.abort(new Stopped('SIGTERM')), 50);
      await expect(written).rejects.toBeInstanceOf(Stopped);
    });
  },
);
