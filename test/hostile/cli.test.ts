// The command line against hostile services and careless use: stopped runs that still report and exit
// 130/143, --max-time, ports already taken, bodies too large or too deep, echoed credentials, mixed
// credential sources, and flags checked before anything is sent.
import { execSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { main, Stopped } from '../../src/cli/main.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { MAX_JSON_DEPTH } from '../../src/client/body.ts';
import { bindingExample, jsonType } from '../support/contract.ts';

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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  act(child);
  return new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout })),
  );
}

describe('a stopped run', () => {
  it.each([['SIGINT', 130]] as const)(
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

  it('SIGTERM (in process, as bin.ts aborts): stops, prints what it found, exits 143', async () => {
    const controller = new AbortController();
    const hanging = await serve(() => controller.abort(new Stopped('SIGTERM')));
    try {
      const { status, stdout, stderr } = await cli(
        ['verify', '--base-url', hanging.url, '--timeout-ms', '60000'],
        env,
        controller.signal,
      );
      expect(status).toBe(143);
      expect(stdout).toMatch(/not finished: stopped by SIGTERM/);
      expect(stderr.trim()).toBe('bindings-contract verify: stopped by SIGTERM');
    } finally {
      await hanging.close();
    }
  });

  it('Ctrl-C while Prism starts stops Prism and exits 130', async () => {
    const before = prismProcesses();
    // The cue: Prism has been spawned (it is starting, not yet answering).
    const { code } = await binary(['mock', '--port', '0'], {}, (child) => {
      const poll = setInterval(() => {
        if (prismProcesses().some((p) => !before.includes(p))) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('exit', () => clearInterval(poll));
    });
    expect(code).toBe(130);
    expect(prismProcesses().filter((p) => !before.includes(p))).toEqual([]);
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
        '1',
      ]);
      expect(status).toBe(1);
      expect(stdout).toContain('not finished: the run passed --max-time 1 s');
    } finally {
      await hanging.close();
    }
  });
});

/** The Prism processes running now (their command lines). */
function prismProcesses(): string[] {
  return execSync('ps -eo pid,args', { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('prism') && line.includes(' mock '));
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

describe('no credential fragment in any report', () => {
  it.each(['text', 'json', 'junit'])(
    '%s, against a service echoing the Authorization header',
    async (reporter) => {
      const server = await serve((req, res) => {
        res.writeHead(200, { 'content-type': jsonType });
        res.end(
          JSON.stringify({ ...bindingExample, identity: `${'x'.repeat(50)}${req.headers.authorization}` }),
        );
      });
      try {
        const { stdout } = await cli(['verify', '--base-url', server.url, '--reporter', reporter]);
        const base64 = basicAuthorization(env.BINDINGS_USERNAME, env.BINDINGS_PASSWORD).slice(
          'Basic '.length,
        );
        for (const secret of [env.BINDINGS_PASSWORD, base64])
          for (let i = 0; i + 4 <= secret.length; i++) expect(stdout).not.toContain(secret.slice(i, i + 4));
      } finally {
        await server.close();
      }
    },
  );
});

describe('usage checked before anything is sent', () => {
  it.each([
    [['--reporter', 'toString']],
    [['--reporter', 'constructor']],
    [['--reporter', '__proto__']],
    [['--reporter', 'valueOf']],
    [['--output', '/nonexistent-folder/report.xml']],
    [['--output', '/']],
    [['--base-url-suffix', '?']],
    [['--base-url-suffix', '#']],
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

  it('Prism never gets the credential variables (the suite started its Prism with all four set)', () => {
    const environ = readFileSync(`/proc/${inject('prismPid')}/environ`, 'utf8');
    for (const [name, value] of Object.entries(inject('prismStartedWith'))) {
      expect(environ).not.toContain(`${name}=`);
      expect(environ).not.toContain(value);
    }
  });
});
