// Property tests: invalid SIDs never leave the client; valid ones reach the server at exactly the
// path the contract describes. Valid and invalid values are derived from the contract's own rules.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, parameterExamples } from '../../generated/contract.js';
import { createBindingsClient, InvalidParameterError } from '../../src/client/index.ts';
import {
  bindingExample,
  bindingPath,
  exampleAccountSid,
  exampleSids,
  jsonType,
  keepsRule,
  validSid,
} from '../support/contract.ts';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.ts';

const credentials = { username: exampleAccountSid, password: 'property-secret' };
const parameters = operationFacts.FetchServiceBinding.parameters;

/** Values that break a parameter's rule, in every way the issue lists; each is checked against the rule itself. */
const invalidSid = (name: 'ChatServiceSid' | 'Sid') => {
  const valid = validSid(name);
  const insertAt = (bad: fc.Arbitrary<string>) =>
    fc
      .tuple(valid, bad, fc.nat())
      .map(([v, b, at]) => `${v.slice(0, at % v.length)}${b}${v.slice((at % v.length) + b.length)}`);
  return fc
    .oneof(
      fc.tuple(valid, fc.string({ minLength: 1, maxLength: 3 })).map(([v, p]) => p + v.slice(p.length)), // wrong prefix
      fc.tuple(valid, fc.nat()).map(([v, k]) => v.slice(0, k % v.length)), // too short
      fc.tuple(valid, fc.string({ minLength: 1, maxLength: 40 })).map(([v, more]) => v + more), // too long
      insertAt(fc.constantFrom('g', 'z', 'G', '-', '_', '.', ' ', '\t', '\n', '?', '#', '/', '\\')), // separators
      insertAt(fc.constantFrom('../', '%2F', '%2f', '?x=1', '#frag', '%00')), // traversal and encodings
      insertAt(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).filter((s) => /[^\x20-\x7e]/.test(s)),
      ), // Unicode
      fc.string(), // anything
      valid.map((v) => v.toLowerCase()),
      valid.map((v) => ` ${v}`),
      valid.map((v) => `${v} `),
    )
    .filter((value) => !keepsRule(name, value));
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
  for (const rule of parameters) {
    it(`for ${rule.key}: throws InvalidParameterError naming it and the rule, and sends nothing`, async () => {
      let sent = 0;
      const fetch = (async () => {
        sent++;
        return new Response(JSON.stringify(bindingExample), { headers: { 'content-type': jsonType } });
      }) as typeof globalThis.fetch;
      const client = createBindingsClient({ ...credentials, fetch });
      await fc.assert(
        fc.asyncProperty(fc.oneof(invalidSid(rule.name), nonString), async (value) => {
          const error = await client
            .fetchBinding({ ...exampleSids, [rule.key]: value as string })
            .catch((e) => e);
          expect(error).toBeInstanceOf(InvalidParameterError);
          expect(error.parameter).toBe(rule.key);
          expect(error.expected).toBe(rule.expected);
          expect(error.message).toContain(rule.key);
          expect(error.message).toContain(rule.expected);
          expect(error.attempts).toBe(0);
        }),
        { numRuns: 500 },
      );
      expect(sent).toBe(0);
    });
  }

  it.each([
    ['a long one', 2000, (length: number) => `${length} characters`],
    ['a huge one (only a prefix is read)', 1_000_000, () => 'over 4096 characters'],
  ])('%s is echoed at most 64 characters long, with its length', async (_name, extra, total) => {
    const client = createBindingsClient(credentials);
    const long = `${parameterExamples.ChatServiceSid}${'x'.repeat(extra)}`;
    const error = await client.fetchBinding({ ...exampleSids, chatServiceSid: long }).catch((e) => e);
    expect(error.message).toContain(`"${long.slice(0, 64)}"… (truncated, ${total(long.length)})`);
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

  it('reaches the server at exactly the path the contract describes', async () => {
    const client = createBindingsClient({ ...credentials, baseUrl: server.url });
    await fc.assert(
      fc.asyncProperty(validSid('ChatServiceSid'), validSid('Sid'), async (chatServiceSid, sid) => {
        const before = server.requests.length;
        await client.fetchBinding({ chatServiceSid, sid });
        expect(server.requests.length).toBe(before + 1);
        expect(server.requests.at(-1)?.url).toBe(bindingPath(chatServiceSid, sid));
      }),
      { numRuns: 200 },
    );
  });
});
