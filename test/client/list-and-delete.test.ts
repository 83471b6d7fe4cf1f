// listBindings, fetchBindingsPage and deleteBinding against a scripted fault server: lazy paging,
// pagination safety (foreign hosts, loops, violations on a later page), the exploded query, query
// validation before any request, and the delete retry rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, parameterOf } from '../../generated/contract.js';
import {
  ApiError,
  type Binding,
  type BindingsClientOptions,
  type BindingType,
  ContractViolationError,
  createBindingsClient,
  InvalidParameterError,
  type ListBindingsParams,
  bindingTypes as packageBindingTypes,
} from '../../src/client/index.ts';
import {
  bindingTypes,
  errorBody,
  errorExample,
  exampleAccountSid,
  exampleSids,
  listPageOf,
  listPath,
  nthBinding,
  pageUrl,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';
import { type Answer, type FaultServer, json, reset, startFaultServer } from '../support/fault-server.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const credentials = { username: exampleAccountSid, password: 'list-secret' };
const client = (options: Partial<BindingsClientOptions> = {}) =>
  createBindingsClient({
    ...credentials,
    baseUrl: server.url,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
const service = { chatServiceSid: exampleSids.chatServiceSid };
const list = operationFacts.ListServiceBinding;
type ListKey = keyof typeof parameterOf.ListServiceBinding;
const ok = list.successStatus;
const { key: pageToken } = parameterOf.ListServiceBinding.pageToken;
const query = (key: string) => parameterOf.ListServiceBinding[key as ListKey].name;

/** Three pages of two bindings each, linked by next_page_url (on the provider's host, as the service writes them). */
function threePages(): Answer[] {
  const urls = [0, 1, 2].map((page) => pageUrl(`${query('page')}=${page}&${query(pageToken)}=T${page}`));
  return [0, 1, 2].map((page) =>
    json(
      ok,
      listPageOf(
        [nthBinding(2 * page), nthBinding(2 * page + 1)],
        urls[page] as string,
        urls[page + 1] ?? null,
        page,
      ),
    ),
  );
}
const sids = async (iterable: AsyncIterable<Binding>) => {
  const seen: string[] = [];
  for await (const binding of iterable) seen.push(String(binding.sid));
  return seen;
};

describe('listBindings', () => {
  it('walks every page lazily, in order, asking the next page at the configured base URL', async () => {
    server.script(...threePages());
    expect(await sids(client().listBindings(service))).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => nthBinding(i).sid),
    );
    expect(server.requests.map((r) => r.url)).toEqual([
      listPath,
      `${listPath}?${query('page')}=1&${query(pageToken)}=T1`,
      `${listPath}?${query('page')}=2&${query(pageToken)}=T2`,
    ]);
  });

  it('fetches no page the caller does not reach: break stops it', async () => {
    server.script(...threePages());
    for await (const binding of client().listBindings(service)) {
      expect(binding.sid).toBe(nthBinding(0).sid);
      break;
    }
    expect(server.requests).toHaveLength(1);
  });

  it('stops at limit, asking for no bigger page than the limit (a page size the contract allows)', async () => {
    server.script(...threePages());
    expect(await sids(client().listBindings(service, { limit: 3 }))).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.url).toBe(`${listPath}?${query('pageSize')}=3`);
  });

  it('sends nothing before the iteration starts, and nothing at all with limit 0', async () => {
    server.script(...threePages());
    const iterable = client().listBindings(service);
    expect(server.requests).toHaveLength(0);
    expect(await sids(client().listBindings(service, { limit: 0 }))).toEqual([]);
    expect(server.requests).toHaveLength(0);
    expect(await sids(iterable)).toHaveLength(6);
  });

  it('keeps a base URL path prefix for every page', async () => {
    server.script(...threePages());
    await sids(client({ baseUrl: `${server.url}/proxy/` }).listBindings(service));
    expect(server.requests.map((r) => r.url.split('?')[0])).toEqual([1, 2, 3].map(() => `/proxy${listPath}`));
  });

  it('serialises arrays exploded and percent-encodes every value', async () => {
    server.script(json(ok, listPageOf([], pageUrl(''), null)));
    const params: ListBindingsParams = {
      ...service,
      bindingType: bindingTypes.slice(0, 2) as ListBindingsParams['bindingType'],
      identity: ['a b', 'ü&=?'],
    };
    await sids(client().listBindings(params));
    const [first, second] = bindingTypes;
    expect(server.requests[0]?.url).toBe(
      `${listPath}?${query('bindingType')}=${first}&${query('bindingType')}=${second}&${query('identity')}=a%20b&${query('identity')}=%C3%BC%26%3D%3F`,
    );
  });

  it("takes readonly filters as they are: the package's bindingTypes, an `as const` tuple, a readonly string[]", async () => {
    // Each of these gave TS4104 (a readonly array is not assignable to a mutable one): the client only reads them.
    const identities: readonly string[] = ['alice'];
    const asConst = [packageBindingTypes[0] as BindingType] as const;
    const filters: ListBindingsParams[] = [
      { ...service, bindingType: packageBindingTypes, identity: identities },
      { ...service, bindingType: asConst },
    ];
    // @ts-expect-error a readonly string[] may hold any string: still not a bindingType
    filters.push({ ...service, bindingType: identities });
    server.script(...filters.map(() => json(ok, listPageOf([], pageUrl(''), null))));
    const page = await client().fetchBindingsPage({ ...service, bindingType: asConst });
    await sids(client().listBindings(filters[0] as ListBindingsParams));
    expect(page.bindings).toEqual([]);
    expect(server.requests[1]?.url).toBe(
      `${listPath}?${packageBindingTypes.map((t) => `${query('bindingType')}=${t}`).join('&')}&${query('identity')}=alice`,
    );
  });

  it('retries a 429 between pages and goes on', async () => {
    const [first, second, third] = threePages();
    server.script(
      first as Answer,
      json(statusOf('TooManyRequests'), errorExample('TooManyRequests')),
      second as Answer,
      third as Answer,
    );
    expect(await sids(client().listBindings(service))).toHaveLength(6);
    expect(server.requests).toHaveLength(4);
  });
});

describe('pagination safety', () => {
  const firstPageWithNext = (next: string) => json(ok, listPageOf([nthBinding(0)], pageUrl(''), next));

  it('a next_page_url on a foreign host is asked of the configured host only, with its path and query', async () => {
    server.script(
      firstPageWithNext(pageUrl(`${query('page')}=1`, 'https://attacker.example')),
      json(ok, listPageOf([], pageUrl(`${query('page')}=1`), null)),
    );
    await sids(client().listBindings(service));
    expect(server.requests.map((r) => r.url)).toEqual([listPath, `${listPath}?${query('page')}=1`]);
    // Both went to the fault server, the only host configured: the credentials went nowhere else.
    expect(server.requests.every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);
  });

  it.each([
    ['another path', pageUrl('').replace(listPath, '/v1/elsewhere')],
    ['not a URL at all', 'page two, please'],
  ])('a next_page_url to %s is a ContractViolationError, and nothing more is sent', async (_name, next) => {
    server.script(firstPageWithNext(next));
    const error = await sids(client().listBindings(service)).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    // A next_page_url that is not a URL already breaks the schema (format uri); another path breaks paging.
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['/meta/next_page_url']);
    expect(server.requests).toHaveLength(1);
  });

  it('a page whose next page is itself (or any page already fetched) is a ContractViolationError: no loop', async () => {
    const self = pageUrl(`${query('page')}=0`);
    server.script(json(ok, listPageOf([nthBinding(0)], self, self)));
    const error = await sids(client().listBindings(service)).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.message).toContain('repeats a page this walk already fetched');
    expect(server.requests).toHaveLength(1);
  });

  it('a violation on page 2 names its path in the page, after page 1 was yielded', async () => {
    const unknown = valueNotIn(bindingTypes);
    const [first, second] = threePages();
    server.script(
      first as Answer,
      json(
        ok,
        listPageOf(
          [nthBinding(2), { ...nthBinding(3), binding_type: unknown as Binding['binding_type'] }],
          pageUrl(`${query('page')}=1`),
          null,
          1,
        ),
      ),
      second as Answer,
    );
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const binding of client().listBindings(service)) seen.push(binding.sid);
    })().catch((e) => e);
    expect(seen).toEqual([nthBinding(0).sid, nthBinding(1).sid]);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['/bindings/1/binding_type']);
  });

  it('empty pages that never end are a ContractViolationError after a bounded number of pages', async () => {
    let page = 0;
    server.script(((req, res) => {
      const next = pageUrl(`${query('page')}=${++page}`);
      json(ok, listPageOf([], pageUrl(`${query('page')}=${page - 1}`), next))(req, res);
    }) as Answer);
    const error = await sids(client().listBindings(service)).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.message).toContain('empty pages in a row');
    expect(server.requests.length).toBeLessThan(20);
  });
});

describe('fetchBindingsPage', () => {
  it('returns a page and its next on demand, then undefined after the last', async () => {
    server.script(...threePages());
    const first = await client().fetchBindingsPage(service);
    expect(first.bindings.map((b) => b.sid)).toEqual([nthBinding(0).sid, nthBinding(1).sid]);
    expect(server.requests).toHaveLength(1);
    const second = await first.next();
    const third = await second?.next();
    expect(third?.meta.next_page_url).toBeNull();
    await expect(third?.next()).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });
});

describe('query parameters are checked before anything is sent', () => {
  it.each([
    ['an unknown bindingType', { bindingType: [valueNotIn(bindingTypes)] }, 'bindingType'],
    ['a bindingType that is not an array', { bindingType: bindingTypes[0] }, 'bindingType'],
    ['pageSize 0', { pageSize: 0 }, 'pageSize'],
    ['pageSize above the maximum', { pageSize: 10_000 }, 'pageSize'],
    ['pageSize 2.5', { pageSize: 2.5 }, 'pageSize'],
    ['a pageSize string', { pageSize: '5' }, 'pageSize'],
    ['a non-string identity', { identity: [42] }, 'identity'],
    ['a malformed chatServiceSid', { chatServiceSid: 'nope' }, 'chatServiceSid'],
  ])('%s: InvalidParameterError naming it, its rule and what was given', async (name, bad, parameter) => {
    server.script(json(ok, listPageOf([], pageUrl(''), null)));
    const params = { ...service, ...bad } as unknown as ListBindingsParams;
    const rule = parameterOf.ListServiceBinding[parameter as ListKey];
    const thrown = (() => {
      try {
        client().listBindings(params);
      } catch (error) {
        return error;
      }
    })();
    const rejected = await client()
      .fetchBindingsPage(params)
      .catch((error) => error);
    for (const error of [thrown, rejected]) {
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error).toMatchObject({ parameter, attempts: 0 });
      // A string where a number goes is refused for its type: the rule then says a number first.
      const typeFault = name === 'a pageSize string';
      expect(error.expected).toBe(typeFault ? `a number, ${rule?.expected}` : rule?.expected);
      expect((error as Error).message).toContain(
        `Invalid ${parameter} (${rule?.in} parameter ${rule?.name})`,
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('listBindings throws at once, not at the first iteration', () => {
    expect(() => client().listBindings({ ...service, pageSize: 0 })).toThrow(InvalidParameterError);
    expect(() => client().listBindings(service, { limit: -1 })).toThrow(
      /option limit must be an integer ≥ 0/,
    );
  });
});

describe('deleteBinding', () => {
  const deleted = operationFacts.DeleteServiceBinding.successStatus;
  const gone: Answer = (_req, res) => {
    res.writeHead(deleted);
    res.end();
  };
  const notFound = json(statusOf('NotFound'), errorExample('NotFound'));

  it('resolves on the documented answer, with a DELETE to the binding path', async () => {
    server.script(gone);
    await expect(client().deleteBinding(exampleSids)).resolves.toBeUndefined();
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      [operationFacts.DeleteServiceBinding.method, `${listPath}/${exampleSids.sid}`],
    ]);
  });

  it('is retried like a GET: 503, then done', async () => {
    server.script(json(503, errorBody(503)), gone);
    await expect(client().deleteBinding(exampleSids)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it('a lost answer, then not found: the first attempt deleted it, so it resolves', async () => {
    server.script(reset, notFound);
    await expect(client().deleteBinding(exampleSids)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it('not found on the first attempt is an ApiError', async () => {
    server.script(notFound);
    await expect(client().deleteBinding(exampleSids)).rejects.toMatchObject({
      status: statusOf('NotFound'),
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('not found after an answered 503 is an ApiError too: that attempt did not delete it', async () => {
    server.script(json(503, errorBody(503)), notFound);
    const error = await client()
      .deleteBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: statusOf('NotFound'), attempts: 2 });
  });

  it('an undocumented success with a body is a ContractViolationError', async () => {
    server.script(json(ok, { deleted: true }));
    const error = await client()
      .deleteBinding(exampleSids)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['status', 'body']);
  });
});
