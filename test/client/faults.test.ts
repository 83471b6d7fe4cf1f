// fetchBinding against a scripted fault server: each answer's exact outcome, error fields, and how
// many requests the server saw. Retry waits are asserted with fake timers and an injected fetch.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import {
  ApiError,
  type BindingsClientOptions,
  BindingsError,
  ContractViolationError,
  createBindingsClient,
  NetworkError,
  TimeoutError,
} from '../../src/client/index.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  errorBody,
  errorExample,
  exampleAccountSid,
  exampleSids,
  invalidSids,
  jsonType,
  statusOf,
  valueNotIn,
  withFields,
} from '../support/contract.ts';
import {
  type Answer,
  type FaultServer,
  hang,
  json,
  reset,
  startFaultServer,
  text,
} from '../support/fault-server.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const credentials = { username: exampleAccountSid, password: 'Qx7Zv9Lk2Rt5Wp8Jm4' };
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 20 };
const client = (options: Partial<BindingsClientOptions> = {}) =>
  createBindingsClient({ ...credentials, baseUrl: server.url, retry: fastRetry, ...options });

const err = errorExample;
const unknownType = valueNotIn(bindingTypes);
const tooMany = statusOf('TooManyRequests');
const html502 =
  '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';

type Want =
  | { resolves: unknown; requests: number }
  | { rejects: new (...args: never[]) => BindingsError; fields: Record<string, unknown>; requests: number };

const cases: [string, { given: Answer[]; options?: Partial<BindingsClientOptions>; want: Want }][] = [
  [
    'the seed example',
    { given: [json(200, bindingExample)], want: { resolves: bindingExample, requests: 1 } },
  ],
  [
    'an extra unknown field (allowed)',
    {
      given: [json(200, { ...bindingExample, added_later: { x: 1 } })],
      want: { resolves: { ...bindingExample, added_later: { x: 1 } }, requests: 1 },
    },
  ],
  [
    'Twilio 401',
    {
      given: [json(statusOf('Unauthorized'), err('Unauthorized'))],
      want: {
        rejects: ApiError,
        fields: {
          status: statusOf('Unauthorized'),
          code: err('Unauthorized').code,
          moreInfo: err('Unauthorized').more_info,
          body: err('Unauthorized'),
          attempts: 1,
        },
        requests: 1,
      },
    },
  ],
  [
    'Twilio 404',
    {
      given: [json(statusOf('NotFound'), err('NotFound'))],
      want: {
        rejects: ApiError,
        fields: {
          status: statusOf('NotFound'),
          code: err('NotFound').code,
          moreInfo: err('NotFound').more_info,
          body: err('NotFound'),
          attempts: 1,
        },
        requests: 1,
      },
    },
  ],
  [
    'Twilio 429 on every attempt',
    {
      given: [json(tooMany, err('TooManyRequests'))],
      want: {
        rejects: ApiError,
        fields: { status: tooMany, code: err('TooManyRequests').code, attempts: 3 },
        requests: 3,
      },
    },
  ],
  [
    '503 twice, then 200',
    {
      given: [json(503, errorBody(503)), json(503, errorBody(503)), json(200, bindingExample)],
      want: { resolves: bindingExample, requests: 3 },
    },
  ],
  [
    'an HTML 502 page (retries off)',
    {
      given: [text(502, html502, 'text/html')],
      options: { retry: false },
      want: {
        rejects: ApiError,
        fields: { status: 502, body: '502 Bad Gateway 502 Bad Gateway nginx', attempts: 1 },
        requests: 1,
      },
    },
  ],
  [
    'an HTML 502 page on every attempt',
    {
      given: [text(502, html502, 'text/html')],
      want: { rejects: ApiError, fields: { status: 502, attempts: 3 }, requests: 3 },
    },
  ],
  [
    'a 400 (never retried)',
    {
      given: [json(400, errorBody(400))],
      want: {
        rejects: ApiError,
        fields: { status: 400, code: errorBody(400).code, attempts: 1 },
        requests: 1,
      },
    },
  ],
  [
    '200 with malformed JSON',
    {
      given: [text(200, JSON.stringify(bindingExample).slice(0, 12), jsonType)],
      want: { rejects: ContractViolationError, fields: { status: 200, attempts: 1 }, requests: 1 },
    },
  ],
  [
    '200 with text/html',
    {
      given: [text(200, '<html>ok</html>', 'text/html')],
      want: { rejects: ContractViolationError, fields: { status: 200 }, requests: 1 },
    },
  ],
  [
    '200 with a binding_type outside the enum',
    {
      given: [json(200, withFields({ binding_type: unknownType }))],
      want: {
        rejects: ContractViolationError,
        // The body at fault, as the JSON text it was sent as (the binding: far below the bound).
        fields: { status: 200, body: JSON.stringify(withFields({ binding_type: unknownType })) },
        requests: 1,
      },
    },
  ],
  [
    '201 instead of 200',
    {
      given: [json(201, bindingExample)],
      want: { rejects: ContractViolationError, fields: { status: 201 }, requests: 1 },
    },
  ],
  [
    'a reset connection on every attempt',
    { given: [reset], want: { rejects: NetworkError, fields: { attempts: 3 }, requests: 3 } },
  ],
  [
    'a reset, then 200',
    { given: [reset, json(200, bindingExample)], want: { resolves: bindingExample, requests: 2 } },
  ],
  [
    'a hang past the timeout (retries off)',
    {
      given: [hang],
      options: { timeoutMs: 150, retry: false },
      want: { rejects: TimeoutError, fields: { timeoutMs: 150, attempts: 1 }, requests: 1 },
    },
  ],
  [
    'a hang on every attempt',
    {
      given: [hang],
      options: { timeoutMs: 100 },
      want: { rejects: TimeoutError, fields: { timeoutMs: 100, attempts: 3 }, requests: 3 },
    },
  ],
];

describe('fetchBinding against a fault server', () => {
  it.each(cases)('%s', async (_name, { given, options, want }) => {
    server.script(...given);
    const call = client(options).fetchBinding(exampleSids);
    if ('resolves' in want) {
      await expect(call).resolves.toStrictEqual(want.resolves);
    } else {
      const error = await call.then(
        () => expect.unreachable('resolved'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(want.rejects);
      expect(error).toBeInstanceOf(BindingsError);
      expect(error).toMatchObject(want.fields);
    }
    expect(server.requests).toHaveLength(want.requests);
  });
});

describe('what a ContractViolationError names', () => {
  const violations = async (body: unknown, contentType = jsonType) => {
    server.script(text(200, typeof body === 'string' ? body : JSON.stringify(body), contentType));
    const error = (await client()
      .fetchBinding(exampleSids)
      .catch((e) => e)) as ContractViolationError;
    expect(error).toBeInstanceOf(ContractViolationError);
    return error.violations;
  };

  it('an unknown binding_type, with the allowed values and the value given', async () => {
    const [v, ...rest] = await violations(withFields({ binding_type: unknownType }));
    expect(rest).toEqual([]);
    expect(v?.path).toBe('/binding_type');
    expect(v?.message).toContain(`must be one of the documented values ${bindingTypes.join(', ')}`);
    expect(v?.message).toContain(JSON.stringify(unknownType));
  });

  it('a malformed SID, an invalid date and a wrong type, all at once', async () => {
    const found = await violations(
      withFields({
        sid: invalidSids('Sid')['one character short'],
        date_created: 'yesterday',
        message_types: 'a string',
      }),
    );
    expect(found.map((v) => v.path).sort()).toEqual(['/date_created', '/message_types', '/sid']);
    expect(found.find((v) => v.path === '/message_types')?.message).toMatch(/must be array or null/);
    expect(found.find((v) => v.path === '/date_created')?.message).toMatch(/date-time/);
  });

  it('null where the contract allows it is no violation', async () => {
    server.script(json(200, withFields({ identity: null, url: null, message_types: null })));
    await expect(client().fetchBinding(exampleSids)).resolves.toMatchObject({ identity: null });
  });

  it('the content type and the malformed body', async () => {
    expect((await violations('{"sid"', 'text/html')).map((v) => v.path)).toEqual(['content-type', 'body']);
  });

  it('with validateResponse: false, the body comes back as is', async () => {
    server.script(json(200, withFields({ binding_type: unknownType })));
    await expect(client({ validateResponse: false }).fetchBinding(exampleSids)).resolves.toMatchObject({
      binding_type: unknownType,
    });
  });
});

describe('retries', () => {
  const retryAfter = operationFacts.FetchServiceBinding.retryAfter;
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A fetch that answers from a script and counts its calls, with fake timers running the waits. */
  function scripted(...answers: (() => Response)[]) {
    vi.useFakeTimers({ now: Date.parse('2026-11-27T12:00:00Z') });
    let calls = 0;
    const fetch = (async () =>
      (answers[Math.min(calls++, answers.length - 1)] as () => Response)()) as typeof globalThis.fetch;
    return { fetch, calls: () => calls };
  }
  const respond =
    (status: number, body: unknown, headers: Record<string, string> = {}) =>
    () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': jsonType, ...headers } });

  /**
   * Starts a call whose first answer is `first` and whose second is the binding, then reports how many
   * requests were made at once, after `ms − 1` ms of fake time, and after `ms` ms.
   */
  async function requestsOver(retry: BindingsClientOptions['retry'], first: () => Response, ms: number) {
    const { fetch, calls } = scripted(first, respond(200, bindingExample));
    const result = client({ fetch, retry }).fetchBinding(exampleSids);
    const counts: number[] = [];
    for (const step of [0, ms - 1, 1]) {
      await vi.advanceTimersByTimeAsync(step);
      counts.push(calls());
    }
    await expect(result).resolves.toStrictEqual(bindingExample);
    return counts;
  }

  it('honour Retry-After in seconds: the next request waits exactly that long', async () => {
    const first = respond(tooMany, err('TooManyRequests'), { [retryAfter.header]: '1' });
    expect(await requestsOver({ maxDelayMs: 5000 }, first, 1000)).toEqual([1, 1, 2]);
  });

  it('honour Retry-After as an HTTP date', async () => {
    const at = new Date(Date.parse('2026-11-27T12:00:00Z') + 2000).toUTCString();
    const first = respond(503, errorBody(503), { [retryAfter.header]: at });
    expect(await requestsOver({ maxDelayMs: 5000 }, first, 2000)).toEqual([1, 1, 2]);
  });

  it('cap Retry-After at maxDelayMs', async () => {
    const first = respond(tooMany, err('TooManyRequests'), { [retryAfter.header]: '3600' });
    expect(await requestsOver({ maxDelayMs: 50 }, first, 50)).toEqual([1, 1, 2]);
  });

  it('make at most maxAttempts requests', async () => {
    server.script(json(500, errorBody(500)));
    const error = await client({ retry: { ...fastRetry, maxAttempts: 5 } })
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 500, attempts: 5 });
    expect(server.requests).toHaveLength(5);
  });

  it('are off with retry: false', async () => {
    server.script(json(503, errorBody(503)), json(200, bindingExample));
    await expect(client({ retry: false }).fetchBinding(exampleSids)).rejects.toMatchObject({
      status: 503,
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe("the caller's signal", () => {
  it('aborts a hanging request at once with its reason, and nothing is retried', async () => {
    server.script(hang);
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const call = client({ timeoutMs: 10_000 }).fetchBinding(exampleSids, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a backoff wait, and no further request is made', async () => {
    server.script(json(503, errorBody(503), { [operationFacts.FetchServiceBinding.retryAfter.header]: '5' }));
    const controller = new AbortController();
    const call = client({ retry: { maxDelayMs: 10_000 } }).fetchBinding(exampleSids, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('already aborted: nothing is sent', async () => {
    server.script(json(200, bindingExample));
    await expect(client().fetchBinding(exampleSids, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('requests', () => {
  it('carry Basic auth (UTF-8), Accept and the User-Agent with the caller suffix', async () => {
    server.script(json(200, bindingExample));
    await client({ password: 'pässwörd-€', userAgent: 'my-app/2.1' }).fetchBinding(exampleSids);
    const headers = server.requests[0]?.headers ?? {};
    expect(headers.authorization).toBe(
      `Basic ${Buffer.from(`${credentials.username}:pässwörd-€`, 'utf8').toString('base64')}`,
    );
    expect(headers.accept).toBe(operationFacts.FetchServiceBinding.accept);
    expect(headers['user-agent']).toMatch(/^conversations-bindings-contract\/\d+\.\d+\.\d+ my-app\/2\.1$/);
  });

  it.each([
    ['/prefix', '/prefix'],
    ['/prefix/', '/prefix'],
    ['/', ''],
  ])('honour a baseUrl with path %j', async (suffix, prefix) => {
    server.script(json(200, bindingExample));
    await client({ baseUrl: `${server.url}${suffix}` }).fetchBinding(exampleSids);
    expect(server.requests[0]?.url).toBe(prefix + bindingPath(exampleSids.chatServiceSid, exampleSids.sid));
  });
});

describe('createBindingsClient options', () => {
  it.each([
    [{ username: '' }, /option username must be a non-empty string/],
    [{ password: 42 }, /option password must be a non-empty string, got number/],
    [{ baseUrl: 'conversations.twilio.com' }, /option baseUrl must be an absolute http\(s\) URL/],
    [{ baseUrl: 'https://user:pw@example.com' }, /got a URL with credentials \(not shown\)$/],
    [
      { baseUrl: 'http://127.0.0.1:1/#access_token=eyJhbGciOiJIUzI1NiJ9' },
      /got "http:\/\/127\.0\.0\.1:1\/" \(19 characters\) followed by a query\/fragment \(not shown\)$/,
    ],
    [
      { baseUrl: 'http://127.0.0.1:1/x?api_key=sekrit' },
      /got "http:\/\/127\.0\.0\.1:1\/x" \(20 characters\) followed by a query\/fragment \(not shown\)$/,
    ],
    [{ timeoutMs: 0 }, /option timeoutMs must be a number from 1 to 2147483647 .*, got number 0/],
    [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts must be an integer ≥ 1, got number 0/],
    [{ userAgent: 'bad\r\nX-Injected: 1' }, /option userAgent must be printable ASCII/],
  ])('reject %j with a clear message', (bad, message) => {
    expect(() =>
      createBindingsClient({ ...credentials, ...(bad as object) } as BindingsClientOptions),
    ).toThrow(message);
  });
});
