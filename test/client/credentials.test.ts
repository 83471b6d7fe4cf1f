// Credential hygiene: for every kind of error, neither the password nor the Authorization value
// appears in its message, String(), JSON, inspected form (hidden fields and causes included) or stack.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { type BindingsClientOptions, createBindingsClient } from '../../src/client/index.ts';
import { renderings } from '../hostile/leaks.ts';
import {
  bindingExample,
  errorExample,
  exampleAccountSid,
  exampleSids,
  jsonType,
  statusOf,
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

const username = exampleAccountSid;
const password = 'sup3r-s3cret-auth-token';
const authorization = basicAuthorization(username, password);
const secrets = [password, authorization, authorization.slice('Basic '.length)];

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

/** A server that echoes the Authorization header back, in a body, as a careless proxy might. */
const echoAuth =
  (status: number): Answer =>
  (req, res) => {
    res.writeHead(status, { 'content-type': jsonType });
    res.end(
      JSON.stringify({ ...bindingExample, message: `bad ${req.headers.authorization}`, identity: password }),
    );
  };

/** A fetch that throws an error carrying the request, headers and all (as axios errors do). */
const leakyFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const authorization = request.headers.get('authorization');
  expect(authorization).toBe(basicAuthorization(username, password)); // the leak is real
  const error = new Error(`connect failed for ${authorization}`) as Error & Record<string, unknown>;
  error.request = request;
  error.config = { headers: { Authorization: authorization }, password };
  error.cause = new Error(`inner ${password}`);
  throw error;
}) as typeof globalThis.fetch;

const kinds: [
  string,
  { answer?: Answer; options?: Partial<BindingsClientOptions>; params?: object; name: string },
][] = [
  [
    'InvalidParameterError (the password passed as a SID)',
    { params: { sid: password }, name: 'InvalidParameterError' },
  ],
  [
    'ApiError (Twilio 401)',
    { answer: json(statusOf('Unauthorized'), errorExample('Unauthorized')), name: 'ApiError' },
  ],
  ['ApiError (a body echoing the credentials)', { answer: echoAuth(400), name: 'ApiError' }],
  [
    'ApiError (non-JSON 502 echoing them)',
    { answer: text(502, `<p>${authorization} ${password}</p>`, 'text/html'), name: 'ApiError' },
  ],
  ['ContractViolationError (echoed in the body)', { answer: echoAuth(201), name: 'ContractViolationError' }],
  ['TimeoutError', { answer: hang, options: { timeoutMs: 50 }, name: 'TimeoutError' }],
  ['NetworkError (a reset)', { answer: reset, name: 'NetworkError' }],
  [
    'NetworkError (a fetch whose error carries the request)',
    { options: { fetch: leakyFetch }, name: 'NetworkError' },
  ],
];

describe('no credential in any error', () => {
  it.each(kinds)('%s', async (_kind, { answer, options, params, name }) => {
    if (answer) server.script(answer);
    const client = createBindingsClient({
      username,
      password,
      baseUrl: server.url,
      retry: false,
      ...options,
    });
    const error = await client.fetchBinding({ ...exampleSids, ...params }).catch((e) => e);
    expect(error.name).toBe(name);
    for (const secret of secrets) expect(renderings(error)).not.toContain(secret);
  });

  it('nor in the inspected client', () => {
    const client = createBindingsClient({ username, password });
    for (const text of [
      inspect(client, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(client),
    ]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('nor in a rejected option', () => {
    const error = (() => {
      try {
        createBindingsClient({ username, password, baseUrl: `https://${username}:${password}@example.com` });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(renderings(error)).not.toContain(password);
  });
});

describe('redaction masks values, never the shape of what the client reports', () => {
  it('a password that is a piece of "path" or "message" leaves the violations readable', async () => {
    // A body that breaks the contract (a field of the wrong type), from an injected fetch.
    const [field] = Object.keys(bindingExample);
    const broken = { ...bindingExample, [field as string]: 42 };
    const fetch = (async () =>
      new Response(JSON.stringify(broken), {
        status: 200,
        headers: { 'content-type': jsonType },
      })) as typeof globalThis.fetch;
    for (const shortPassword of ['pa', 'ath', 'mess']) {
      const client = createBindingsClient({ username, password: shortPassword, fetch, retry: false });
      const error = await client.fetchBinding(exampleSids).catch((e) => e);
      expect(error.name).toBe('ContractViolationError');
      for (const violation of error.violations) expect(Object.keys(violation)).toEqual(['path', 'message']);
    }
  });
});
