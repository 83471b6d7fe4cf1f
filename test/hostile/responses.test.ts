// A hostile fetch: a Response whose getters throw, headers that throw or answer nonsense, and thrown
// values of every kind (symbols, Proxies, errors whose message, name, cause or code is a trap). Each
// ends as one of the package's errors, redacted, and never as the raw value thrown.
import { describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { BindingsError, createBindingsClient, NetworkError } from '../../src/client/index.ts';
import {
  bindingExample,
  bindingTypes,
  errorExample,
  exampleSids,
  jsonType,
  statusOf,
} from '../support/contract.ts';
import { authorization, expectNoPiece, password, username } from './leaks.ts';

const retryAfter = operationFacts.FetchServiceBinding.retryAfter.header;

/** A Response of `status` with a JSON body, changed by `tweak` (which may plant traps). */
function answering(status: number, body: unknown, tweak: (response: Response) => void): typeof fetch {
  return (async () => {
    const response = new Response(JSON.stringify(body), { status, headers: { 'content-type': jsonType } });
    tweak(response);
    return response;
  }) as typeof fetch;
}

/** Makes `headers.get(name)` throw an error naming the credential (for the names `when` picks). */
const trapHeader = (when: (name: string, calls: number) => boolean) => (response: Response) => {
  const get = response.headers.get.bind(response.headers);
  let calls = 0;
  response.headers.get = (name: string) => {
    if (when(name.toLowerCase(), ++calls)) throw new Error(`cannot read ${name} for ${authorization}`);
    return get(name);
  };
};

const responses: [string, typeof fetch][] = [
  [
    'a status getter that throws',
    answering(200, bindingExample, (r) =>
      Object.defineProperty(r, 'status', {
        get() {
          throw new Error(`bad response to a request with ${authorization}`);
        },
      }),
    ),
  ],
  [
    'Retry-After that throws on a 429',
    answering(
      statusOf('TooManyRequests'),
      errorExample('TooManyRequests'),
      trapHeader((name) => name === retryAfter.toLowerCase()),
    ),
  ],
  [
    'a content type that throws once the body is read',
    answering(
      200,
      bindingExample,
      trapHeader((name, calls) => name === 'content-type' && calls > 1),
    ),
  ],
  [
    'a content type that is an object, not text',
    answering(200, bindingExample, (r) => {
      r.headers.get = () => ({ toString: () => `${password}/json` }) as unknown as string;
    }),
  ],
  [
    'a body reader that throws',
    answering(200, bindingExample, (r) => {
      (r.body as unknown as Record<string, unknown>).getReader = () => {
        throw new Error(`reader for ${password}`);
      };
    }),
  ],
  ['no Response at all', (async () => `HTTP/1.1 200 OK ${authorization}`) as unknown as typeof fetch],
];

/** Values a fetch implementation may throw, each carrying the credential where a careless reader looks. */
const thrown: [string, () => unknown][] = [
  ['a symbol', () => Symbol(password)],
  [
    'an object whose message getter throws',
    () => ({
      get message() {
        throw new Error(`getter ${password}`);
      },
    }),
  ],
  [
    'an Error whose name is not text',
    () => Object.assign(new Error('x'), { name: { toString: () => password } }),
  ],
  [
    'an Error whose message is not text',
    () => Object.defineProperty(new Error('x'), 'message', { value: { toString: () => `m ${password}` } }),
  ],
  [
    'an Error whose cause getter throws',
    () =>
      Object.defineProperty(new Error('x'), 'cause', {
        get() {
          throw new Error(`cause ${password}`);
        },
      }),
  ],
  [
    'an Error whose code getter throws',
    () =>
      Object.defineProperty(new Error('x'), 'code', {
        get() {
          throw new Error(`code ${password}`);
        },
      }),
  ],
  [
    'a Proxy that throws on every access',
    () =>
      new Proxy(
        {},
        {
          get() {
            throw new Error(`proxy ${password}`);
          },
          getPrototypeOf() {
            throw new Error(`prototype ${password}`);
          },
        },
      ),
  ],
  ['null', () => null],
  [
    'an axios-style error carrying the request',
    () => Object.assign(new Error('ECONNREFUSED'), { config: { headers: { Authorization: authorization } } }),
  ],
  ['a string naming the header', () => `failed with ${authorization}`],
  ['an Error with the password past a 200-character cut', () => new Error(`${'x'.repeat(190)}${password}`)],
];

describe('a hostile Response', () => {
  it.each(responses)('%s: a BindingsError, with no piece of the credential', async (_what, fetch) => {
    const client = createBindingsClient({
      username,
      password,
      fetch,
      retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expectNoPiece(error, username, password);
  });
});

describe('a value thrown by the fetch', () => {
  it.each(thrown)('%s: a NetworkError, its cause sanitised', async (_what, value) => {
    const fetch = (async () => {
      throw value();
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({ username, password, fetch, retry: false });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(typeof error.message).toBe('string');
    expectNoPiece(error, username, password);
  });
});

describe("a service's words in a message are shown, never run", () => {
  /**
   * What a terminal acts on, a log line breaks at or a reader cannot see (C0, DEL, C1, separators, and
   * Unicode's format and default-ignorable characters, the bidirectional controls among them).
   */
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this test's job
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
  /** Invisible: a zero-width space, a BOM, a soft hyphen, the Mongolian vowel separator, CGJ, a tag. */
  const invisible = '\u200b\ufeff\u00ad\u180e\u034f\u{e0001}';
  /** A forged log line: a CSI, an escape sequence, a bell, a new line, a right-to-left override, DEL. */
  const forged = `\u009b2J\u001b[31m\u0007\r\nERROR forged\u202eevil\u007f${invisible}`;
  const fetching = (response: () => Response) => (async () => response()) as typeof globalThis.fetch;
  const json = (status: number, body: unknown, type = jsonType) =>
    fetching(() => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } }));

  it.each([
    ['a value off the contract', json(200, { ...bindingExample, binding_type: forged })],
    ['an undocumented media type', json(200, bindingExample, `${jsonType}x\u009b\u00ad`)],
    ['an error message', json(statusOf('NotFound'), { ...errorExample('NotFound'), message: forged })],
    ['an error more_info', json(statusOf('NotFound'), { ...errorExample('NotFound'), more_info: forged })],
    [
      'a non-JSON error body',
      fetching(
        () => new Response(`<p>${forged}</p>`, { status: 502, headers: { 'content-type': 'text/html' } }),
      ),
    ],
    [
      'a network error',
      (async () => {
        throw new Error(forged);
      }) as typeof globalThis.fetch,
    ],
  ])('%s: every control character escaped as \\uXXXX', async (_what, fetch) => {
    const client = createBindingsClient({ username, password, fetch, retry: false });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(BindingsError);
    expect(error.message).not.toMatch(control);
    expect(error.message).toMatch(/\\u(009b|202e|001b)/);
  });

  it('a value with an invisible character does not read as a documented one', async () => {
    const [documented = ''] = bindingTypes;
    for (const c of invisible) {
      const fetch = json(200, { ...bindingExample, binding_type: `${documented}${c}` });
      const client = createBindingsClient({ username, password, fetch, retry: false });
      const error = await client.fetchBinding(exampleSids).catch((e) => e);
      expect(error).toBeInstanceOf(BindingsError);
      expect(error.message).not.toMatch(control);
      const escaped = c
        .split('')
        .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('');
      expect(error.message).toContain(`${documented}${escaped}`);
    }
  });
});
