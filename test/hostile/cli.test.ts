// The command line, in process, against hostile services and careless use: stopped runs that still report
// and exit 130/143, --max-time, ports already taken, bodies too large or too deep, echoed credentials, mixed
// credential sources, flags checked before anything is sent, and devices given as files. What only a real
// process meets (a real signal, named pipes, two processes at once) is test/hostile/cli.process.test.ts.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import type { Exchange } from '../../src/cli/check.ts';
import { checks } from '../../src/cli/checks.ts';
import { MAX_FILE_BYTES } from '../../src/cli/files.ts';
import { main, Stopped } from '../../src/cli/main.ts';
import { words } from '../../src/cli/said.ts';
import { MAX_EVIDENCE } from '../../src/cli/verify.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_JSON_DEPTH } from '../../src/client/body.ts';
import { MAX_VIOLATIONS } from '../../src/client/errors.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, jsonType, listExample } from '../support/contract.ts';
import { answeredBy, inProcess, inProcessFetch } from '../support/in-process.ts';
import { prismReady } from '../support/prism.ts';
import { cli, env, serve } from './cli-support.ts';

/**
 * A service answered in this process (what is judged is the report, not the wire: the wire's own bounds are
 * test/hostile/memory.test.ts's): every request gets 200 with the type and body `answer` makes of it.
 */
function answering(answer: (request: Request) => { type: string; body: string }) {
  return answeredBy((request) => {
    const { type, body } = answer(request);
    return new Response(body, { headers: { 'content-type': type } });
  });
}

describe('a stopped run', { concurrent: true }, () => {
  // In process, as bin.ts aborts on a signal; real processes getting real signals are cli.process.test.ts's.
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
        '0.1',
      ]);
      expect(status).toBe(1);
      expect(stdout).toContain('not finished: the run passed --max-time 0.1 s');
    } finally {
      await hanging.close();
    }
  });
});

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
    ['too large', () => ' '.repeat(DEFAULT_MAX_RESPONSE_BYTES + 1), 'is larger than'],
    [
      'too deep',
      () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `nests deeper than ${MAX_JSON_DEPTH} levels`,
    ],
  ])('%s: reported as evidence, never a crash', async (_what, body, evidence) => {
    const text = body();
    const server = answering(() => ({ type: jsonType, body: text }));
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
      const server = answering((request) => answer(String(request.headers.get('authorization'))));
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
  it('a page of 20 times MAX_VIOLATIONS bad items: a bounded report, every problem counted', async () => {
    const page = { bindings: Array.from({ length: 20 * MAX_VIOLATIONS }, () => 1), meta: {} };
    const server = answering(() => ({ type: jsonType, body: JSON.stringify(page) }));
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
    const server = answering(() => ({
      type: jsonType,
      body: JSON.stringify({ ...bindingExample, binding_type: hostile }),
    }));
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
      ['verify', '--mock', 'prism', '--max-time', '0.1'],
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
    expect(stdout).toContain('not finished: the run passed --max-time 0.1 s');
    expect(stdout).toContain('not started');
  });

  it('a stop that arrives while the embedded mock is being stopped still exits 130', async () => {
    const controller = new AbortController();
    // The embedded mock stands in for Prism, answered in this process: what is tested is its stop.
    const service = inProcess(createBindingsFake({ bindings: [bindingExample] }));
    const prism = {
      url: service.url,
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
        fetch: inProcessFetch,
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
