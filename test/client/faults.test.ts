// fetchBinding against a scripted fault server: each answer's exact outcome, error fields, and how
// many requests the server saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  type BindingsClientOptions,
  BindingsError,
  ContractViolationError,
  createBindingsClient,
  NetworkError,
  TimeoutError,
} from '../../src/client/index.ts';
import { bindingExample, errorExample, exampleSids, spec } from '../support/contract.ts';
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

const credentials = { username: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', password: 'fault-server-secret' };
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 20 };
const client = (options: Partial<BindingsClientOptions> = {}) =>
  createBindingsClient({ ...credentials, baseUrl: server.url, retry: fastRetry, ...options });

const err = (status: string) => errorExample(status);
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
      given: [json(401, err('401'))],
      want: {
        rejects: ApiError,
        fields: {
          status: 401,
          code: err('401').code,
          moreInfo: err('401').more_info,
          body: err('401'),
          attempts: 1,
        },
        requests: 1,
      },
    },
  ],
  [
    'Twilio 404',
    {
      given: [json(404, err('404'))],
      want: {
        rejects: ApiError,
        fields: {
          status: 404,
          code: err('404').code,
          moreInfo: err('404').more_info,
          body: err('404'),
          attempts: 1,
        },
        requests: 1,
      },
    },
  ],
  [
    'Twilio 429 on every attempt',
    {
      given: [json(429, err('429'))],
      want: { rejects: ApiError, fields: { status: 429, code: err('429').code, attempts: 3 }, requests: 3 },
    },
  ],
  [
    '503 twice, then 200',
    {
      given: [
        json(503, { message: 'busy', status: 503 }),
        json(503, { message: 'busy', status: 503 }),
        json(200, bindingExample),
      ],
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
      given: [json(400, { code: 20001, message: 'Bad request', status: 400 })],
      want: { rejects: ApiError, fields: { status: 400, code: 20001, attempts: 1 }, requests: 1 },
    },
  ],
  [
    '200 with malformed JSON',
    {
      given: [text(200, '{"sid": "BS', 'application/json')],
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
    '200 with binding_type "twilsock"',
    {
      given: [json(200, { ...bindingExample, binding_type: 'twilsock' })],
      want: {
        rejects: ContractViolationError,
        fields: { status: 200, body: { ...bindingExample, binding_type: 'twilsock' } },
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
  const violations = async (body: unknown, contentType = 'application/json') => {
    server.script(text(200, typeof body === 'string' ? body : JSON.stringify(body), contentType));
    const error = (await client()
      .fetchBinding(exampleSids)
      .catch((e) => e)) as ContractViolationError;
    expect(error).toBeInstanceOf(ContractViolationError);
    return error.violations;
  };

  it('an unknown binding_type, with the allowed values and the value given', async () => {
    const [v, ...rest] = await violations({ ...bindingExample, binding_type: 'twilsock' });
    expect(rest).toEqual([]);
    expect(v?.path).toBe('/binding_type');
    expect(v?.message).toContain(`must be one of ${spec.components.schemas.BindingType.enum.join(', ')}`);
    expect(v?.message).toContain('"twilsock"');
  });

  it('a malformed SID, an invalid date and a wrong type, all at once', async () => {
    const found = await violations({
      ...bindingExample,
      sid: 'BSxyz',
      date_created: 'yesterday',
      message_types: 'new_message',
    });
    expect(found.map((v) => v.path).sort()).toEqual(['/date_created', '/message_types', '/sid']);
    expect(found.find((v) => v.path === '/message_types')?.message).toMatch(/must be array or null/);
    expect(found.find((v) => v.path === '/date_created')?.message).toMatch(/date-time/);
  });

  it('null where the contract allows it is no violation', async () => {
    server.script(json(200, { ...bindingExample, identity: null, url: null, message_types: null }));
    await expect(client().fetchBinding(exampleSids)).resolves.toMatchObject({ identity: null });
  });

  it('the content type and the malformed body', async () => {
    expect((await violations('{"sid"', 'text/html')).map((v) => v.path)).toEqual(['content-type', 'body']);
  });

  it('with validateResponse: false, the body comes back as is', async () => {
    server.script(json(200, { ...bindingExample, binding_type: 'twilsock' }));
    await expect(client({ validateResponse: false }).fetchBinding(exampleSids)).resolves.toMatchObject({
      binding_type: 'twilsock',
    });
  });
});

describe('retries', () => {
  it('honour Retry-After in seconds', async () => {
    server.script(json(429, err('429'), { 'Retry-After': '1' }), json(200, bindingExample));
    await expect(client({ retry: { maxDelayMs: 5000 } }).fetchBinding(exampleSids)).resolves.toStrictEqual(
      bindingExample,
    );
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('honour Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 2000).toUTCString(); // second precision: 1–2 s from now
    server.script(
      json(503, { message: 'busy', status: 503 }, { 'Retry-After': at }),
      json(200, bindingExample),
    );
    await expect(client({ retry: { maxDelayMs: 5000 } }).fetchBinding(exampleSids)).resolves.toStrictEqual(
      bindingExample,
    );
    const [first, second] = server.requests;
    expect(second?.at ?? 0).toBeGreaterThanOrEqual(Date.parse(at) - 50);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('cap Retry-After at maxDelayMs', async () => {
    server.script(json(429, err('429'), { 'Retry-After': '3600' }), json(200, bindingExample));
    await expect(client({ retry: { maxDelayMs: 50 } }).fetchBinding(exampleSids)).resolves.toStrictEqual(
      bindingExample,
    );
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(1000);
  });

  it('make at most maxAttempts requests', async () => {
    server.script(json(500, { message: 'boom', status: 500 }));
    const error = await client({ retry: { ...fastRetry, maxAttempts: 5 } })
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 500, attempts: 5 });
    expect(server.requests).toHaveLength(5);
  });

  it('are off with retry: false', async () => {
    server.script(json(503, { message: 'busy', status: 503 }), json(200, bindingExample));
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
    server.script(json(503, { message: 'busy', status: 503 }, { 'Retry-After': '5' }));
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
    expect(headers.accept).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^conversations-bindings-contract\/\d+\.\d+\.\d+ my-app\/2\.1$/);
  });

  it.each([
    ['/prefix', '/prefix/v1/'],
    ['/prefix/', '/prefix/v1/'],
    ['/', '/v1/'],
  ])('honour a baseUrl with path %j', async (suffix, startsWith) => {
    server.script(json(200, bindingExample));
    await client({ baseUrl: `${server.url}${suffix}` }).fetchBinding(exampleSids);
    expect(server.requests[0]?.url.startsWith(startsWith)).toBe(true);
  });
});

describe('createBindingsClient options', () => {
  it.each([
    [{ username: '' }, /option username must be a non-empty string/],
    [{ password: 42 }, /option password must be a non-empty string, got number/],
    [{ baseUrl: 'conversations.twilio.com' }, /option baseUrl must be an absolute http\(s\) URL/],
    [{ baseUrl: 'https://user:pw@example.com' }, /got a URL with credentials \(not shown\)$/],
    [{ timeoutMs: 0 }, /option timeoutMs must be a finite number > 0, got 0/],
    [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts must be an integer ≥ 1, got 0/],
    [{ userAgent: 'bad\r\nX-Injected: 1' }, /option userAgent must be printable ASCII/],
  ])('reject %j with a clear message', (bad, message) => {
    expect(() =>
      createBindingsClient({ ...credentials, ...(bad as object) } as BindingsClientOptions),
    ).toThrow(message);
  });
});
