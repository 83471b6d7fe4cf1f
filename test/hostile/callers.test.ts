// Careless callers and hostile bodies: malformed base URLs, usernames Basic auth cannot carry, a signal
// shared by many calls, keys that would set a prototype, charsets other than UTF-8.
import { describe, expect, it } from 'vitest';
import { bounds } from '../../src/client/bounds.ts';
import {
  type BindingsClientOptions,
  ContractViolationError,
  createBindingsClient,
} from '../../src/client/index.ts';
import { bindingExample, exampleAccountSid, exampleSids, jsonType } from '../support/contract.ts';

const credentials = { username: exampleAccountSid, password: 'hostile-callers-secret' };
const answering = (body: BodyInit, contentType = jsonType) =>
  (async () => new Response(body, { headers: { 'content-type': contentType } })) as typeof globalThis.fetch;

describe('base URLs are judged on the raw text', () => {
  it.each([
    ['an empty query', 'http://h.example/proxy?'],
    ['an empty fragment', 'http://h.example/proxy#'],
    ['a query', 'http://h.example/proxy?a=1'],
    ['credentials', 'http://user:pw@h.example/'],
    ['a line break', 'http://h.example/pro\nxy'],
    ['another scheme', 'ftp://h.example/'],
  ])('%s is refused, with the rule', (_what, baseUrl) => {
    expect(() => createBindingsClient({ ...credentials, baseUrl })).toThrow(
      /option baseUrl must be an absolute http\(s\) URL/,
    );
  });

  it('a URL object is taken by its href', async () => {
    let asked = '';
    const fetch = (async (input: RequestInfo | URL) => {
      asked = String(input);
      return new Response(JSON.stringify(bindingExample), { headers: { 'content-type': jsonType } });
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({
      ...credentials,
      baseUrl: new URL('https://proxy.example/twilio/'),
      fetch,
    });
    await client.fetchBinding(exampleSids);
    expect(asked.startsWith('https://proxy.example/twilio/v1/')).toBe(true);
  });
});

describe('Basic auth', () => {
  it('refuses a username with ":" (RFC 7617), without showing it', () => {
    const username = 'AC-with:colon';
    const error = (() => {
      try {
        createBindingsClient({ ...credentials, username } as BindingsClientOptions);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/option username must be free of ":" \(RFC 7617\)/);
    expect(error?.message).not.toContain(username);
  });
});

describe('one signal shared by many calls', () => {
  it('gives no MaxListenersExceededWarning, and aborts them all', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const never = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
      const client = createBindingsClient({ ...credentials, fetch: never });
      const calls = Array.from({ length: 50 }, () =>
        client.fetchBinding(exampleSids, { signal: controller.signal }).catch((e) => e),
      );
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(new Error('enough'));
      for (const error of await Promise.all(calls)) expect(error).toMatchObject({ message: 'enough' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('a signal that aborted before the call', () => {
  it("bounds an attempt at once: its race rejects with the signal's reason ('abort' will not fire again)", async () => {
    const controller = new AbortController();
    controller.abort(new Error('already'));
    const bound = bounds(60_000, controller.signal);
    try {
      expect(bound.signal.aborted).toBe(true);
      await expect(bound.race(new Promise(() => {}))).rejects.toBe(controller.signal.reason);
    } finally {
      bound.end();
    }
  });
});

describe('keys that would set a prototype', () => {
  it.each([
    ['as written', JSON.stringify(bindingExample).replace('{', '{"__proto__":{"polluted":true},')],
    [
      'escaped',
      JSON.stringify(bindingExample).replace('{', '{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":true},'),
    ],
  ])(
    '%s: dropped, so copies of the result keep Object.prototype (and it is no violation)',
    async (_how, body) => {
      const client = createBindingsClient({ ...credentials, fetch: answering(body) });
      const binding = await client.fetchBinding(exampleSids);
      expect(Object.hasOwn(binding, '__proto__')).toBe(false);
      const copy = Object.assign({}, binding) as Record<string, unknown>;
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(copy.polluted).toBeUndefined();
      expect(binding).toStrictEqual(bindingExample);
    },
  );
});

describe('the charset a response declares', () => {
  it('is decoded: ISO-8859-1 bytes read as the text they are', async () => {
    const json = JSON.stringify({ ...bindingExample, identity: 'Zoë' });
    const latin1 = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const client = createBindingsClient({
      ...credentials,
      fetch: answering(latin1, `${jsonType}; charset=ISO-8859-1`),
    });
    await expect(client.fetchBinding(exampleSids)).resolves.toMatchObject({ identity: 'Zoë' });
  });

  it('is reported when this runtime cannot decode it', async () => {
    const client = createBindingsClient({
      ...credentials,
      fetch: answering(JSON.stringify(bindingExample), `${jsonType}; charset=x-made-up`),
    });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations[0].message).toContain('charset x-made-up, which cannot be decoded');
  });
});
