// The fake under careless use and hostile requests: delays a timer cannot hold, fixtures that have no JSON
// form, a list that must stay linear in what it serves, and requests fetch would refuse to make (TRACE,
// CONNECT, a Host with userinfo) arriving at `mock --stateful` anyway: each gets an answer, never a hang-up;
// a browser's CORS preflight is answered as the contract's CORS headers say.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  headerExamples,
  operationFacts,
  parameterOf,
  parameterRules,
  responses,
  server,
} from '../../generated/contract.js';
import { serveFake } from '../../src/cli/fake-server.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { MAX_TIMER_MS } from '../../src/client/bounds.ts';
import type { Binding, OperationId } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake, FixtureError } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingPath,
  exampleSids,
  jsonType,
  listPath,
  nthBinding,
  statusOf,
} from '../support/contract.ts';

const nameOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;

function setUp(bindings?: Binding[]) {
  const fake = createBindingsFake(bindings ? { bindings } : {});
  const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
  const send = (path: string, init: RequestInit = {}) =>
    fake.fetch(`${server}${path}`, { ...init, headers: { authorization } });
  return { fake, send, authorization };
}

describe('inject({ delayMs })', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([Number.NaN, -5, '10', null])('refuses %s at inject, with the rule', (delayMs) => {
    const { fake } = setUp();
    expect(() => fake.inject({ delayMs: delayMs as number })).toThrow(
      /^inject: delayMs must be a number ≥ 0 \(Infinity: never answers\), got /,
    );
  });

  it.each([Number.POSITIVE_INFINITY, MAX_TIMER_MS + 1, 1e12])(
    '%d (past what a timer holds) never answers: the request waits for its signal',
    async (delayMs) => {
      vi.useFakeTimers();
      const { fake, send } = setUp();
      fake.inject({ delayMs });
      const controller = new AbortController();
      let settled = false;
      const answer = send(listPath, { signal: controller.signal }).finally(() => {
        settled = true;
      });
      answer.catch(() => {});
      // A timer given more than 2³¹−1 ms fires at once: a day of fake time would have answered it.
      await vi.advanceTimersByTimeAsync(24 * 3600 * 1000);
      expect(settled).toBe(false);
      controller.abort(new Error('caller gave up'));
      await expect(answer).rejects.toThrow('caller gave up');
    },
  );
});

describe('fixtures are what the fake will serve as JSON', () => {
  const cyclic = (): Record<string, unknown> => {
    const extra: Record<string, unknown> = {};
    extra.self = extra;
    return { ...bindingFor({}), extra };
  };

  it.each([
    ['a cycle', cyclic, 'extra'],
    ['a BigInt', () => ({ ...bindingFor({}), big: 10n }), 'big'],
  ])('a field holding %s is a FixtureError at creation, naming its index and field', (_what, make, field) => {
    const bindings = [bindingExample, make()] as unknown as Binding[];
    expect(() => createBindingsFake({ bindings })).toThrow(FixtureError);
    expect(() => createBindingsFake({ bindings })).toThrow(
      new RegExp(`^bindings\\[1\\]/${field}: cannot be served as JSON`),
    );
    const { fake } = setUp();
    expect(() => {
      fake.bindings = bindings;
    }).toThrow(FixtureError);
  });

  it('a toJSON that changes the binding is judged as it would be served', () => {
    const sly = { ...bindingFor({}), toJSON: () => ({ ...bindingExample, binding_type: 42 }) };
    expect(() => createBindingsFake({ bindings: [sly as unknown as Binding] })).toThrow(
      /^bindings\[0\]\/binding_type: /,
    );
  });
});

describe('a list page costs what it serves, not what the fake holds', () => {
  /** A fake holding `held` bindings, and the time per page of the first pages of a walk of the smallest pages. */
  function walker(held: number) {
    const { send } = setUp(Array.from({ length: held }, (_, i) => nthBinding(i)));
    const size = `${nameOf('pageSize')}=${parameterRules.PageSize.minimum}`;
    return async (pages: number): Promise<number> => {
      let next: string | null = `${listPath}?${size}`;
      const started = performance.now();
      for (let i = 0; i < pages && next; i++) {
        const page = (await (await send(next)).json()) as { meta: { next_page_url: string | null } };
        next = page.meta.next_page_url?.slice(server.length) ?? null;
      }
      return (performance.now() - started) / pages;
    };
  }

  it('a page from 25,000 costs about what one from 500 does (a list that scans them all costs 50 times more)', async () => {
    const small = walker(500);
    const large = walker(25_000);
    // Interleaved, best of five each: two sizes of work compared in one run, no wall-clock bound.
    const times = { small: [] as number[], large: [] as number[] };
    for (let round = 0; round < 5; round++) {
      times.small.push(await small(20));
      times.large.push(await large(20));
    }
    expect(Math.min(...times.large) / Math.min(...times.small)).toBeLessThan(5);
  });

  it('a filtered walk and deletes keep the order and the pages whole', async () => {
    const bindings = Array.from({ length: 250 }, (_, i) => bindingFor({ identity: i % 2 ? 'odd' : 'even' }));
    const { fake, send } = setUp(bindings);
    const sids: string[] = [];
    let next: string | null = `${listPath}?${nameOf('identity')}=odd&${nameOf('pageSize')}=40`;
    while (next) {
      const page = (await (await send(next)).json()) as {
        bindings: Binding[];
        meta: { next_page_url: string | null };
      };
      sids.push(...page.bindings.map((b) => b.sid as string));
      // A delete behind the walk does not shift the pages ahead of it.
      if (sids.length === 40)
        await send(bindingPath(exampleSids.chatServiceSid, sids[0] as string), { method: 'DELETE' });
      next = page.meta.next_page_url?.slice(server.length) ?? null;
    }
    expect(sids).toEqual(bindings.filter((_, i) => i % 2).map((b) => b.sid));
    expect(fake.bindings).toHaveLength(249);
  });
});

describe('mock --stateful answers every request over HTTP', () => {
  /** The raw answer of the fake over a socket to the request `head` (the request line and headers). */
  async function raw(head: string): Promise<{ status: number; headers: string; body: string }> {
    const fake = createBindingsFake();
    const served = await serveFake(fake);
    try {
      const { port } = new URL(served.url);
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(`${head}\r\n\r\n`));
        let got = '';
        socket.on('data', (chunk) => {
          got += chunk;
        });
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
        socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
      });
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headers] = top.split('\r\n');
      return {
        status: Number(statusLine.split(' ')[1]),
        headers: headers.join('\n').toLowerCase(),
        body: rest.join(''),
      };
    } finally {
      await served.close();
    }
  }
  const credentials = createBindingsFake().credentials;
  const authorization = basicAuthorization(credentials.username, credentials.password);
  const item = bindingPath(exampleSids.chatServiceSid, exampleSids.sid);

  /** Whether a body keeps what the contract documents for the status (else `default`). */
  function conforms(operation: OperationId, status: number, body: string): boolean {
    type Documented = { content: Record<string, { validate: (value: unknown) => boolean }> };
    const byStatus = responses[operation] as unknown as Record<string, Documented | undefined>;
    return Boolean(
      (byStatus[String(status)] ?? byStatus.default)?.content[jsonType]?.validate(JSON.parse(body)),
    );
  }

  it.each([
    [
      'TRACE on a binding',
      `TRACE ${item} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nConnection: close`,
      405,
    ],
    [
      'a method node:http cannot parse (TRACK)',
      `TRACK ${listPath} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nConnection: close`,
      400,
    ],
    ['CONNECT', `CONNECT conversations.twilio.com:443 HTTP/1.1\r\nHost: conversations.twilio.com:443`, 400],
  ])('%s: an HTTP answer with a conforming body', async (_what, head, status) => {
    const answer = await raw(head);
    expect(answer.status).toBe(status);
    expect(conforms('FetchServiceBinding', status, answer.body)).toBe(true);
    if (status === 405) expect(answer.headers).toMatch(/^allow: /m);
  });

  // RFC 9112 §3.2: one Host line, uri-host[:port], present in HTTP/1.1; anything else is a 400.
  const fetchLine = `GET ${item} HTTP/1.1\r\nAuthorization: ${authorization}\r\nConnection: close`;
  it.each([
    ['a Host with userinfo', `${fetchLine}\r\nHost: mallory:secret@127.0.0.1`],
    ['a Host with userinfo and no host', `${fetchLine}\r\nHost: mallory:secret@`],
    ['a Host with a path', `${fetchLine}\r\nHost: 127.0.0.1/mallory`],
    ['a Host with a space', `${fetchLine}\r\nHost: mallory secret`],
    ['a Host with a port that is no number', `${fetchLine}\r\nHost: 127.0.0.1:mallory`],
    ['two Host lines', `${fetchLine}\r\nHost: 127.0.0.1\r\nHost: mallory`],
    ['no Host in HTTP/1.1', fetchLine],
    ['an empty Host', `${fetchLine}\r\nHost: `],
    ['a Host of a port alone', `${fetchLine}\r\nHost: :4010`],
    [
      'an absolute-form target with userinfo',
      `GET http://mallory:secret@evil${item} HTTP/1.1\r\nHost: evil\r\nAuthorization: ${authorization}\r\nConnection: close`,
    ],
    [
      'an absolute-form target with no host',
      `GET http://${item} HTTP/1.1\r\nHost: mallory\r\nAuthorization: ${authorization}\r\nConnection: close`,
    ],
  ])('%s: 400 with a conforming body that does not echo it', async (_what, head) => {
    const answer = await raw(head);
    expect(answer.status).toBe(400);
    expect(conforms('FetchServiceBinding', 400, answer.body)).toBe(true);
    expect(`${answer.headers}${answer.body}`).not.toMatch(/mallory|secret/);
  });

  it.each([
    ['a name and a port', 'mock.example:4010'],
    ['an IPv4 address', '127.0.0.1'],
    ['an IPv6 literal and a port', '[::1]:4010'],
    ['percent-encoded octets', 'mo%63k.example'],
  ])('a valid Host (%s) is served', async (_what, host) => {
    const answer = await raw(`${fetchLine}\r\nHost: ${host}`);
    expect(answer.status).toBe(operationFacts.FetchServiceBinding.successStatus);
    expect(JSON.parse(answer.body)).toStrictEqual(bindingExample);
  });

  it('an absolute-form target with a valid authority is served (on the fake’s own origin)', async () => {
    const head = `GET http://mock.example:4010${item} HTTP/1.1\r\nHost: mock.example:4010\r\nAuthorization: ${authorization}\r\nConnection: close`;
    const answer = await raw(head);
    expect(answer.status).toBe(operationFacts.FetchServiceBinding.successStatus);
    expect(JSON.parse(answer.body)).toStrictEqual(bindingExample);
  });

  it('HTTP/1.0 without a Host is served (the header is HTTP/1.1’s)', async () => {
    const answer = await raw(`GET ${item} HTTP/1.0\r\nAuthorization: ${authorization}`);
    expect(answer.status).toBe(operationFacts.FetchServiceBinding.successStatus);
  });

  it('TRACE without credentials is answered too (401)', async () => {
    const answer = await raw(`TRACE ${item} HTTP/1.1\r\nHost: x\r\nConnection: close`);
    expect(answer.status).toBe(statusOf('Unauthorized'));
  });
});

describe('mock --stateful answers a browser on another origin as the contract says', () => {
  const item = bindingPath(exampleSids.chatServiceSid, exampleSids.sid);
  const origin = 'http://app.example:3000';
  /** The CORS headers the contract documents for an operation's answers (its example values), lower-cased. */
  const documentedCors = (operation: OperationId) =>
    Object.fromEntries(
      Object.values(headerExamples[operation] as Record<string, Record<string, unknown>>)
        .flatMap((byStatus) => Object.entries(byStatus))
        .filter(([name]) => /^access-control-/i.test(name))
        .map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
  /** The methods the contract documents on the path of an operation, and OPTIONS (the preflight's own). */
  const methodsOn = (operation: OperationId) => [
    ...Object.values(operationFacts)
      .filter((op) => op.path === operationFacts[operation].path)
      .map((op) => op.method),
    'OPTIONS',
  ];
  async function served<T>(use: (url: string, fake: ReturnType<typeof createBindingsFake>) => Promise<T>) {
    const fake = createBindingsFake();
    const http = await serveFake(fake);
    try {
      return await use(http.url, fake);
    } finally {
      await http.close();
    }
  }

  it.each([
    ['FetchServiceBinding', item],
    ['ListServiceBinding', listPath],
  ] as const)(
    'a preflight on the path of %s: 204, no credentials asked, the contract’s CORS headers, the path’s methods',
    async (operation, path) => {
      const answer = await served((url) =>
        fetch(`${url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'DELETE',
            'access-control-request-headers': 'authorization',
          },
        }),
      );
      expect(answer.status).toBe(204);
      const { 'access-control-allow-methods': allowed, ...rest } = documentedCors(operation);
      expect(allowed).toBeDefined();
      for (const [name, value] of Object.entries(rest)) expect(answer.headers.get(name), name).toBe(value);
      expect(answer.headers.get('access-control-allow-methods')?.split(', ').sort()).toEqual(
        methodsOn(operation).sort(),
      );
    },
  );

  it('every answer to a cross-origin request carries the contract’s CORS headers: a delete, a 401, a 404', async () => {
    const { 'access-control-allow-origin': allowOrigin } = documentedCors('FetchServiceBinding');
    expect(allowOrigin).toBeDefined();
    const statuses = await served(async (url, fake) => {
      const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
      const answers = [
        await fetch(`${url}${item}`, { method: 'DELETE', headers: { origin, authorization } }),
        await fetch(`${url}${item}`, { headers: { origin } }),
        await fetch(`${url}${item}`, { headers: { origin, authorization } }),
      ];
      for (const answer of answers)
        expect(answer.headers.get('access-control-allow-origin')).toBe(allowOrigin);
      return answers.map((a) => a.status);
    });
    expect(statuses).toEqual([
      operationFacts.DeleteServiceBinding.successStatus,
      statusOf('Unauthorized'),
      statusOf('NotFound'),
    ]);
  });

  it('a request without Origin, or an OPTIONS that is no preflight, is the fake’s as before', async () => {
    await served(async (url, fake) => {
      const plain = await fetch(`${url}${item}`, { method: 'DELETE' });
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      const options = await fetch(`${url}${item}`, { method: 'OPTIONS', headers: { origin } });
      expect(options.status).toBe(statusOf('Unauthorized'));
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE', 'OPTIONS']);
    });
  });
});
