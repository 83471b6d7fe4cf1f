// client.raw (openapi-fetch, loaded on its first call) held to the typed methods' rules: an aborted
// signal sends nothing, what the fetch throws is sanitised, a 2xx body obeys the package's JSON rules,
// a timeout is a TimeoutError, and a redirect is reported, never followed with the credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { MAX_JSON_DEPTH } from '../../src/client/body.ts';
import {
  ApiError,
  ContractViolationError,
  createBindingsClient,
  NetworkError,
  TimeoutError,
} from '../../src/client/index.ts';
import { bindingExample, exampleSids, jsonType } from '../support/contract.ts';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.ts';
import { authorization, expectNoPiece, password, username } from './leaks.ts';

const { path } = operationFacts.FetchServiceBinding;
const params = { params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } } };
const ok = operationFacts.FetchServiceBinding.successStatus;

/** A fetch that counts its calls, answering each with `answer()` (or never, and deaf to its signal). */
function counting(answer?: () => Response) {
  let calls = 0;
  const fetch = (() => {
    calls++;
    return answer ? Promise.resolve(answer()) : new Promise(() => {});
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

const aborted = () => {
  const controller = new AbortController();
  controller.abort(new Error('the caller gave up'));
  return controller.signal;
};

describe('an already-aborted signal', () => {
  it.each([
    [
      'raw.GET',
      (c: ReturnType<typeof createBindingsClient>, signal: AbortSignal) =>
        c.raw.GET(path, { ...params, signal }),
    ],
    [
      'raw.DELETE',
      (c: ReturnType<typeof createBindingsClient>, signal: AbortSignal) =>
        c.raw.DELETE(path, { ...params, signal }),
    ],
    [
      'fetchBinding',
      (c: ReturnType<typeof createBindingsClient>, signal: AbortSignal) =>
        c.fetchBinding(exampleSids, { signal }),
    ],
    [
      'deleteBinding',
      (c: ReturnType<typeof createBindingsClient>, signal: AbortSignal) =>
        c.deleteBinding(exampleSids, { signal }),
    ],
    [
      'fetchBindingsPage',
      (c: ReturnType<typeof createBindingsClient>, signal: AbortSignal) =>
        c.fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid }, { signal }),
    ],
  ])(
    '%s: rejects with its reason and sends nothing, even to a fetch deaf to signals',
    async (_name, call) => {
      const deaf = counting();
      const client = createBindingsClient({ username, password, fetch: deaf.fetch, timeoutMs: 60_000 });
      const signal = aborted();
      await expect(call(client, signal)).rejects.toBe(signal.reason);
      expect(deaf.calls()).toBe(0);
    },
  );

  it('raw.DELETE against a real server: the server sees no request', async () => {
    const server = await startFaultServer();
    try {
      server.script(json(ok, bindingExample));
      const client = createBindingsClient({ username, password, baseUrl: server.url });
      await expect(client.raw.DELETE(path, { ...params, signal: aborted() })).rejects.toThrow(
        'the caller gave up',
      );
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('what the fetch throws', () => {
  it.each([
    [
      'an axios-style error with the request headers',
      () =>
        Object.assign(new Error('connect ECONNREFUSED'), {
          config: { headers: { Authorization: authorization } },
        }),
    ],
    ['a string naming the header', () => `failed with ${authorization}`],
    [
      'an error whose cause holds the password',
      () => new Error('x', { cause: new Error(`inner ${password}`) }),
    ],
  ])('%s: a NetworkError with a sanitised cause', async (_what, value) => {
    const fetch = (async () => {
      throw value();
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({ username, password, fetch });
    const error = await client.raw.GET(path, params).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expectNoPiece(error, username, password);
  });

  it('a deaf fetch past the timeout: a TimeoutError', async () => {
    const client = createBindingsClient({ username, password, fetch: counting().fetch, timeoutMs: 20 });
    const error = await client.raw.GET(path, params).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, attempts: 1 });
  });
});

describe('a 2xx body', () => {
  const answering = (body: string) =>
    counting(() => new Response(body, { status: ok, headers: { 'content-type': jsonType } })).fetch;

  it('that is not JSON: a ContractViolationError quoting no piece of it', async () => {
    const client = createBindingsClient({ username, password, fetch: answering(`${password} ok`) });
    const error = await client.raw.GET(path, params).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expectNoPiece(error, username, password);
  });

  it(`nested deeper than ${MAX_JSON_DEPTH} levels: a ContractViolationError saying so`, async () => {
    const n = MAX_JSON_DEPTH * 1000;
    const client = createBindingsClient({
      username,
      password,
      fetch: answering(`${'['.repeat(n)}${']'.repeat(n)}`),
    });
    const error = await client.raw.GET(path, params).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations).toEqual([
      { path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  });

  it('with a __proto__ key: handed on without it, so copies keep Object.prototype', async () => {
    const body = JSON.stringify(bindingExample).replace('{', '{"__proto__":{"polluted":true},');
    const client = createBindingsClient({ username, password, fetch: answering(body) });
    const { data } = await client.raw.GET(path, params);
    expect(Object.hasOwn(data as object, '__proto__')).toBe(false);
    expect((Object.assign({}, data) as Record<string, unknown>).polluted).toBeUndefined();
    expect(data).toStrictEqual(bindingExample);
  });
});

describe('a redirect', () => {
  let target: FaultServer;
  let redirecting: FaultServer;
  beforeAll(async () => {
    [target, redirecting] = await Promise.all([startFaultServer(), startFaultServer()]);
  });
  afterAll(() => Promise.all([target.close(), redirecting.close()]));

  /** The redirecting server sends every request to the other host, keeping its path. */
  const redirectAway = () => {
    redirecting.script((req, res) => {
      res.writeHead(307, { location: `${target.url}${req.url}` });
      res.end();
    });
    target.script(json(ok, bindingExample));
  };

  it('answered to a typed method: an ApiError for the status, and the other host sees nothing', async () => {
    redirectAway();
    const client = createBindingsClient({ username, password, baseUrl: redirecting.url, retry: false });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(307);
    expect(target.requests).toHaveLength(0);
  });

  it('answered to raw: returned as the response, and the other host sees nothing', async () => {
    redirectAway();
    const client = createBindingsClient({ username, password, baseUrl: redirecting.url });
    const { response, data } = await client.raw.GET(path, params);
    expect(response.status).toBe(307);
    expect(data).toBeUndefined();
    expect(target.requests).toHaveLength(0);
  });

  it('is never asked of the fetch: every request says redirect "manual", whatever raw was told', async () => {
    const modes: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      modes.push(input instanceof Request ? input.redirect : String(init?.redirect));
      return new Response(JSON.stringify(bindingExample), { headers: { 'content-type': jsonType } });
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({ username, password, fetch });
    await client.fetchBinding(exampleSids);
    await client.deleteBinding(exampleSids).catch(() => {});
    await client.raw.GET(path, { ...params, redirect: 'follow' });
    expect(modes).toEqual(['manual', 'manual', 'manual']);
  });
});
