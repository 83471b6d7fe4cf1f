// `verify` against services that break it rather than the contract: a value it cannot send back, a
// request that hangs, a check whose precondition failed, a credential that shares letters with the
// report's own words, and a fault of verify itself. The report is always written, and says what it is.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { parameterOf } from '../../generated/contract.js';
import type { Check, OperationCheck } from '../../src/cli/check.ts';
import { checks } from '../../src/cli/checks.ts';
import { serveFake } from '../../src/cli/fake-server.ts';
import { usualPath } from '../../src/cli/instances.ts';
import { MAX_NUMBER_TEXT, numberText } from '../../src/cli/number-text.ts';
import type { Report } from '../../src/cli/report.ts';
import type { Binding } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, jsonType } from '../support/contract.ts';
import { inProcess } from '../support/in-process.ts';
import { cli } from './cli-support.ts';

/** The stateful fake with these bindings (and the credentials the fake makes up), served in process. */
async function fakeService(bindings: Binding[], handle?: (request: Request) => Promise<Response>) {
  const fake = createBindingsFake({ bindings });
  const served = inProcess(fake, handle);
  const env = { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };
  return { fake, url: served.url, env, close: served.close };
}

const line = (stdout: string, name: string) =>
  stdout.split('\n').find((l) => l.slice(2).startsWith(`${name}:`));

describe('a value verify cannot send back', () => {
  /** The fake holding the known binding, served in process, each request answered by `answer` (given the fake). */
  async function knownBindingService(
    answer: (request: Request, fake: ReturnType<typeof createBindingsFake>) => Promise<Response>,
  ) {
    const fake = createBindingsFake({ bindings: [bindingExample] });
    const service = inProcess(fake, (request) => answer(request, fake));
    const env = {
      BINDINGS_USERNAME: fake.credentials.username,
      BINDINGS_PASSWORD: fake.credentials.password,
    };
    try {
      return await cli(['verify', '--base-url', service.url, '--seed', '1'], env);
    } finally {
      await service.close();
    }
  }
  /** A list request with a filter (not a page of the walk). */
  const filtered = (request: Request) => {
    const url = new URL(request.url);
    return url.pathname.endsWith('/Bindings') && url.search.length > 1 && !/Page/.test(url.search);
  };

  it('a known binding with no type and no identity: list_filters is skipped saying why, never passed', async () => {
    const { stdout } = await knownBindingService(async (request, fake) => {
      const response = await fake.handle(request);
      const isKnown = new URL(request.url).pathname.endsWith(String(bindingExample.sid));
      if (!isKnown || response.status !== 200) return response;
      const { binding_type: _, identity: __, ...rest } = (await response.json()) as Binding;
      return new Response(JSON.stringify(rest), { status: 200, headers: response.headers });
    });
    expect(line(stdout, 'list_filters')).toMatch(
      /^○ list_filters: .*\(skipped: the known binding has neither/,
    );
  });

  it('a filtered list answered with a conforming empty last page: list_filters fails (the known binding is lost)', async () => {
    const { status, stdout } = await knownBindingService(async (request, fake) =>
      filtered(request)
        ? createBindingsFake({ bindings: [], credentials: fake.credentials }).handle(request)
        : fake.handle(request),
    );
    expect(status).toBe(1);
    expect(line(stdout, 'list_filters')).toMatch(/^✗ list_filters/);
    expect(stdout).toContain('but the list filtered by it ends without it');
  });

  it('a filtered list answered 200 with an empty body: list_filters fails, it does not pass', async () => {
    const { status, stdout } = await knownBindingService(async (request, fake) =>
      filtered(request)
        ? new Response('', { status: 200, headers: { 'content-type': jsonType } })
        : fake.handle(request),
    );
    expect(status).toBe(1);
    expect(line(stdout, 'list_filters')).toMatch(/^✗ list_filters/);
    expect(stdout).toContain('the answer is not a page whose bindings can be read');
  });

  it('a lone surrogate in the known identity: list_filters records it, the report is written, exit 1', async () => {
    // JSON can carry a lone surrogate (escaped); a URL cannot.
    const fake = createBindingsFake({ bindings: [bindingExample] });
    const service = inProcess(fake, async (request) => {
      const response = await fake.handle(request);
      const isKnown = new URL(request.url).pathname.endsWith(String(bindingExample.sid));
      if (!isKnown || response.status !== 200) return response;
      const text = JSON.stringify({ ...(await response.json()), identity: 'user\ud800' });
      return new Response(text, { status: 200, headers: response.headers });
    });
    try {
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const { status, stdout } = await cli(['verify', '--base-url', service.url, '--seed', '1'], env);
      expect(status).toBe(1);
      expect(line(stdout, 'list_filters')).toMatch(/^✗ /);
      expect(stdout).toContain('cannot be sent as a filter: it is not well-formed UTF-16');
      expect(stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 1 failed/);
    } finally {
      await service.close();
    }
  });
});

describe('a fault of verify itself', () => {
  const broken: Check = {
    name: 'broken_check',
    title: 'A check whose probe throws',
    severity: 'error',
    probe: async () => {
      throw new RangeError('a bug in a check');
    },
  };
  afterEach(() => {
    const at = checks.indexOf(broken);
    if (at >= 0) checks.splice(at, 1);
  });

  it.each(['text', 'json', 'junit'])(
    'is reported as an error of that check (%s), the rest still run, exit 3',
    async (reporter) => {
      checks.splice(1, 0, broken);
      const service = await fakeService([bindingExample, bindingFor({})]);
      try {
        const { status, stdout } = await cli(
          ['verify', '--base-url', service.url, '--reporter', reporter, '--seed', '1'],
          service.env,
        );
        expect(status).toBe(3);
        expect(stdout).toContain('verify could not run this check: a bug in a check');
        if (reporter === 'text') {
          expect(line(stdout, 'broken_check')).toMatch(/^! broken_check: .*\(could not run: see below\)/);
          expect(line(stdout, 'known_binding')).toMatch(/^✓ /);
          expect(stdout.trim().split('\n').at(-1)).toMatch(/, 1 errored$/);
        }
        if (reporter === 'junit') expect(stdout).toMatch(/errors="1"/);
        if (reporter === 'json') expect(JSON.parse(stdout).summary.errored).toBe(1);
      } finally {
        await service.close();
      }
    },
  );

  it('a check that failed decides the exit status (1), whatever else could not run', async () => {
    checks.splice(1, 0, broken);
    // The known binding answered with a field of the wrong type: known_binding fails as well.
    const service = await fakeService([bindingExample, bindingFor({})], async (request) => {
      const response = await service.fake.handle(request);
      if (!new URL(request.url).pathname.endsWith(String(bindingExample.sid)) || response.status !== 200)
        return response;
      const body = { ...(await response.json()), date_created: 42 };
      return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
    });
    try {
      const { status, stdout } = await cli(['verify', '--base-url', service.url, '--seed', '1'], service.env);
      expect(line(stdout, 'broken_check')).toMatch(/^! /);
      expect(line(stdout, 'known_binding')).toMatch(/^✗ /);
      expect(status).toBe(1);
    } finally {
      await service.close();
    }
  });

  it('--help documents exit status 3', async () => {
    const { stdout } = await cli(['verify', '--help'], {});
    expect(stdout).toMatch(/\b3 verify could not run a check\b/);
  });
});

describe('a stopped run keeps what it finished', () => {
  it('each check finished before the stop keeps its verdict; only the others are "not finished"', async () => {
    const controller = new AbortController();
    const fake = createBindingsFake({ bindings: [bindingExample, bindingFor({})] });
    // The list walk hangs: the checks before its first page are finished when the run is stopped.
    const service = inProcess(fake, async (request) => {
      const url = new URL(request.url);
      if (
        url.pathname.endsWith('/Bindings') &&
        url.searchParams.has(parameterOf.ListServiceBinding.pageSize.name)
      ) {
        controller.abort(new Error('stopped by the test'));
        return new Promise(() => {});
      }
      return fake.handle(request);
    });
    try {
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const { stdout } = await cli(
        ['verify', '--base-url', service.url, '--seed', '1'],
        env,
        controller.signal,
      );
      for (const name of ['known_binding', 'negative_data', 'auth_no_credentials', 'unknown_binding'])
        expect(line(stdout, name)).toMatch(/^✓ /);
      expect(line(stdout, 'list_bindings')).toMatch(/^✓ /);
      expect(stdout).toMatch(
        /✗ list_pagination\n {2}\(the run\) → no response\n {4}not finished: stopped by the test/,
      );
      expect(stdout).not.toMatch(/✗ known_binding\n/);
      expect(stdout).toContain('Stopped: stopped by the test');
    } finally {
      await service.close();
    }
  });
});

describe('a check that judged nothing does not pass', () => {
  it('nothing listening: every check fails or is skipped saying why, none passes, exit 1', async () => {
    // A real port, closed: the network's own error.
    const fake = createBindingsFake({ bindings: [bindingExample] });
    const service = { ...(await serveFake(fake)), env: { BINDINGS_USERNAME: 'u', BINDINGS_PASSWORD: 'p' } };
    await service.close();
    const { status, stdout } = await cli(['verify', '--base-url', service.url, '--seed', '1'], service.env);
    expect(status).toBe(1);
    expect(stdout).not.toMatch(/^✓ /m);
    for (const name of ['not_a_server_error', 'status_conformance', 'every_operation_called'])
      expect(line(stdout, name)).toMatch(
        /^○ .*\(skipped: nothing to judge: no request of the run got an answer\)$/,
      );
  });
});

describe('a malformed answer is a finding, never a crash', () => {
  it('a list whose bindings is a string: the checks that walk it fail, none could not run, exit 1', async () => {
    const service = await fakeService([bindingExample, bindingFor({})], async (request) => {
      const response = await service.fake.handle(request);
      const url = new URL(request.url);
      if (!url.pathname.endsWith('/Bindings') || response.status !== 200) return response;
      const page = await response.json();
      return new Response(JSON.stringify({ ...page, bindings: 'bindings' }), {
        status: 200,
        headers: response.headers,
      });
    });
    try {
      const [, doomed] = service.fake.bindings;
      const { status, stdout } = await cli(
        ['verify', '--base-url', service.url, '--seed', '1', '--delete-binding-sid', String(doomed?.sid)],
        service.env,
      );
      expect(stdout).not.toContain('could not run');
      for (const name of ['list_bindings', 'list_pagination', 'deleted_not_listed'])
        expect(line(stdout, name)).toMatch(/^✗ /);
      expect(stdout.trim().split('\n').at(-1)).not.toMatch(/errored/);
      expect(status).toBe(1);
    } finally {
      await service.close();
    }
  });
});

describe('a judgement that cannot read an answer', () => {
  const picky: OperationCheck = {
    name: 'picky_check',
    title: 'A check whose judgement throws on the answer it reads',
    severity: 'error',
    on: ['fetch'],
    probe: (probe) => probe.send({ operation: probe.operation.id, path: usualPath(probe) }),
    judge: () => {
      throw new TypeError('page.bindings.some is not a function');
    },
  };
  afterEach(() => {
    const at = checks.indexOf(picky);
    if (at >= 0) checks.splice(at, 1);
  });

  it('is a finding of that answer (the check fails, naming it), never a crash: exit 1', async () => {
    checks.splice(1, 0, picky);
    const service = await fakeService([bindingExample]);
    try {
      const { status, stdout } = await cli(['verify', '--base-url', service.url, '--seed', '1'], service.env);
      expect(line(stdout, 'picky_check')).toMatch(/^✗ /);
      expect(stdout).toMatch(
        /FetchServiceBinding: GET .* → 200\n {4}verify could not judge this answer \(page\.bindings\.some is not a function\)/,
      );
      expect(status).toBe(1);
    } finally {
      await service.close();
    }
  });
});

describe('every operation of the contract is called, or said why not', () => {
  /** Runs verify with only the checks `keep` allows, the registry restored after. */
  async function withChecks(keep: (check: Check) => boolean, args: string[] = []) {
    const all = checks.splice(0, checks.length);
    checks.push(...all.filter(keep));
    const service = await fakeService([bindingExample, bindingFor({})]);
    try {
      return await cli(
        ['verify', '--base-url', service.url, '--seed', '1', '--reporter', 'json', ...args],
        service.env,
      );
    } finally {
      checks.splice(0, checks.length, ...all);
      await service.close();
    }
  }
  const deletes = (check: Check) => check.on?.includes('delete') === true;

  it('an operation no check covers: every_operation_called fails naming it (never called), exit 1', async () => {
    const { status, stdout } = await withChecks((c) => !deletes(c));
    const report = JSON.parse(stdout) as Report;
    const called = report.checks.find((c) => c.name === 'every_operation_called');
    expect(called?.status).toBe('fail');
    expect(called?.evidence.map((e) => e.operation)).toEqual(['DeleteServiceBinding']);
    expect(called?.evidence[0]?.problem).toBe('never called: no check of verify fits a delete');
    expect(report.operations?.find((o) => o.operation === 'DeleteServiceBinding')?.status).toBe('fail');
    expect(status).toBe(1);
  });

  it('an operation whose checks were all skipped: reported skipped, with why; the run passes', async () => {
    const destructive = (c: Check) => deletes(c) && c.skip?.when?.includes('--delete-binding-sid') === true;
    const { status, stdout } = await withChecks((c) => !deletes(c) || destructive(c));
    const report = JSON.parse(stdout) as Report;
    const op = report.operations?.find((o) => o.operation === 'DeleteServiceBinding');
    expect(op?.status).toBe('skip');
    expect(op?.reason).toMatch(
      /^delete_binding, use_after_free, deleted_not_listed, delete_twice: destructive: runs only with --delete-binding-sid, .*; fuzz_delete: runs only with --fuzz N$/,
    );
    expect(op?.requests).toBe(0);
    expect(status).toBe(0);
  });
});

describe('a check whose precondition failed is skipped, never passed', () => {
  it('--delete-binding-sid naming no binding: delete_binding fails, the three after it are skipped naming it', async () => {
    const service = await fakeService([bindingExample]);
    try {
      const absent = bindingFor({}).sid as string;
      const { status, stdout } = await cli(
        ['verify', '--base-url', service.url, '--delete-binding-sid', absent, '--seed', '1'],
        service.env,
      );
      expect(status).toBe(1);
      expect(line(stdout, 'delete_binding')).toMatch(/^✗ /);
      for (const name of ['use_after_free', 'deleted_not_listed', 'delete_twice'])
        expect(line(stdout, name)).toMatch(/^○ .*\(skipped: depends on delete_binding, which failed\)$/);
    } finally {
      await service.close();
    }
  });
});

describe("redaction masks what came from outside, never the report's own words", () => {
  it("with the fake's default password, check names and labels read whole; the echoed secret does not", async () => {
    const bindings = [bindingExample, bindingFor({})];
    const { password, username } = createBindingsFake().credentials;
    /**
     * The report of a run whose service answers a request without credentials with its 401, `said` quoted in
     * a field the contract types otherwise (so the report quotes it).
     */
    async function report(reporter: string, said: string) {
      const fake = createBindingsFake({ bindings });
      const service = inProcess(fake, async (request) => {
        const response = await fake.handle(request);
        if (request.headers.get('authorization')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        // A field the service sends as a number, given a string: the report quotes what the contract refuses.
        const field = Object.keys(body).find((key) => typeof body[key] === 'number') as string;
        body[field] = `no ${said} given`;
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      });
      try {
        const env = { BINDINGS_USERNAME: username, BINDINGS_PASSWORD: password };
        return (await cli(['verify', '--base-url', service.url, '--reporter', reporter, '--seed', '1'], env))
          .stdout;
      } finally {
        await service.close();
      }
    }
    /** The 4-character pieces of the password in what is left once the report's own vocabulary is taken out. */
    const vocabulary = [...checks.flatMap((c) => [c.name, c.title]), 'auth', 'token', 'Token'];
    const pieces = (stdout: string) => {
      let rest = stdout;
      for (const w of vocabulary) rest = rest.split(w).join(' ');
      const lower = rest.toLowerCase();
      return new Set(
        Array.from({ length: password.length - 3 }, (_, i) => password.slice(i, i + 4).toLowerCase()).filter(
          (piece) => lower.includes(piece),
        ),
      );
    };
    for (const reporter of ['text', 'json', 'junit']) {
      const echoed = await report(reporter, password);
      expect(echoed).toContain('(during auth_no_credentials)');
      expect(echoed).toContain('given');
      expect(echoed).toContain('(no credentials)');
      expect(echoed).not.toContain('[REDACTED]_no_credentials');
      expect(echoed).not.toContain(password);
      // The echo adds no piece of the password. The same run with nothing echoed is the baseline: a piece
      // that verify's own words hold by chance (a SID it made up is hex, as the password is) is in both.
      const without = pieces(await report(reporter, 'x'.repeat(password.length)));
      expect([...pieces(echoed)].filter((piece) => !without.has(piece))).toEqual([]);
    }
  });
});

describe('reports stay bounded whatever the service sends', () => {
  it('a next_page_url and SIDs of 200,000 characters, SIDs that repeat: every quote at most 200 characters', async () => {
    const long = 'x'.repeat(200_000);
    const fake = createBindingsFake({ bindings: [bindingExample] });
    const service = inProcess(fake, async (request) => {
      const response = await fake.handle(request);
      if (!new URL(request.url).pathname.endsWith('/Bindings') || response.status !== 200) return response;
      const page = await response.json();
      const sid = `${String(bindingExample.sid)}${long}`;
      page.bindings = [...page.bindings, { sid }, { sid }];
      page.meta.next_page_url = `${page.meta.url}&x=${long}`;
      return new Response(JSON.stringify(page), { status: 200, headers: response.headers });
    });
    try {
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const { stdout } = await cli(['verify', '--base-url', service.url, '--max-pages', '20'], env);
      const longest = Math.max(...stdout.split('\n').map((l) => l.length));
      expect(longest).toBeLessThan(1000);
      expect(stdout.length).toBeLessThan(200_000);
      expect(stdout).toContain('listed twice');
    } finally {
      await service.close();
    }
  });
});

describe('a quote of a number is what the service wrote', () => {
  it('integers past 2^53 in a page are quoted as sent, not as JSON.parse rounds them', async () => {
    const pageSize = '8261414824119458130';
    const identity = '12345678901234567891';
    const service = await fakeService([bindingExample], async (request) => {
      const response = await service.fake.handle(request);
      const url = new URL(request.url);
      if (!url.pathname.endsWith('/Bindings') || response.status !== 200) return response;
      let text = (await response.text()).replace(/"page_size":\s*\d+/, `"page_size": ${pageSize}`);
      if (url.search.includes('Identity='))
        text = text.replace(/"bindings":\s*\[/, `"bindings":[{"identity":${identity}},`);
      return new Response(text, { status: 200, headers: response.headers });
    });
    try {
      const { stdout } = await cli(
        ['verify', '--base-url', service.url, '--seed', '1', '--fuzz', '6'],
        service.env,
      );
      // The verdicts are unchanged; the quotes are the source text (JSON.parse reads 8261414824119458000).
      expect(stdout).toContain(`meta.page_size is ${pageSize}, but 50 was asked`);
      expect(stdout).toMatch(
        new RegExp(`fuzz_list\\n(.*\\n)*.*meta\\.page_size is ${pageSize}, but \\d+ was asked`),
      );
      expect(stdout).toContain(`has identity ${identity}, but the list was filtered by identity`);
      expect(stdout).not.toContain(String(Number(pageSize)));
      expect(stdout).not.toContain(String(Number(identity)));
    } finally {
      await service.close();
    }
  });
  it('the literal found is the one JSON.parse keeps (a repeated key, an escaped key, an index), and a huge one is cut', () => {
    const text = `{"meta":{"page_size":1,"pag\\u0065_size":90071992547409931},"b":[{"n":2},{"n":-1.50e+3}],"k":${'9'.repeat(100_000)}}`;
    expect(numberText(text, ['meta', 'page_size'])).toBe('90071992547409931');
    expect(numberText(text, ['b', 1, 'n'])).toBe('-1.50e+3');
    expect(numberText(text, ['b', 2, 'n'])).toBeUndefined();
    expect(numberText(text, ['meta'])).toBeUndefined();
    expect(numberText(text, ['k'])).toBe('9'.repeat(MAX_NUMBER_TEXT));
  });
});

describe('a walk of verify keeps what it found, not what it read', () => {
  it('20 list pages of 1 MiB, each of new SIDs: the heap at the last page is what it was at the seventh', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const fake = createBindingsFake({ bindings: [bindingExample] });
    const prefix = String(bindingExample.sid).slice(0, 2);
    const tail = 'f'.repeat(4_000);
    const heaps = new Map<number, number>();
    const service = inProcess(fake, async (request) => {
      const url = new URL(request.url);
      if (!url.pathname.endsWith('/Bindings') || request.method !== 'GET') return fake.handle(request);
      const n = Number(url.searchParams.get('n') ?? 0);
      if (n === 6 || n === 19) heaps.set(n, heap());
      const page = (await (await fake.handle(request)).json()) as {
        bindings: unknown[];
        meta: Record<string, unknown>;
      };
      page.bindings = Array.from({ length: 250 }, (_, i) => ({ sid: `${prefix}${n}-${i}-${tail}` }));
      page.meta.next_page_url = n < 19 ? `${String(page.meta.url).split('?')[0]}?n=${n + 1}` : null;
      return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': jsonType } });
    });
    try {
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const { stdout } = await cli(['verify', '--base-url', service.url, '--max-pages', '20'], env);
      expect(stdout).toContain('✗ list_pagination');
      // Without a bound, each page's SIDs (250 of about 4,000 characters) stayed until the run ended: about
      // 12 MiB between these two. With it, under 1 MiB here: the threshold is a third of the unbounded.
      expect((heaps.get(19) ?? Number.POSITIVE_INFINITY) - (heaps.get(6) ?? 0)).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await service.close();
    }
  });
});
