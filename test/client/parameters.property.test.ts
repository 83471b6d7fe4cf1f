// Property tests: invalid SIDs never leave the client; valid ones reach the server at exactly the
// path the contract describes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParameters } from '../../generated/contract.js';
import { createBindingsClient, InvalidParameterError } from '../../src/client/index.ts';
import { bindingExample, bindingPath, exampleSids } from '../support/contract.ts';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.ts';

const credentials = { username: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', password: 'property-secret' };
const names = Object.keys(pathParameters) as (keyof typeof pathParameters)[];

/** The contract's prefix of a SID parameter, read from its pattern: `^IS[0-9a-fA-F]{32}$` → `IS`. */
const prefixOf = (name: keyof typeof pathParameters) =>
  /^\^([A-Z]{2})/.exec(pathParameters[name].pattern)?.[1] ?? '';
const HEX = '0123456789abcdefABCDEF'.split('');
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
const bodyLength = (name: keyof typeof pathParameters) =>
  pathParameters[name].maxLength - prefixOf(name).length;

/** Values that break a parameter's rule, in every way the issue lists. */
const invalidSid = (name: keyof typeof pathParameters) => {
  const prefix = prefixOf(name);
  const n = bodyLength(name);
  const insert = (bad: fc.Arbitrary<string>) =>
    fc
      .tuple(hex(n), bad, fc.nat(n - 1))
      .map(([h, b, at]) => `${prefix}${h.slice(0, at)}${b}${h.slice(at + b.length)}`);
  return fc.oneof(
    fc
      .tuple(
        fc.string({ minLength: 2, maxLength: 2 }).filter((p) => p !== prefix),
        hex(n),
      )
      .map(([p, h]) => p + h), // wrong prefix
    fc.tuple(hex(n), fc.integer({ min: 0, max: n - 1 })).map(([h, k]) => prefix + h.slice(0, k)), // too short
    fc.tuple(hex(n), fc.integer({ min: 1, max: 40 }).chain(hex)).map(([h, more]) => prefix + h + more), // too long
    insert(fc.constantFrom('g', 'z', 'G', '-', '_', '.', ' ', '\t', '\n', '?', '#', '/', '\\')), // non-hex, separators
    insert(fc.constantFrom('../', '%2F', '%2f', '?x=1', '#frag', '%00')), // traversal and encodings
    insert(
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 3 })
        .filter((s) => [...s].some((c) => (c.codePointAt(0) ?? 0) > 0x7f)),
    ), // Unicode
    fc
      .string()
      .map((s) => s.toLowerCase())
      .filter((s) => !new RegExp(pathParameters[name].pattern).test(s)), // anything
    fc.constantFrom(
      `${prefix.toLowerCase()}${'a'.repeat(n)}`,
      ` ${prefix}${'a'.repeat(n - 1)}`,
      `${prefix}${'a'.repeat(n - 1)} `,
    ),
  );
};
const nonString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.array(fc.nat()),
);

describe('an invalid SID', () => {
  for (const name of names) {
    it(`for ${name}: throws InvalidParameterError naming it and the rule, and sends nothing`, async () => {
      let sent = 0;
      const fetch = (async () => {
        sent++;
        return new Response(JSON.stringify(bindingExample), {
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof globalThis.fetch;
      const client = createBindingsClient({ ...credentials, fetch });
      await fc.assert(
        fc.asyncProperty(fc.oneof(invalidSid(name), nonString), async (value) => {
          const error = await client
            .fetchBinding({ ...exampleSids, [name]: value as string })
            .catch((e) => e);
          expect(error).toBeInstanceOf(InvalidParameterError);
          expect(error.parameter).toBe(name);
          expect(error.expected).toContain(pathParameters[name].pattern);
          expect(error.message).toContain(name);
          expect(error.message).toContain(pathParameters[name].pattern);
          expect(error.attempts).toBe(0);
        }),
        { numRuns: 2500 },
      );
      expect(sent).toBe(0);
    });
  }

  it('is echoed at most 64 characters long', async () => {
    const client = createBindingsClient(credentials);
    const long = `IS${'x'.repeat(5000)}`;
    const error = await client.fetchBinding({ ...exampleSids, chatServiceSid: long }).catch((e) => e);
    expect(error.message).toContain(`"${long.slice(0, 64)}"… (truncated, 5002 characters)`);
    expect(error.message).not.toContain(long.slice(0, 65));
  });
});

describe('a valid SID pair', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
    server.script(json(200, bindingExample));
  });
  afterAll(() => server.close());

  it('reaches the server at exactly /v1/Services/<IS>/Bindings/<BS>', async () => {
    const client = createBindingsClient({ ...credentials, baseUrl: server.url });
    const valid = (name: keyof typeof pathParameters) => hex(bodyLength(name)).map((h) => prefixOf(name) + h);
    await fc.assert(
      fc.asyncProperty(valid('chatServiceSid'), valid('sid'), async (chatServiceSid, sid) => {
        const before = server.requests.length;
        await client.fetchBinding({ chatServiceSid, sid });
        expect(server.requests.length).toBe(before + 1);
        expect(server.requests.at(-1)?.url).toBe(bindingPath(chatServiceSid, sid));
      }),
      { numRuns: 300 },
    );
  });
});
