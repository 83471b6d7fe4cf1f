// The command line against hostile services and careless use: stopped runs that still report and exit
// 130/143, --max-time, ports already taken, bodies too large or too deep, echoed credentials, mixed
// credential sources, flags checked before anything is sent, and named pipes and devices given as files.
import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, constants, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { coverageModel } from '../../generated/coverage-model.js';
import type { Exchange } from '../../src/cli/check.ts';
import { checks } from '../../src/cli/checks.ts';
import { writeText } from '../../src/cli/file-writes.ts';
import { MAX_FILE_BYTES, readBytes } from '../../src/cli/files.ts';
import { EXIT } from '../../src/cli/io.ts';
import { main, Stopped } from '../../src/cli/main.ts';
import { words } from '../../src/cli/said.ts';
import { MAX_EVIDENCE } from '../../src/cli/verify.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { MAX_JSON_DEPTH } from '../../src/client/body.ts';
import { quoted } from '../../src/client/quote.ts';
import { COVERAGE_FORMAT } from '../../src/testing/coverage.ts';
import { CLI_BUNDLE, cliArgs } from '../support/cli-process.ts';
import { bindingExample, jsonType, listExample } from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

/** A program run to its end without blocking the test's thread (a synchronous spawn holds the worker). */
const exec = promisify(execFile);

const root = new URL('../../', import.meta.url).pathname;
const env = { BINDINGS_USERNAME: 'cli-user', BINDINGS_PASSWORD: 'Zq7Xv9Lk2Pw4Rt6Yb8' };

/** An HTTP server answering with `answer`, counting requests. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function cli(args: string[], vars: NodeJS.ProcessEnv = env, signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, vars, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...(signal && { signal }),
  });
  return { status, stdout, stderr };
}

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

describe('a stopped run', { concurrent: true }, () => {
  // One real process (bin.ts's handlers; Ctrl-C is sent to one below too), the rest in process.
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

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s (in process, as bin.ts aborts): stops, prints what it found, exits %i',
    async (signal, code) => {
      const controller = new AbortController();
      const hanging = await serve(() => controller.abort(new Stopped(signal)));
      try {
        const { status, stdout, stderr } = await cli(
          ['verify', '--base-url', hanging.url, '--timeout-ms', '60000'],
          env,
          controller.signal,
        );
        expect(status).toBe(code);
        expect(stdout).toMatch(new RegExp(`not finished: stopped by ${signal}`));
        expect(stderr.trim()).toBe(`bindings-contract verify: stopped by ${signal}`);
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

  it('--max-time bounds the whole run: what is unfinished fails, saying why', async () => {
    const hanging = await serve(() => {});
    try {
      const { status, stdout } = await cli([
        'verify',
        '--base-url',
        hanging.url,
        '--timeout-ms',
        '60000',
        '--max-time',
        '0.3',
      ]);
      expect(status).toBe(1);
      expect(stdout).toContain('not finished: the run passed --max-time 0.3 s');
    } finally {
      await hanging.close();
    }
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

describe('a port already taken', () => {
  it.each([[[]], [['--stateful']]])('mock %j exits 2 with one line', async (extra) => {
    const other = await serve((_req, res) => res.end('not Prism'));
    try {
      const { status, stderr } = await cli(['mock', '--port', String(other.port), ...extra]);
      expect(status).toBe(2);
      expect(stderr.trim()).toBe(`bindings-contract mock: port ${other.port} on 127.0.0.1 is already in use`);
    } finally {
      await other.close();
    }
  });
});

describe('bodies a run cannot hold', () => {
  it.each([
    ['too large', () => ' '.repeat(2 * 1024 * 1024), 'is larger than'],
    [
      'too deep',
      () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `nests deeper than ${MAX_JSON_DEPTH} levels`,
    ],
  ])('%s: reported as evidence, never a crash', async (_what, body, evidence) => {
    const text = body();
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': jsonType });
      res.end(text);
    });
    try {
      const { status, stdout } = await cli(['verify', '--base-url', server.url, '--seed', '1']);
      expect(status).toBe(1);
      expect(stdout).toContain(`body ${evidence}`);
    } finally {
      await server.close();
    }
  });
});

const base64 = basicAuthorization(env.BINDINGS_USERNAME, env.BINDINGS_PASSWORD).slice('Basic '.length);
/** No four characters in a row of the password or of the base64 token, in any case. */
function expectNoFragment(text: string) {
  const lower = text.toLowerCase();
  for (const secret of [env.BINDINGS_PASSWORD, base64])
    for (let i = 0; i + 4 <= secret.length; i++)
      expect(lower, `fragment ${i}`).not.toContain(secret.slice(i, i + 4).toLowerCase());
}

/** How a hostile service echoes what it was sent: the whole header, the bare token, a piece of the password, unquoted. */
const echoes: [string, (authorization: string) => { type: string; body: string }][] = [
  [
    'the Authorization header in a field',
    (auth) => ({
      type: jsonType,
      body: JSON.stringify({ ...bindingExample, identity: `${'x'.repeat(50)}${auth}` }),
    }),
  ],
  [
    'the bare base64 token in an enum field',
    (auth) => ({ type: jsonType, body: JSON.stringify({ ...bindingExample, binding_type: auth.slice(6) }) }),
  ],
  [
    'a piece of the password in the middle of a message',
    () => ({
      type: jsonType,
      body: JSON.stringify({
        ...bindingExample,
        endpoint: 42,
        identity: `token ${env.BINDINGS_PASSWORD.slice(3, 11)} rejected`,
      }),
    }),
  ],
  [
    'the password unquoted, so the body is not JSON',
    () => ({ type: jsonType, body: `{"identity": ${env.BINDINGS_PASSWORD}}` }),
  ],
  [
    'the password split across HTML cells',
    () => ({
      type: 'text/html',
      body: `<td>${env.BINDINGS_PASSWORD.slice(0, 9)}</td><td>${env.BINDINGS_PASSWORD.slice(9)}</td>`,
    }),
  ],
];

describe('no credential fragment in any report', () => {
  for (const [how, answer] of echoes)
    it.each(['text', 'json', 'junit'])(`%s, against a service echoing ${how}`, async (reporter) => {
      const server = await serve((req, res) => {
        const { type, body } = answer(String(req.headers.authorization));
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
      try {
        const { status, stdout } = await cli(['verify', '--base-url', server.url, '--reporter', reporter]);
        expect(status).toBe(1);
        expectNoFragment(stdout);
      } finally {
        await server.close();
      }
    });

  it('a usage error quoting a flag never shows a credential from the environment', async () => {
    const { status, stderr } = await cli(['verify', '--binding-sid', env.BINDINGS_PASSWORD]);
    expect(status).toBe(2);
    expect(stderr).toContain('--binding-sid');
    expectNoFragment(stderr);
  });
});

describe('what a hostile service cannot do to a report', () => {
  it('a page of 20,000 bad items: a bounded report, every problem counted', async () => {
    const page = { bindings: Array.from({ length: 20_000 }, () => 1), meta: {} };
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': jsonType });
      res.end(JSON.stringify(page));
    });
    try {
      const { status, stdout } = await cli(['verify', '--base-url', server.url, '--reporter', 'json']);
      expect(status).toBe(1);
      const report = JSON.parse(stdout) as { checks: { evidence: { problem: string }[] }[] };
      for (const check of report.checks) expect(check.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE + 1);
      expect(stdout.length).toBeLessThan(1024 * 1024);
      expect(stdout).toMatch(/and \d+ more/);
    } finally {
      await server.close();
    }
  });

  it('control characters a service sends are shown as escapes: none reaches a terminal, JUnit stays XML', async () => {
    const hostile = '\u001b]0;pwned\u0007\u202eevil\u0000';
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': jsonType });
      res.end(JSON.stringify({ ...bindingExample, binding_type: hostile }));
    });
    try {
      for (const reporter of ['text', 'junit']) {
        const { stdout } = await cli(['verify', '--base-url', server.url, '--reporter', reporter]);
        expect(stdout).toContain('\\u001b]0;pwned\\u0007\\u202eevil\\u0000');
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
        expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
        if (reporter === 'junit') expect(XMLValidator.validate(stdout)).toBe(true);
      }
    } finally {
      await server.close();
    }
  });

  it('list_filters reads a filter value that holds "=" whole (a filter is typed, not parsed from a label)', () => {
    const check = checks.find((c) => c.name === 'list_filters');
    const identity = 'a=b=c';
    const x = {
      check: 'list_filters',
      operation: 'ListServiceBinding',
      request: words('GET …'),
      target: '…',
      filter: { key: 'identity', value: identity },
      status: operationFacts.ListServiceBinding.successStatus,
      contentType: jsonType,
      headers: new Headers(),
      body: { ...listExample, bindings: [{ ...bindingExample, identity }] },
      redact: (text: string) => text,
    } as Exchange;
    expect(check?.judge?.(x, undefined, {} as never)).toEqual([]);
  });
});

describe('a run stopped at awkward moments', () => {
  beforeAll(prismReady, 35_000);

  /** A Prism start that never answers: it ends only when its signal aborts. */
  const neverStarts = (({ signal }: { signal?: AbortSignal } = {}) =>
    new Promise((_resolve, reject) =>
      signal?.addEventListener('abort', () => reject(signal.reason)),
    )) as never;

  it('--max-time while the embedded Prism starts: a report of unfinished checks, exit 1', async () => {
    let stdout = '';
    const status = await main(
      ['verify', '--mock', 'prism', '--max-time', '0.5'],
      {},
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        startPrism: neverStarts,
      },
    );
    expect(status).toBe(1);
    expect(stdout).toContain('not finished: the run passed --max-time 0.5 s');
    expect(stdout).toContain('not started');
  });

  it('a stop that arrives while the embedded mock is being stopped still exits 130', async () => {
    const controller = new AbortController();
    const prism = {
      url: inject('prismUrl'),
      process: new EventEmitter(),
      stop: async () => controller.abort(new Stopped('SIGINT')),
    };
    const status = await main(
      ['verify', '--mock', 'prism'],
      {},
      {
        stdout: () => {},
        stderr: () => {},
        signal: controller.signal,
        startPrism: (async () => prism) as never,
      },
    );
    expect(status).toBe(130);
  });

  it('a report file that cannot be written after the run: exit 2, one line, the report on stdout', async () => {
    const server = await serve((_req, res) => res.end());
    try {
      const { status, stdout, stderr } = await cli([
        'verify',
        '--base-url',
        server.url,
        '--reporter',
        'json',
        '--output',
        '/dev/full',
      ]);
      expect(status).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('ENOSPC');
      expect(stdout).toContain('"summary"');
    } finally {
      await server.close();
    }
  });

  it.each([
    [['mock', '--host', '192.0.2.1']],
    [['mock', '--stateful', '--host', '192.0.2.1']],
    [['mock', '--stateful', '--host', 'no such host.invalid']],
  ])('%j: exit 2, one line', async (args) => {
    const { status, stderr } = await cli(args);
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot listen on');
  });

  it.each([['verify'], ['mock']])('%s --help prints the usage and exits 0', async (command) => {
    const { status, stdout } = await cli([command, '--help']);
    expect(status).toBe(0);
    expect(stdout).toContain(`bindings-contract ${command}`);
  });
});

describe('usage checked before anything is sent', () => {
  beforeAll(prismReady, 35_000);

  it.each([
    [['--reporter', 'toString']],
    [['--reporter', 'constructor']],
    [['--reporter', '__proto__']],
    [['--reporter', 'valueOf']],
    [['--output', '/nonexistent-folder/report.xml']],
    [['--output', '/']],
    [['--base-url-suffix', '?']],
    [['--base-url-suffix', '#']],
    [['--max-time', '0']],
    [['--max-time', '0.0001']],
    [['--max-time', '1e3']],
    [['--max-time', '-1']],
  ])('%j: exit 2, one line, no request', async (flags) => {
    const server = await serve((_req, res) => res.end());
    try {
      const args =
        flags[0] === '--base-url-suffix'
          ? ['--base-url', `${server.url}/proxy${flags[1]}`]
          : ['--base-url', server.url, ...flags];
      const { status, stderr } = await cli(['verify', ...args]);
      expect(status).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it.each([
    [
      { BINDINGS_USERNAME: 'staging-user', TWILIO_AUTH_TOKEN: 'production-token' },
      /set BINDINGS_PASSWORD too/,
    ],
    [{ BINDINGS_PASSWORD: 'only-a-secret' }, /set BINDINGS_USERNAME too/],
    [{ TWILIO_ACCOUNT_SID: 'AC-only' }, /set TWILIO_AUTH_TOKEN too/],
    [
      { BINDINGS_USERNAME: 'user:with-colon', BINDINGS_PASSWORD: 'x' },
      /BINDINGS_USERNAME must not contain ":"/,
    ],
  ])('credentials %j: exit 2 naming the variable, nothing sent', async (vars, message) => {
    const server = await serve((_req, res) => res.end());
    try {
      const { status, stderr } = await cli(['verify', '--base-url', server.url], vars);
      expect(status).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain('production-token');
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a flag value quoted in a usage error shows DEL, C1 controls and bidi overrides as escapes', async () => {
    const { status, stderr } = await cli([
      'verify',
      '--base-url',
      'http://127.0.0.1:1/a\u007fb\u009bc\u202ed',
    ]);
    expect(status).toBe(2);
    for (const raw of ['\u007f', '\u009b', '\u202e']) expect(stderr).not.toContain(raw);
    for (const escaped of ['\\u007f', '\\u009b', '\\u202e']) expect(stderr).toContain(escaped);
  });

  it('Prism never gets the credential variables (the suite started its Prism with all four set)', () => {
    const environ = readFileSync(`/proc/${inject('prismPid')}/environ`, 'utf8');
    for (const [name, value] of Object.entries(inject('prismStartedWith'))) {
      expect(environ).not.toContain(`${name}=`);
      expect(environ).not.toContain(value);
    }
  });
});

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

describe('mock --fixtures is read as every file is: bounded', () => {
  it('/dev/zero: exit 2 naming it and the limit (it was read to 618 MiB)', async () => {
    const { status, stderr } = await cli(['mock', '--stateful', '--port', '0', '--fixtures', '/dev/zero']);
    expect(status).toBe(2);
    expect(stderr).toContain('--fixtures "/dev/zero"');
    expect(stderr).toContain(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  });

  it('nested past the limit: exit 2 naming it and the limit, never parsed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-fixtures-'));
    try {
      const deep = join(dir, 'deep.json');
      await writeFile(deep, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
      const { status, stderr } = await cli(['mock', '--stateful', '--port', '0', '--fixtures', deep]);
      expect(status).toBe(2);
      expect(stderr).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
