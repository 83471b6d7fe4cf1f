// The fake under careless use and hostile requests: delays a timer cannot hold, fixtures that have no JSON
// form, a list that must stay linear in what it serves, and requests fetch would refuse to make (TRACE,
// CONNECT, a Host with userinfo) arriving at `mock --stateful` anyway: each gets an answer, never a hang-up.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { operationFacts, parameterOf, parameterRules, responses, server } from '../../generated/contract.js';
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
    [
      'a Host with userinfo',
      `GET ${item} HTTP/1.1\r\nHost: mallory:secret@127.0.0.1\r\nAuthorization: ${authorization}\r\nConnection: close`,
      operationFacts.FetchServiceBinding.successStatus,
    ],
  ])('%s: an HTTP answer with a conforming body', async (_what, head, status) => {
    const answer = await raw(head);
    expect(answer.status).toBe(status);
    expect(conforms('FetchServiceBinding', status, answer.body)).toBe(true);
    if (status === 405) expect(answer.headers).toMatch(/^allow: /m);
  });

  it('TRACE without credentials is answered too (401)', async () => {
    const answer = await raw(`TRACE ${item} HTTP/1.1\r\nHost: x\r\nConnection: close`);
    expect(answer.status).toBe(statusOf('Unauthorized'));
  });
});
