// The fake as MSW handlers (conversations-bindings-contract/testing/msw), proven with msw/node: code that
// calls the global fetch reaches the fake, state included; other hosts and paths stay unhandled.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { server as contractServer, operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { createBindingsClient } from '../../src/client/index.ts';
import { FAKE_FAILURE, FAKE_FAILURE_STATUS } from '../../src/testing/fake.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { bindingsHandlers } from '../../src/testing/msw.ts';
import { bindingExample, bindingPath, exampleSids, listPath, statusOf } from '../support/contract.ts';

const fake = createBindingsFake();
const proxy = 'http://gateway.test/twilio';
const server = setupServer(...bindingsHandlers(fake), ...bindingsHandlers(fake, { baseUrl: `${proxy}/` }));
const unhandled: string[] = [];
const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
const itemPath = bindingPath(exampleSids.chatServiceSid, exampleSids.sid);
const ok = (id: keyof typeof operationFacts) => operationFacts[id].successStatus;

beforeAll(() =>
  server.listen({ onUnhandledRequest: (request) => void unhandled.push(`${request.method} ${request.url}`) }),
);
afterEach(() => {
  fake.clearFaults();
  unhandled.length = 0;
});
afterAll(() => server.close());

describe('bindingsHandlers with msw/node', () => {
  it("answers the global fetch on the contract's server with the fake", async () => {
    const response = await fetch(`${contractServer}${itemPath}`, { headers: { authorization } });
    expect(response.status).toBe(ok('FetchServiceBinding'));
    expect(await response.json()).toStrictEqual(bindingExample);
    expect(fake.requests.at(-1)).toMatchObject({ operation: 'FetchServiceBinding', credentials: 'valid' });
  });

  it('answers under another base URL, and keeps the fake stateful and strict across both', async () => {
    const none = await fetch(`${proxy}${itemPath}`);
    expect(none.status).toBe(statusOf('Unauthorized'));
    const client = createBindingsClient({ ...fake.credentials, baseUrl: proxy });
    const before = fake.bindings.length;
    await client.deleteBinding(exampleSids);
    expect(fake.bindings).toHaveLength(before - 1);
    const gone = await fetch(`${contractServer}${itemPath}`, { headers: { authorization } });
    expect(gone.status).toBe(statusOf('NotFound'));
    fake.bindings = [bindingExample];
  });

  it('answers an undocumented method on a documented path (405), and leaves other paths and hosts alone', async () => {
    const put = await fetch(`${contractServer}${listPath}`, { method: 'PUT', headers: { authorization } });
    expect(put.status).toBe(405);
    await fetch(`${contractServer}/v1/Services`, { headers: { authorization } }).catch(() => undefined);
    await fetch('http://elsewhere.test/', {}).catch(() => undefined);
    expect(unhandled).toEqual([`GET ${contractServer}/v1/Services`, 'GET http://elsewhere.test/']);
  });

  it("turns a dropped connection into a network error, and serves the fake's other faults", async () => {
    fake.inject({ drop: true });
    await expect(
      fetch(`${contractServer}${itemPath}`, { headers: { authorization } }),
    ).rejects.toBeInstanceOf(TypeError);
    fake.inject({ status: statusOf('TooManyRequests') });
    const limited = await fetch(`${contractServer}${itemPath}`, { headers: { authorization } });
    expect(limited.status).toBe(statusOf('TooManyRequests'));
    expect(limited.headers.get(operationFacts.FetchServiceBinding.retryAfter.header)).not.toBeNull();
  });

  it('answers a failure of the fake (a `when` that throws) with its 500, not a network error', async () => {
    fake.inject(
      { status: statusOf('TooManyRequests') },
      {
        when: () => {
          throw new RangeError('boom');
        },
      },
    );
    const failed = await fetch(`${contractServer}${itemPath}`, { headers: { authorization } });
    expect(failed.status).toBe(FAKE_FAILURE_STATUS);
    expect((await failed.json()).message).toMatch(new RegExp(`^${FAKE_FAILURE}: .*RangeError: boom`));
  });
});

describe('a base URL is matched literally', () => {
  const host = 'http://literal.test';
  // Each base, and a URL it would capture if it were read as a pattern (path-to-regexp's or a RegExp's).
  it.each([
    ['/api+v2', '/apiiv2'],
    ['/t(w)ilio', '/twilio'],
    ['/café', '/cafe'],
    ['/v{2}', '/vv'],
    ['/:tenant', '/acme'],
    ['/*', '/any/thing'],
  ])(
    '%s: answers its own URLs, captures no other, and leaves other requests alone',
    async (prefix, other) => {
      server.use(...bindingsHandlers(fake, { baseUrl: `${host}${prefix}` }));
      try {
        const own = await fetch(`${host}${prefix}${itemPath}`, { headers: { authorization } });
        expect(own.status).toBe(ok('FetchServiceBinding'));
        expect(await own.json()).toStrictEqual(bindingExample);
        await fetch(`${host}${other}${itemPath}`, { headers: { authorization } }).catch(() => undefined);
        await fetch('http://elsewhere.test/', {}).catch(() => undefined);
        expect(unhandled).toEqual([
          `GET ${new URL(`${host}${other}${itemPath}`).href}`,
          'GET http://elsewhere.test/',
        ]);
      } finally {
        server.resetHandlers();
      }
    },
  );

  it('an escape written in lower case is the same URL', async () => {
    server.use(...bindingsHandlers(fake, { baseUrl: `${host}/café` }));
    try {
      const response = await fetch(`${host}/caf%c3%a9${itemPath}`, { headers: { authorization } });
      expect(response.status).toBe(ok('FetchServiceBinding'));
    } finally {
      server.resetHandlers();
    }
  });

  it.each(['not a url', 'ftp://literal.test/', 'http://user:pw@literal.test/', 'http://literal.test/?q=1'])(
    '%s is refused when the handlers are made, with the rule',
    (baseUrl) => {
      expect(() => bindingsHandlers(fake, { baseUrl })).toThrow(
        /bindingsHandlers: option baseUrl must be an absolute http\(s\) URL/,
      );
    },
  );
});
