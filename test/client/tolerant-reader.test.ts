// validateResponse: 'report': a binding whose fields are off the contract (a binding_type the provider
// added) is returned or yielded as sent and reported once per response; whatever the package's safety or a
// list walk depends on still throws; strict mode is unchanged. The off-contract value is derived from the
// contract's enum, never typed by hand.
import { describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import {
  type Binding,
  bindingTypes,
  ContractViolationError,
  createBindingsClient,
  isBindingType,
} from '../../src/client/index.ts';
import { MAX_LISTED, MAX_VIOLATIONS, MORE_PATH } from '../../src/client/response.ts';
import { MAX_ERRORS } from '../../src/client/validator-runtime.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingTypes as documented,
  exampleSids,
  jsonType,
  listPageOf,
  pageUrl,
  valueNotIn,
} from '../support/contract.ts';

const unknownType = valueNotIn(documented);
const service = { chatServiceSid: exampleSids.chatServiceSid };
const offContract = (fields: Partial<Record<keyof Binding, unknown>> = {}) =>
  ({ ...bindingFor({}), binding_type: unknownType, ...fields }) as unknown as Binding;

/** A fake holding three bindings, the second with a binding_type the contract does not document. */
function threeWithOneOff() {
  const bindings = [bindingFor({}), offContract(), bindingFor({})];
  const fake = createBindingsFake({ bindings, allowOffContract: true });
  return { fake, bindings };
}

function reporting(fetch: typeof globalThis.fetch, extra: Record<string, unknown> = {}) {
  const reports: ContractViolationError[] = [];
  const client = createBindingsClient({
    ...createBindingsFake().credentials,
    fetch,
    validateResponse: 'report',
    onViolation: (error) => {
      reports.push(error);
    },
    ...extra,
  });
  return { client, reports };
}

const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

describe('strict mode (the default) is unchanged', () => {
  it('a list holding one binding off the contract throws, naming the field', async () => {
    const { fake } = threeWithOneOff();
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const error = await collect(client.listBindings(service)).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['/bindings/1/binding_type']);
  });

  it('fetching it throws', async () => {
    const { fake, bindings } = threeWithOneOff();
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const params = { ...service, sid: bindings[1]?.sid as string };
    await expect(client.fetchBinding(params)).rejects.toBeInstanceOf(ContractViolationError);
  });
});

describe("validateResponse: 'report'", () => {
  it('yields every binding of the page, the one off the contract included, and reports the page once', async () => {
    const { fake, bindings } = threeWithOneOff();
    const { client, reports } = reporting(fake.fetch);
    const listed = await collect(client.listBindings(service));
    expect(listed.map((b) => b.sid)).toEqual(bindings.map((b) => b.sid));
    expect(listed[1]?.binding_type).toBe(unknownType);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({ status: operationFacts.ListServiceBinding.successStatus, attempts: 1 });
    expect(report?.violations).toEqual([
      { path: '/bindings/1/binding_type', message: expect.stringContaining(documented.join(', ')) },
    ]);
    // The same error strict mode throws: its message, and the binding at fault as sent (redacted).
    expect(report?.message).toMatch(/^Response 200 breaks the contract: \/bindings\/1\/binding_type: /);
    expect(JSON.parse(String(report?.body))).toEqual(bindings[1]);
  });

  it('fetch returns the binding as sent and reports it', async () => {
    const { fake, bindings } = threeWithOneOff();
    const { client, reports } = reporting(fake.fetch);
    const binding = await client.fetchBinding({ ...service, sid: bindings[1]?.sid as string });
    expect(binding.binding_type).toBe(unknownType);
    expect(isBindingType(binding.binding_type)).toBe(false);
    expect(reports.map((r) => r.violations[0]?.path)).toEqual(['/binding_type']);
  });

  it('a conforming response reports nothing', async () => {
    const fake = createBindingsFake();
    const { client, reports } = reporting(fake.fetch);
    await collect(client.listBindings(service));
    expect(reports).toEqual([]);
  });

  it('onViolation throwing rejects the call with what it threw', async () => {
    const { fake } = threeWithOneOff();
    const escalated = new Error('escalated by the caller');
    const { client } = reporting(fake.fetch, {
      onViolation: () => {
        throw escalated;
      },
    });
    await expect(collect(client.listBindings(service))).rejects.toBe(escalated);
    expect(fake.requests).toHaveLength(1);
  });

  it('an async onViolation that rejects rejects the call with its reason, and nothing is left unhandled', async () => {
    const { fake, bindings } = threeWithOneOff();
    const down = new Error('the log endpoint is down');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { client } = reporting(fake.fetch, { onViolation: async () => Promise.reject(down) });
      await expect(collect(client.listBindings(service))).rejects.toBe(down);
      const params = { ...service, sid: bindings[1]?.sid as string };
      await expect(client.fetchBinding(params)).rejects.toBe(down);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('an async onViolation is awaited: the call resolves once it has', async () => {
    const { fake } = threeWithOneOff();
    const logged: string[] = [];
    const { client } = reporting(fake.fetch, {
      onViolation: async (error: ContractViolationError) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        logged.push(error.violations[0]?.path ?? '');
      },
    });
    await client.fetchBindingsPage(service);
    expect(logged).toEqual(['/bindings/1/binding_type']);
  });

  it("the caller's signal ends a call whose async onViolation never settles, with the signal's reason", async () => {
    const { fake, bindings } = threeWithOneOff();
    let called!: () => void;
    const handlerCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const { client } = reporting(fake.fetch, {
      onViolation: () => {
        called();
        return new Promise(() => {});
      },
    });
    const controller = new AbortController();
    const params = { ...service, sid: bindings[1]?.sid as string };
    const call = client.fetchBinding(params, { signal: controller.signal });
    call.catch(() => {});
    await handlerCalled;
    const reason = new Error('the caller gave up');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it("'report' without an onViolation function is a TypeError naming the option", () => {
    const credentials = createBindingsFake().credentials;
    expect(() => createBindingsClient({ ...credentials, validateResponse: 'report' })).toThrow(
      /^createBindingsClient: option onViolation must be a function/,
    );
    expect(() =>
      createBindingsClient({ ...credentials, validateResponse: 'yes' as never, onViolation: () => {} }),
    ).toThrow(/option validateResponse must be true, false or 'report'/);
  });
});

/** A fetch answering every request with this status, content type and body. */
const answering = (body: string, { status = 200, type = jsonType } = {}) =>
  (async () => new Response(body, { status, headers: { 'content-type': type } })) as typeof globalThis.fetch;
const page = (bindings: unknown[], meta: Record<string, unknown> = {}) =>
  JSON.stringify({ ...listPageOf([], pageUrl(''), null), bindings, ...meta });
const okMeta = listPageOf([], pageUrl(''), null).meta;

describe("what 'report' still refuses (the package's safety and the walk depend on it)", () => {
  it.each([
    ['a body over maxResponseBytes', answering(page([offContract()]), {}), { maxResponseBytes: 64 }, 'body'],
    ['JSON nested too deep', answering(`${'['.repeat(100)}${']'.repeat(100)}`), {}, 'body'],
    ['a body that is not JSON', answering('{"bindings": ['), {}, 'body'],
    ['an undocumented status', answering(page([]), { status: 203 }), {}, 'status'],
    ['an undocumented media type', answering(page([]), { type: 'text/html' }), {}, 'content-type'],
    ['a missing meta', answering(JSON.stringify({ bindings: [] })), {}, '/'],
    ['a malformed meta', answering(page([], { meta: { ...okMeta, page: 'one' } })), {}, '/meta/page'],
    ['bindings that are not an array', answering(page([], { bindings: {} })), {}, '/bindings'],
    ['a binding that is not an object', answering(page([null])), {}, '/bindings/0'],
  ])('%s: throws as strict mode does', async (_what, fetch, extra, path) => {
    const { client, reports } = reporting(fetch, extra);
    const error = await client.fetchBindingsPage(service).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.map((v: { path: string }) => v.path)).toContain(path);
    expect(reports).toEqual([]);
  });

  it.each([
    ['no object', [null, 42, 'x'], okMeta],
    ['null', [null], okMeta],
    ['a number', [42], okMeta],
    ['a string', ['x'], okMeta],
    ['none (a meta that is a string)', [], 'x'],
  ])(
    "past the validator's MAX_ERRORS errors of fields, an item that is %s still throws, named first, the rest counted",
    async (_what, after, meta) => {
      // MAX_ERRORS bindings each off the contract in a field (a full page, PageSize 100): the budget is spent.
      const tolerable = Array.from({ length: MAX_ERRORS }, () => offContract());
      const { client, reports } = reporting(answering(page([...tolerable, ...after], { meta })));
      const error = await client.fetchBindingsPage(service).catch((e) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(reports).toEqual([]);
      const why = [...after.map((_, i) => `/bindings/${MAX_ERRORS + i}`), ...(meta === 'x' ? ['/meta'] : [])];
      expect(error.violations.slice(0, why.length).map((v: { path: string }) => v.path)).toEqual(why);
      // Every violation is kept or counted: MAX_ERRORS fields, and what is why.
      expect(error.violations).toHaveLength(MAX_VIOLATIONS + 1);
      expect(error.violations.at(-1)).toEqual({
        path: MORE_PATH,
        message: `${why.length} more violations, not listed`,
      });
      expect(error.message).toMatch(new RegExp(`; and ${MAX_ERRORS + why.length - MAX_LISTED} more$`));
    },
  );

  it('one binding with more than MAX_ERRORS bad message_types, then items that are no objects and a string meta: throws', async () => {
    const many = offContract({
      binding_type: bindingExample.binding_type,
      message_types: Array(MAX_ERRORS + 50).fill(1),
    });
    const { client, reports } = reporting(answering(page([many, null, 42, 'x'], { meta: 'x' })));
    const error = await client.fetchBindingsPage(service).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(reports).toEqual([]);
    const why = ['/bindings/1', '/bindings/2', '/bindings/3', '/meta'];
    expect(error.violations.slice(0, 4).map((v: { path: string }) => v.path)).toEqual(why);
    expect(error.violations.at(-1)).toEqual({ path: MORE_PATH, message: '54 more violations, not listed' });
  });

  it.each([
    ['a binding', 'fetchBinding'],
    ['a list page', 'fetchBindingsPage'],
  ] as const)(
    'more than MAX_ERRORS bad message_types in %s are tolerated, and the report counts those it does not list',
    async (_what, method) => {
      const many = offContract({
        binding_type: bindingExample.binding_type,
        message_types: Array(MAX_ERRORS + 50).fill(1),
      });
      const body = method === 'fetchBinding' ? JSON.stringify(many) : page([many, offContract()]);
      const { client, reports } = reporting(answering(body));
      const params = { ...service, sid: String(many.sid) };
      await (method === 'fetchBinding' ? client.fetchBinding(params) : client.fetchBindingsPage(service));
      expect(reports).toHaveLength(1);
      const more = method === 'fetchBinding' ? 50 : 51;
      expect(reports[0]?.violations.at(-1)).toEqual({
        path: MORE_PATH,
        message: `${more} more violations, not listed`,
      });
      expect(reports[0]?.message).toMatch(new RegExp(`; and ${MAX_ERRORS + more - MAX_LISTED} more$`));
    },
  );

  it.each([
    ['a next_page_url that leaves the list', pageUrl('').replace('/Bindings', '/Elsewhere')],
    ['a next_page_url that repeats the page', pageUrl('')],
  ])('%s: throws', async (_what, next) => {
    const body = page([offContract()], { meta: { ...okMeta, next_page_url: next } });
    const { client, reports } = reporting(answering(body));
    const error = await collect(client.listBindings(service)).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations[0].path).toBe('/meta/next_page_url');
    expect(reports).toHaveLength(1);
  });

  it('a walk where every page breaks the contract stays bounded: maxPages pages, a report each, never more kept', async () => {
    let n = 0;
    const fetch = (async () => {
      n++;
      const bad = Array.from({ length: 100 }, (_, i) =>
        offContract({
          sid: `${String(bindingExample.sid).slice(0, 26)}${String(n * 1000 + i).padStart(8, '0')}`,
        }),
      );
      const body = page(bad, {
        meta: { ...okMeta, url: pageUrl(`Page=${n - 1}`), next_page_url: pageUrl(`Page=${n}`) },
      });
      return new Response(body, { headers: { 'content-type': jsonType } });
    }) as typeof globalThis.fetch;
    const { client, reports } = reporting(fetch, { maxPages: 20 });
    let yielded = 0;
    const error = await (async () => {
      for await (const _ of client.listBindings(service)) yielded++;
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.message).toContain('maxPages (20)');
    expect(yielded).toBe(20 * 100);
    expect(reports).toHaveLength(20);
    for (const report of reports) expect(report.violations.length).toBeLessThanOrEqual(MAX_VIOLATIONS + 1);
  });
});

describe('bindingTypes and isBindingType, from the contract', () => {
  it('list the documented values in order, frozen', () => {
    expect(bindingTypes).toEqual(documented);
    expect(Object.isFrozen(bindingTypes)).toBe(true);
  });

  it.each<[unknown, boolean]>([
    ...documented.map((value): [unknown, boolean] => [value, true]),
    [unknownType, false],
    [null, false],
    [42, false],
  ])('isBindingType(%j) is %s', (value, expected) => expect(isBindingType(value)).toBe(expected));
});

describe('the filter stays strict', () => {
  it('bindingType: [an undocumented value] is an InvalidParameterError naming the item', () => {
    const { client } = reporting(createBindingsFake().fetch);
    expect(() => client.listBindings({ ...service, bindingType: [unknownType] as never })).toThrow(
      `got an array whose item 0 is "${unknownType}"`,
    );
  });
});
