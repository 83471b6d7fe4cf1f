// No fragment of a credential anywhere: redaction before every cut, of escaped forms, of secrets of any
// length, at any depth; the raw client's error bodies too. Every rendering of every error is searched.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { createBindingsClient } from '../../src/client/index.ts';
import { secretRedactor } from '../../src/client/redact.ts';
import {
  bindingExample,
  errorExample,
  exampleAccountSid,
  exampleSids,
  jsonType,
  statusOf,
} from '../support/contract.ts';

const username = exampleAccountSid;

/** Every form a log line, an error tracker or a debugger might render. */
function renderings(value: unknown): string {
  const e = value as Error;
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    e?.message ?? '',
    e?.stack ?? '',
  ].join('\n');
}

/** Every piece of a secret this long or longer that could identify it: its forms, and their 4-character windows. */
function fragments(password: string): string[] {
  const authorization = basicAuthorization(username, password);
  const forms = [password, authorization.slice('Basic '.length), JSON.stringify(password).slice(1, -1)];
  return forms.flatMap((form) =>
    form.length <= 4 ? [form] : Array.from({ length: form.length - 3 }, (_, i) => form.slice(i, i + 4)),
  );
}

const answering = (status: number, body: BodyInit, type = jsonType) =>
  (async () => new Response(body, { status, headers: { 'content-type': type } })) as typeof globalThis.fetch;

/** A service echoing the Authorization header (and the password) in ways that defeat naive redaction. */
const echoes: [string, (password: string) => [number, string, string?]][] = [
  [
    'echoed into a field a 2xx message cuts short',
    (p) => [
      201,
      JSON.stringify({ ...bindingExample, identity: `${'x'.repeat(40)}${basicAuthorization(username, p)}` }),
    ],
  ],
  [
    'cut by the service itself',
    (p) => [
      400,
      JSON.stringify({
        ...errorExample('NotFound'),
        status: 400,
        message: `bad ${basicAuthorization(username, p).slice(0, 18)}`,
      }),
    ],
  ],
  [
    'in an HTML page cut at 160 characters',
    (p) => [502, `<p>${'y'.repeat(140)} ${basicAuthorization(username, p)}</p>`, 'text/html'],
  ],
  [
    'in an HTML page whose excerpt collapses its spaces and strips its tags',
    (p) => [502, `<p>${p}</p>`, 'text/html'],
  ],
  [
    'nested 25 levels deep',
    (p) => {
      let body: unknown = basicAuthorization(username, p);
      for (let i = 0; i < 25; i++) body = { nested: body };
      return [statusOf('Unauthorized'), JSON.stringify({ ...errorExample('Unauthorized'), details: body })];
    },
  ],
  [
    'as a key',
    (p) => [400, JSON.stringify({ ...errorExample('NotFound'), status: 400, details: { [p]: 1 } })],
  ],
];

// High-entropy passwords: a dictionary word would match innocent text ("with", "attempts").
const passwords = [
  ['an ordinary token', 'sup3r-s3cr3t-Qx7Zv9'],
  ['one with " and \\ (escaped by JSON)', 'Zq7"Xv\\9Lk"Pw2Rt'],
  ['one with spaces and a line break', 'Qx7 Zv9\n Lk2   Rt5'],
  ['one with a tag in it', 'Qx7<b>Zv9</b>Lk2'],
  ['a short one (3 characters)', 'k9Q'],
] as const;

describe.each(passwords)('no fragment of %s', (_kind, password) => {
  it.each(echoes)('%s', async (_how, make) => {
    const [status, body, type] = make(password);
    const client = createBindingsClient({
      username,
      password,
      fetch: answering(status, body, type),
      retry: false,
    });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    const text = renderings(error);
    for (const fragment of fragments(password)) expect(text).not.toContain(fragment);
  });

  it("in the raw client's error body", async () => {
    const [, cutBySelf] = echoes[1] as (typeof echoes)[number];
    const [status, body] = cutBySelf(password);
    const client = createBindingsClient({ username, password, fetch: answering(status, body) });
    const { error } = await client.raw.GET(operationFacts.FetchServiceBinding.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    for (const fragment of fragments(password)) expect(renderings(error)).not.toContain(fragment);
  });
});

describe('secretRedactor', () => {
  it.each([
    ['the whole secret', 'a hunter22 b', 'a [REDACTED] b'],
    ['its JSON-escaped form', JSON.stringify({ p: 'hun"ter' }), '{"p":"[REDACTED]"}'],
    ['its percent-encoded form', `x=${encodeURIComponent('hun"ter')}`, 'x=[REDACTED]'],
    ['its start left at the end by a cut', 'token: hunt', 'token: [REDACTED]'],
    ['its end left at the start by a cut', 'er22 said the log', '[REDACTED] said the log'],
  ])('masks %s', (_what, text, want) => {
    expect(secretRedactor(['hunter22', 'hun"ter'])(text)).toBe(want);
  });

  it('masks a one-character secret too, however often it appears', () => {
    expect(secretRedactor(['q'])('quiq')).toBe('[REDACTED]ui[REDACTED]');
  });

  it('leaves 3 characters of a long secret at an edge alone (too short to identify it)', () => {
    expect(secretRedactor(['hunter22'])('…hun')).toBe('…hun');
  });
});
