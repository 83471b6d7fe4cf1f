// No fragment of a credential anywhere: any 4 characters of it, in any case, wherever they are in a
// text; redaction before and after every cut, of escaped forms, of secrets of any length, at any depth;
// the raw client's error bodies, JSON.parse's messages and echoed parameters too. Every rendering of
// every error is searched.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { fieldNames } from '../../generated/validators.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { parseJson } from '../../src/client/body.ts';
import {
  ApiError,
  type Binding,
  ContractViolationError,
  createBindingsClient,
  InvalidParameterError,
} from '../../src/client/index.ts';
import { RUN, secretRedactor } from '../../src/client/redact.ts';
import {
  bindingExample,
  bindingTypes,
  errorExample,
  exampleAccountSid,
  exampleSids,
  jsonType,
  listPageOf,
  pageUrl,
  statusOf,
  valueNotIn,
  withFields,
} from '../support/contract.ts';
import { expectNoPiece, pieces, renderings } from './leaks.ts';

const username = exampleAccountSid;

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
  [
    'its last 8 characters in the middle of a sentence',
    (p) => [
      statusOf('Unauthorized'),
      JSON.stringify({ ...errorExample('Unauthorized'), message: `token ending ${p.slice(-8)} revoked` }),
    ],
  ],
  [
    "the base64 token's tail in the middle of a sentence",
    (p) => [
      statusOf('Unauthorized'),
      JSON.stringify({
        ...errorExample('Unauthorized'),
        message: `header …${basicAuthorization(username, p).slice(-12)} is not valid`,
      }),
    ],
  ],
  [
    'split across two HTML cells (the excerpt joins them)',
    (p) => {
      const half = Math.ceil(p.length / 2);
      return [502, `<tr><td>${p.slice(0, half)}</td><td>${p.slice(half)}</td><td>x</td></tr>`, 'text/html'];
    },
  ],
  [
    'upper-cased',
    (p) => [
      400,
      JSON.stringify({ ...errorExample('NotFound'), status: 400, message: `bad ${p.toUpperCase()} x` }),
    ],
  ],
  [
    'unquoted in a 2xx body that is not JSON (JSON.parse quotes what it stops at)',
    (p) => [200, `{"identity": ${p}, "binding_type": 1, "other": "${'x'.repeat(30)}"}`],
  ],
  [
    'the Authorization header unquoted in a 2xx body that is not JSON',
    (p) => [200, `{"echo": ${basicAuthorization(username, p)}, "other": "${'x'.repeat(30)}"}`],
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
    expectNoPiece(error, username, password);
  });

  it.each([
    ['the Authorization header', (p: string) => basicAuthorization(username, p)],
    ['a long value ending in it', (p: string) => `${exampleSids.sid.slice(0, 2)}-${'0'.repeat(40)}${p}`],
    ['itself, then most of it again', (p: string) => `${p}${p.slice(0, -1)}x`],
  ])('in a parameter the caller got wrong (%s): redacted before it is cut and quoted', (_what, value) => {
    const client = createBindingsClient({ username, password });
    const error = (() => {
      try {
        client.listBindings({ chatServiceSid: value(password) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidParameterError);
    expectNoPiece(error, username, password);
  });

  it("in the raw client's error body", async () => {
    const [, cutBySelf] = echoes[1] as (typeof echoes)[number];
    const [status, body] = cutBySelf(password);
    const client = createBindingsClient({ username, password, fetch: answering(status, body) });
    const { error } = await client.raw.GET(operationFacts.FetchServiceBinding.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expectNoPiece(error, username, password);
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

  it.each([
    ['a piece in the middle of a text', 'token ending unte revoked', 'token ending [REDACTED] revoked'],
    ['a piece in another case', 'bad HUNTER22 x', 'bad [REDACTED] x'],
    ['two pieces side by side, as one mask', 'a hunthunt b', 'a [REDACTED] b'],
    ['overlapping pieces, as one mask', 'a hunter2er22 b', 'a [REDACTED] b'],
    ['a piece of its JSON-escaped form', 'x n\\"te y', 'x [REDACTED] y'],
    ['a piece of its percent-encoded form', 'x n%22t y', 'x [REDACTED] y'],
  ])('masks %s', (_what, text, want) => {
    expect(secretRedactor(['hunter22', 'hun"ter'])(text)).toBe(want);
  });

  it(`masks any ${RUN} characters of a secret anywhere, and leaves every other character as it was`, () => {
    const secret = 'c86d081884c7d659a2feaa0c55ad0159';
    const redact = secretRedactor([secret]);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('x', 'y', ' ', '<', '>') }),
        fc.nat(secret.length - RUN),
        fc.integer({ min: RUN, max: secret.length }),
        fc.boolean(),
        fc.string({ unit: fc.constantFrom('x', 'y', ' ', '<', '>') }),
        (before, at, length, upper, after) => {
          const piece = secret.slice(at, at + length);
          const out = redact(`${before}${upper ? piece.toUpperCase() : piece}${after}`);
          expect(out).toBe(`${before}[REDACTED]${after}`);
        },
      ),
    );
  });

  it('looks each character of a text up at most once (linear in its length)', () => {
    const redact = secretRedactor(['c86d081884c7d659a2feaa0c55ad0159']);
    const text = 'c86d0818 and 9a2feaa0 '.repeat(10_000);
    const has = vi.spyOn(Set.prototype, 'has');
    try {
      redact(text);
      expect(has.mock.calls.length).toBeLessThanOrEqual(text.length);
    } finally {
      has.mockRestore();
    }
  });

  it('takes a secret with a lone surrogate (which encodeURIComponent refuses) and masks it', () => {
    const secret = 'abc\ud800def';
    expect(() => secretRedactor([secret])).not.toThrow();
    expect(secretRedactor([secret])(`x ${secret} y`)).toBe('x [REDACTED] y');
  });

  it.each([
    ['the mask itself', '[REDACTED]'],
    ['a token holding a piece of it', 'c86d0818e4c7d659a2fedacc55ad0159'],
  ])('never prints a secret that is %s: another mask is used', (_what, secret) => {
    const out = secretRedactor([secret])(`a ${secret} b ${secret.toUpperCase()} c`);
    const lower = out.toLowerCase();
    for (let i = 0; i + RUN <= secret.length; i++)
      expect(lower).not.toContain(secret.slice(i, i + RUN).toLowerCase());
    expect(out).toMatch(/^a \S+ b \S+ c$/);
  });
});

describe('a body that is not JSON', () => {
  it("is reported in the client's own words: JSON.parse's message, which quotes the body, never", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const text = `{"a": ${a}\u0007${b}`;
        const parsed = parseJson(text);
        if ('problem' in parsed)
          expect(parsed.problem).toMatch(/^is not valid JSON( \(at character \d+\))?$/);
      }),
    );
  });
});

describe('odd passwords', () => {
  /** A fetch answering 400 with the Authorization header and the password in its message. */
  const echoing = (password: string) =>
    (async (_input: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get('authorization');
      const message = `bad ${authorization} for ${password}`;
      return new Response(JSON.stringify({ ...errorExample('NotFound'), status: 400, message }), {
        status: 400,
        headers: { 'content-type': jsonType },
      });
    }) as typeof globalThis.fetch;

  /** The errors of a call with the password as a SID, and of a call the service answers by echoing it. */
  async function errorsWith(password: string): Promise<unknown[]> {
    const client = createBindingsClient({ username, password, fetch: echoing(password), retry: false });
    const invalid = await client.fetchBinding({ ...exampleSids, sid: password }).catch((e) => e);
    expect(invalid).toBeInstanceOf(InvalidParameterError);
    const answered = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(answered.name).toBe('ApiError');
    return [invalid, answered];
  }

  it('one with a lone surrogate (which encodeURIComponent refuses): accepted, and never printed', async () => {
    const password = 'Qx7Zv9\ud800Lk2Rt5';
    for (const error of await errorsWith(password)) expectNoPiece(error, username, password);
  });

  it('one equal to the mask: never printed, nor any piece of it the errors do not hold anyway', async () => {
    const password = '[REDACTED]';
    // Words of the errors' own ("characters", "expected") hold pieces of this one: those are not echoes.
    const baseline = (await errorsWith('Zq7Xv9Pw2R')).map((e) => renderings(e).toLowerCase());
    const echoed = (await errorsWith(password)).map((e) => renderings(e).toLowerCase());
    const { folded } = pieces(username, password);
    expect(echoed.join('\n')).not.toContain(password.toLowerCase());
    echoed.forEach((text, i) => {
      for (const piece of folded) if (!baseline[i]?.includes(piece)) expect(text).not.toContain(piece);
    });
  });
});

describe("a password sharing a run of characters with the contract's field names", () => {
  // It shares `ding_type` with `binding_type` (and `type`, `page`'s … with others): those are the
  // contract's words, which redaction must leave readable; the rest of it is nobody's to see.
  const password = `Xk9${'binding_type'.slice(3)}Q7`;
  const contractWords = fieldNames.map((name) => name.toLowerCase());
  /** The pieces of the password no field name of the contract holds: those must never appear. */
  const secretPieces = pieces(username, password).folded.filter(
    (piece) => !contractWords.some((name) => name.includes(piece)),
  );
  const expectNoSecretPiece = (value: unknown) => {
    const text = renderings(value).toLowerCase();
    expect(secretPieces.filter((piece) => text.includes(piece))).toEqual([]);
  };
  const client = (body: unknown, status = 200) =>
    createBindingsClient({
      username,
      password,
      fetch: answering(status, JSON.stringify(body)),
      retry: false,
    });
  const offType = valueNotIn(bindingTypes);

  it('a violation keeps its path and the value it quotes, and the body its keys', async () => {
    const error = await client(withFields({ binding_type: offType }))
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations[0].path).toMatch(/\/binding_type$/);
    expect(error.violations[0].message).toContain(`(got ${JSON.stringify(offType)})`);
    expect(error.message).toContain('/binding_type: ');
    // Its keys, and the value at fault, as sent; a value sharing a run with the password (a URL's
    // `Bindings`) is the service's and masked.
    const body = JSON.parse(error.body);
    expect(Object.keys(body)).toEqual(Object.keys(bindingExample as object));
    expect(body.binding_type).toBe(offType);
  });

  it('in a list page too: `/bindings/0/binding_type`', async () => {
    const page = listPageOf([withFields({ binding_type: offType }) as Binding], pageUrl(''), null);
    const error = await client(page)
      .fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid })
      .catch((e) => e);
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['/bindings/0/binding_type']);
  });

  it('an error body keeps its keys (with a password sharing a run with one of them)', async () => {
    const sent = errorExample('NotFound') as Record<string, unknown>;
    const key = Object.keys(sent).find((name) => name.length > RUN + 1) as string;
    const sharing = `Zq8${key.slice(1)}W3`;
    const fetch = answering(statusOf('NotFound'), JSON.stringify(sent));
    const error = await createBindingsClient({ username, password: sharing, fetch, retry: false })
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(Object.keys(error.body)).toEqual(Object.keys(sent));
  });

  it.each([
    ['as the value of a field', withFields({ binding_type: password })],
    ['as a key the service made up', { ...withFields({ binding_type: offType }), [password]: 1 }],
    ['as a key running on into a field name', { ...withFields({ binding_type: offType }), Xk9: 1 }],
    ['running on from a value into the words beside it', withFields({ binding_type: 'Xk9' })],
  ])('%s: masked, and only what the service sent', async (_how, body) => {
    const error = await client(body)
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expectNoSecretPiece(error);
    expect(error.violations[0].path).toBe('/binding_type');
  });

  it('an unknown key of an error body that holds a piece of it is masked', async () => {
    const error = await client(
      { ...errorExample('NotFound'), details: { [password]: 1 } },
      statusOf('NotFound'),
    )
      .fetchBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expectNoSecretPiece(error);
  });
});
