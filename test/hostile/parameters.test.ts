// Careless or hostile parameter values: arrays whose iterator or getters lie, strings a URL cannot carry,
// numbers past what a URL carries exactly. What is checked is what is sent, and what cannot be sent is an
// InvalidParameterError naming the parameter, the rule and the item to blame; nothing is sent.
import { describe, expect, it } from 'vitest';
import { parameterOf } from '../../generated/contract.js';
import {
  createBindingsClient,
  InvalidParameterError,
  type ListBindingsParams,
} from '../../src/client/index.ts';
import {
  bindingExample,
  bindingTypes,
  exampleAccountSid,
  exampleSids,
  jsonType,
  listPageOf,
  pageUrl,
  valueNotIn,
} from '../support/contract.ts';

const nameOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
const ruleOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key];
const service = { chatServiceSid: exampleSids.chatServiceSid };

/** A client whose fetch answers an empty last page and records every URL asked. */
function recording() {
  const asked: URL[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    asked.push(new URL(String(input)));
    return new Response(JSON.stringify(listPageOf([], pageUrl(''), null)), {
      headers: { 'content-type': jsonType },
    });
  }) as typeof globalThis.fetch;
  const client = createBindingsClient({ username: exampleAccountSid, password: 'params-secret-x9', fetch });
  return { client, asked };
}

const [valid = '', other = valid] = bindingTypes;
const outside = valueNotIn(bindingTypes);

describe('an array parameter is read once, checked, and sent as read', () => {
  it.each([
    [
      'an iterator yielding other values than its indices',
      () => {
        const values = [valid];
        Object.defineProperty(values, Symbol.iterator, {
          value: function* () {
            yield outside;
            yield 'evil';
          },
        });
        return values;
      },
    ],
    [
      'an index getter that changes between reads',
      () => {
        let reads = 0;
        const values: string[] = [];
        Object.defineProperty(values, 0, { get: () => (reads++ ? outside : valid), enumerable: true });
        return values;
      },
    ],
    [
      'a length that grows after it was read',
      () => {
        const values = [valid];
        let reads = 0;
        return new Proxy(values, {
          get: (target, key, receiver) =>
            key === 'length'
              ? reads++
                ? 3
                : 1
              : key === '1' || key === '2'
                ? outside
                : Reflect.get(target, key, receiver),
        });
      },
    ],
  ])('%s: sends exactly the snapshot it checked', async (_what, make) => {
    const { client, asked } = recording();
    const bindingType = make() as ListBindingsParams['bindingType'];
    await client.fetchBindingsPage({ ...service, bindingType });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.searchParams.getAll(nameOf('bindingType'))).toEqual([valid]);
  });

  it('an identity array whose getter changes is sent as first read, the params object read once', async () => {
    const { client, asked } = recording();
    let reads = 0;
    const identity: string[] = [];
    Object.defineProperty(identity, 0, { get: () => (reads++ ? 'mallory' : 'alice'), enumerable: true });
    const params = {
      ...service,
      get identity() {
        return identity;
      },
    };
    await client.fetchBindingsPage(params);
    expect(asked[0]?.searchParams.getAll(nameOf('identity'))).toEqual(['alice']);
    expect(reads).toBe(1);
  });

  it('a value that throws when read is an InvalidParameterError, and nothing is sent', async () => {
    const { client, asked } = recording();
    const params = {
      ...service,
      get identity(): string[] {
        throw new Error('boom');
      },
    };
    const error = await client.fetchBindingsPage(params).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.parameter).toBe('identity');
    expect(asked).toHaveLength(0);
  });
});

describe('an invalid array names its item', () => {
  it.each([
    [[outside], 0],
    [[valid, outside], 1],
    [[valid, other, outside], 2],
  ])('%j: the item at %i, with its value', async (bindingType, at) => {
    const { client, asked } = recording();
    const error = await client
      .fetchBindingsPage({ ...service, bindingType } as unknown as ListBindingsParams)
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toContain(
      `got an array whose item ${at} is "${outside}" (${outside.length} characters)`,
    );
    expect(error.expected).toBe(ruleOf('bindingType')?.expected);
    expect(asked).toHaveLength(0);
  });

  it('a non-string identity item is named too', async () => {
    const { client } = recording();
    const error = await client
      .fetchBindingsPage({ ...service, identity: ['alice', 42] } as unknown as ListBindingsParams)
      .catch((e) => e);
    expect(error.message).toContain('got an array whose item 1 is number 42');
  });
});

describe('strings a URL cannot carry', () => {
  const lone = 'user\ud800';
  it.each([
    ['identity', { identity: ['alice', lone] }, 'item 1 is "user\\ud800"'],
    ['pageToken', { pageToken: lone }, '"user\\ud800"'],
  ])('a lone surrogate in %s: InvalidParameterError naming it and the rule', async (key, bad, shown) => {
    const { client, asked } = recording();
    const error = await client.fetchBindingsPage({ ...service, ...bad }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.parameter).toBe(key);
    expect(error.expected).toContain('well-formed UTF-16');
    expect(error.message).toContain(shown);
    expect(asked).toHaveLength(0);
  });

  it('listBindings throws it at once, as it does any bad parameter', () => {
    const { client } = recording();
    expect(() => client.listBindings({ ...service, identity: [lone] })).toThrow(InvalidParameterError);
  });

  it('an identity the service returned, used as a filter, is refused the same way', async () => {
    const returned = { ...bindingExample, identity: lone };
    const fetch = (async () =>
      new Response(JSON.stringify(returned), {
        headers: { 'content-type': jsonType },
      })) as typeof globalThis.fetch;
    const client = createBindingsClient({ username: exampleAccountSid, password: 'params-secret-x9', fetch });
    const binding = await client.fetchBinding(exampleSids);
    expect(() => client.listBindings({ ...service, identity: [binding.identity as string] })).toThrow(
      /well-formed UTF-16/,
    );
  });
});

describe('numbers are sent exactly, in decimal digits', () => {
  // Number('9007199254740993'): what a caller gets from that text, rounded to 2^53.
  it.each([1e21, 2 ** 53, Number('9007199254740993'), Number.MAX_VALUE])(
    'page %d is an InvalidParameterError (past 2^53 − 1), whose message says which part of the rule it breaks',
    async (page) => {
      const { client, asked } = recording();
      const error = await client.fetchBindingsPage({ ...service, page }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error.parameter).toBe('page');
      expect(error.expected).toContain('2^53 − 1');
      // The value is an integer ≥ 0: the message must not read as if that were what it broke.
      expect(error.message).toMatch(
        /, got number [^,]+, past 2\^53 − 1, where numbers are no longer exact\.$/,
      );
      expect(asked).toHaveLength(0);
    },
  );

  // Digits as text meet the integer's rule as text: the fault is the type, and the message says so.
  it.each(['9007199254740993', '0'])(
    'page %j (a string) is refused for its type, not its rule',
    async (page) => {
      const { client, asked } = recording();
      const error = await client.fetchBindingsPage({ ...service, page: page as never }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error.expected).toBe(`a number, ${ruleOf('page').expected}`);
      expect(error.message).toContain(
        `expected a number, ${ruleOf('page').expected}, got a string "${page}" (`,
      );
      expect(asked).toHaveLength(0);
    },
  );

  it('the largest safe integer goes as its digits', async () => {
    const { client, asked } = recording();
    await client.fetchBindingsPage({ ...service, page: Number.MAX_SAFE_INTEGER });
    expect(asked[0]?.searchParams.get(nameOf('page'))).toBe(String(Number.MAX_SAFE_INTEGER));
  });
});
