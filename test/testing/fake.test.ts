// The stateful fake (conversations-bindings-contract/testing), in process: its seed data, its answers
// for all three operations as the service gives them, its faults, its request log, and its refusal to
// answer outside the contract. Every value comes from the contract (generated/) or is derived from it.
import createClient from 'openapi-fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  headerExamples,
  operationFacts,
  parameterOf,
  parameterRules,
  responses,
  server,
} from '../../generated/contract.js';
import type { paths } from '../../generated/schema.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import {
  ApiError,
  type Binding,
  ContractViolationError,
  createBindingsClient,
  type OperationId,
} from '../../src/client/index.ts';
import { buildPath } from '../../src/client/url.ts';
import { MAX_LOGGED_REQUESTS } from '../../src/testing/fake.ts';
import {
  bindingFor,
  createBindingsFake,
  exampleBindings,
  FakeContractError,
  FixtureError,
} from '../../src/testing/index.ts';
import { handlers } from '../../src/testing/operations.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  errorExample,
  exampleSids,
  invalidSids,
  jsonType,
  listPath,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';

const {
  FetchServiceBinding: fetchOp,
  ListServiceBinding: listOp,
  DeleteServiceBinding: deleteOp,
} = operationFacts;
const nameOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
const service = exampleSids.chatServiceSid;

/** A fake and what a test sends it with: its valid Authorization header, and a fetch of a path. */
function setUp(bindings?: Binding[]) {
  const fake = createBindingsFake(bindings ? { bindings } : {});
  const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
  const send = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fake.fetch(`${server}${path}`, { ...init, headers: { authorization, ...init.headers } });
  return { fake, send, authorization };
}

/** Whether a body keeps the contract's schema for an operation's status (else `default`) and media type. */
function conforms(operation: OperationId, status: number, type: string, body: unknown): boolean {
  type Documented = { content: Record<string, { validate: (value: unknown) => boolean }> };
  const byStatus = responses[operation] as unknown as Record<string, Documented | undefined>;
  const response = byStatus[String(status)] ?? byStatus.default;
  return Boolean(response?.content[type]?.validate(body));
}

/** Three bindings on the example service (types and identities spread over the enum) and one elsewhere. */
function population(): Binding[] {
  const other = `${service.slice(0, -1)}${service.endsWith('0') ? '1' : '0'}`;
  return [
    ...bindingTypes.map((type, i) =>
      bindingFor({ chat_service_sid: service, binding_type: type as never, identity: `user-${i % 2}` }),
    ),
    bindingFor({ chat_service_sid: other }),
  ];
}

describe('seed data', () => {
  it("holds the contract's example bindings when given none", () => {
    const { fake } = setUp();
    expect(fake.bindings).toStrictEqual(exampleBindings());
    expect(fake.bindings).toContainEqual(bindingExample);
  });

  it('names the index, the field and the rule of an invalid fixture', () => {
    const wrongType = valueNotIn(bindingTypes);
    const bad = [bindingFor(), { ...bindingFor(), binding_type: wrongType }];
    expect(() => createBindingsFake({ bindings: bad as Binding[] })).toThrow(FixtureError);
    const message = (() => {
      try {
        createBindingsFake({ bindings: bad as Binding[] });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('bindings[1]/binding_type');
    for (const value of bindingTypes) expect(message).toContain(value);

    const { pattern } = parameterRules.Sid;
    const badSid = invalidSids('Sid')['a wrong prefix'];
    expect(() => createBindingsFake({ bindings: [{ ...bindingFor(), sid: badSid }] })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`bindings[0]/sid`) }),
    );
    expect(() => createBindingsFake({ bindings: [{ ...bindingFor(), sid: badSid }] })).toThrow(pattern);
  });

  it('refuses what a store cannot hold: a non-array, a binding without a sid, the same sid twice', () => {
    expect(() => createBindingsFake({ bindings: {} as never })).toThrow(/must be an array/);
    const { sid: _, ...noSid } = bindingFor();
    expect(() => createBindingsFake({ bindings: [noSid as Binding] })).toThrow(/bindings\[0\]\/sid/);
    const twice = bindingFor();
    expect(() => createBindingsFake({ bindings: [twice, twice] })).toThrow(/bindings\[1\]\/sid/);
  });

  it('builds valid bindings from a few fields, the rest derived consistently', () => {
    const [a, b] = [bindingFor(), bindingFor({ chat_service_sid: service })];
    expect(a?.sid).not.toBe(b?.sid);
    for (const made of [a, b]) {
      expect(made?.url).toBe(`${server}${bindingPath(made?.chat_service_sid ?? '', made?.sid ?? '')}`);
      expect(made?.date_updated).toBe(made?.date_created);
    }
    const wrongType = valueNotIn(bindingTypes);
    expect(() => bindingFor({ binding_type: wrongType as never })).toThrow(FixtureError);
  });

  it('hands out copies of its state, and checks state it is given', () => {
    const { fake } = setUp();
    const copy = fake.bindings;
    copy.pop();
    expect(fake.bindings).toHaveLength(copy.length + 1);
    const next = [bindingFor(), bindingFor()];
    fake.bindings = next;
    expect(fake.bindings).toStrictEqual(next);
    expect(() => {
      fake.bindings = [{ ...bindingFor(), sid: 42 } as never];
    }).toThrow(FixtureError);
    expect(fake.bindings).toStrictEqual(next);
  });
});

describe('fetch', () => {
  it('answers a held binding with the documented status, media type, headers and body', async () => {
    const { send } = setUp();
    const response = await send(bindingPath(service, exampleSids.sid));
    expect(response.status).toBe(fetchOp.successStatus);
    expect(response.headers.get('content-type')).toBe(jsonType);
    const documented = (headerExamples.FetchServiceBinding as Record<string, Record<string, string>>)[
      String(fetchOp.successStatus)
    ];
    expect(Object.keys(documented ?? {}).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(documented ?? {}))
      expect(response.headers.get(name)).toBe(value);
    expect(await response.json()).toStrictEqual(bindingExample);
  });

  it.each(['none', 'wrong'] as const)(
    'answers %s credentials with 401 and a conforming body',
    async (kind) => {
      const { fake } = setUp();
      const headers: Record<string, string> =
        kind === 'none' ? {} : { authorization: basicAuthorization(fake.credentials.username, 'not-it') };
      for (const op of [fetchOp, listOp, deleteOp]) {
        const path = op === listOp ? listPath : bindingPath(service, exampleSids.sid);
        const response = await fake.fetch(`${server}${path}`, { method: op.method, headers });
        expect(response.status).toBe(statusOf('Unauthorized'));
        expect(await response.json()).toStrictEqual(errorExample('Unauthorized'));
        expect(fake.requests.at(-1)?.credentials).toBe(kind);
      }
      expect(fake.bindings).toStrictEqual(exampleBindings());
    },
  );

  it('answers an unknown binding with 404 and the not-found error', async () => {
    const { send } = setUp();
    const unknown = bindingFor().sid as string;
    const response = await send(bindingPath(service, unknown));
    expect(response.status).toBe(statusOf('NotFound'));
    const body = await response.json();
    expect(body.code).toBe(errorExample('NotFound').code);
    expect(body.message).toContain(unknown);
    expect(conforms('FetchServiceBinding', response.status, jsonType, body)).toBe(true);
  });

  it('answers a malformed SID with 404 (as the provider does), for each path parameter', async () => {
    const { send } = setUp();
    for (const [name, bad] of [
      ...Object.values(invalidSids('ChatServiceSid')).map((v) => ['ChatServiceSid', v] as const),
      ...Object.values(invalidSids('Sid')).map((v) => ['Sid', v] as const),
    ]) {
      const path = name === 'Sid' ? bindingPath(service, bad) : bindingPath(bad, exampleSids.sid);
      const response = await send(path);
      expect(response.status, `${name} ${bad}`).toBe(statusOf('NotFound'));
      expect(conforms('FetchServiceBinding', response.status, jsonType, await response.json())).toBe(true);
    }
  });

  it('answers a list of a malformed service SID with 404 too (a well-formed one it holds nothing of: an empty page)', async () => {
    const { send } = setUp();
    for (const bad of Object.values(invalidSids('ChatServiceSid'))) {
      const path = buildPath(listOp.path, { ChatServiceSid: bad });
      const response = await send(path);
      expect(response.status, bad).toBe(statusOf('NotFound'));
      expect(conforms('ListServiceBinding', response.status, jsonType, await response.json())).toBe(true);
    }
  });

  it('answers an undocumented method with 405 and an Allow header naming the documented ones', async () => {
    const { send } = setUp();
    const documented = new Set(Object.values(operationFacts).map((op) => op.method));
    const undocumented = ['PUT', 'POST', 'PATCH'].filter((m) => !documented.has(m as never));
    expect(undocumented.length).toBeGreaterThan(0);
    for (const [path, template] of [
      [bindingPath(service, exampleSids.sid), fetchOp.path],
      [listPath, listOp.path],
    ]) {
      const allowed = Object.values(operationFacts)
        .filter((op) => op.path === template)
        .map((op) => op.method);
      for (const method of undocumented) {
        const response = await send(path as string, { method });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')?.split(', ').sort()).toEqual([...allowed].sort());
      }
    }
  });

  it('answers 406 to an Accept that excludes JSON, and 200 to any that admits it', async () => {
    const { send } = setUp();
    const path = bindingPath(service, exampleSids.sid);
    const [top = '', sub = ''] = jsonType.split('/');
    const refused = [`${top}/${sub}x`, `${jsonType};q=0`, `text/*`];
    const admitted = ['*/*', `${top}/*`, `${jsonType};q=0.5`, `text/html, ${jsonType}`];
    for (const accept of refused)
      expect((await send(path, { headers: { accept } })).status, accept).toBe(406);
    for (const accept of admitted)
      expect((await send(path, { headers: { accept } })).status, accept).toBe(fetchOp.successStatus);
  });

  it('answers an unknown path with 404', async () => {
    const { send } = setUp();
    expect((await send(`${listPath}/${exampleSids.sid}/more`)).status).toBe(statusOf('NotFound'));
  });
});

describe('list', () => {
  /** Every page of a walk that follows next_page_url, from a first request. */
  async function walk(send: ReturnType<typeof setUp>['send'], first: string) {
    const pages: { bindings: Binding[]; meta: Record<string, unknown> }[] = [];
    let next: string | null = first;
    while (next) {
      const response = await send(next.startsWith(server) ? next.slice(server.length) : next);
      expect(response.status).toBe(listOp.successStatus);
      const page = await response.json();
      expect(conforms('ListServiceBinding', response.status, jsonType, page)).toBe(true);
      pages.push(page);
      next = page.meta.next_page_url;
      expect(pages.length).toBeLessThan(50);
    }
    return pages;
  }

  it("lists only the service's bindings, page by page, with meta URLs that keep the query", async () => {
    const bindings = population();
    const { send } = setUp(bindings);
    const mine = bindings.filter((b) => b.chat_service_sid === service);
    const pages = await walk(send, `${listPath}?${nameOf('pageSize')}=1`);
    expect(pages.flatMap((p) => p.bindings)).toStrictEqual(mine);
    expect(pages.map((p) => p.meta.page)).toEqual(mine.map((_, i) => i));
    expect(pages[0]?.meta.previous_page_url).toBeNull();
    expect(pages[1]?.meta.previous_page_url).toBe(pages[0]?.meta.url);
    for (const page of pages) {
      expect(page.meta.page_size).toBe(1);
      expect(page.meta.first_page_url).toBe(pages[0]?.meta.url);
    }
  });

  it('filters by each binding type and identity (exploded arrays), keeping the filters on every page', async () => {
    const bindings = population();
    const { send } = setUp(bindings);
    const mine = bindings.filter((b) => b.chat_service_sid === service);
    const types = bindingTypes.slice(0, 2);
    const query = `${types.map((t) => `${nameOf('bindingType')}=${t}`).join('&')}&${nameOf('pageSize')}=1`;
    const pages = await walk(send, `${listPath}?${query}`);
    expect(pages.flatMap((p) => p.bindings)).toStrictEqual(
      mine.filter((b) => types.includes(b.binding_type as string)),
    );
    for (const page of pages.slice(1)) expect(String(page.meta.url)).toContain(query.split('&')[1]);
    const identity = mine[0]?.identity as string;
    const byIdentity = await walk(send, `${listPath}?${nameOf('identity')}=${identity}`);
    expect(byIdentity.flatMap((p) => p.bindings)).toStrictEqual(mine.filter((b) => b.identity === identity));
  });

  it('uses the contract default page size, and serves a page asked by number', async () => {
    const many = Array.from({ length: Number(parameterRules.PageSize.default) + 1 }, () =>
      bindingFor({ chat_service_sid: service }),
    );
    const { send } = setUp(many);
    const first = await (await send(listPath)).json();
    expect(first.bindings).toHaveLength(Number(parameterRules.PageSize.default));
    expect(first.meta.next_page_url).not.toBeNull();
    const second = await (await send(`${listPath}?${nameOf('page')}=1`)).json();
    expect(second.bindings).toStrictEqual(many.slice(Number(parameterRules.PageSize.default)));
    expect(second.meta.next_page_url).toBeNull();
  });

  it('answers 400 to a query parameter outside its rule, and to a page token it did not write', async () => {
    const { send } = setUp();
    const cases = [
      `${nameOf('pageSize')}=${parameterRules.PageSize.maximum + 1}`,
      `${nameOf('pageSize')}=${parameterRules.PageSize.minimum - 1}`,
      `${nameOf('page')}=${parameterRules.Page.minimum - 1}`,
      `${nameOf('bindingType')}=${valueNotIn(bindingTypes)}`,
      `${nameOf('pageToken')}=${valueNotIn([])}`,
    ];
    for (const query of cases) {
      const response = await send(`${listPath}?${query}`);
      expect(response.status, query).toBe(400);
      const body = await response.json();
      expect(conforms('ListServiceBinding', 400, jsonType, body)).toBe(true);
    }
  });
});

describe('delete', () => {
  it('deletes with 204 and no body; then the binding is not fetched, not listed, and not deleted again', async () => {
    const bindings = population();
    const { fake, send } = setUp(bindings);
    const doomed = bindings[0] as Binding;
    const path = bindingPath(service, doomed.sid as string);
    const response = await send(path, { method: deleteOp.method });
    expect(response.status).toBe(deleteOp.successStatus);
    expect(await response.text()).toBe('');
    expect((await send(path)).status).toBe(statusOf('NotFound'));
    expect((await send(path, { method: deleteOp.method })).status).toBe(statusOf('NotFound'));
    const listed = await (await send(listPath)).json();
    expect(listed.bindings.map((b: Binding) => b.sid)).not.toContain(doomed.sid);
    expect(fake.bindings).toStrictEqual(bindings.slice(1));
  });
});

describe('callers', () => {
  it("works with this package's client, openapi-fetch, a Request, and fake.handle", async () => {
    const { fake, authorization } = setUp();
    const params = { chatServiceSid: service, sid: exampleSids.sid };
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    expect(await client.fetchBinding(params)).toStrictEqual(bindingExample);
    const raw = createClient<paths>({ baseUrl: server, fetch: fake.fetch, headers: { authorization } });
    const { data } = await raw.GET(fetchOp.path, {
      params: { path: { ChatServiceSid: service, Sid: exampleSids.sid } },
    });
    expect(data).toStrictEqual(bindingExample);
    const request = new Request(`${server}${bindingPath(service, exampleSids.sid)}`, {
      headers: { authorization },
    });
    expect(await (await fake.fetch(request)).json()).toStrictEqual(bindingExample);
    expect(await (await fake.handle(request.clone())).json()).toStrictEqual(bindingExample);
    await client.deleteBinding(params);
    await expect(client.fetchBinding(params)).rejects.toBeInstanceOf(ApiError);
  });

  it('rejects what new Request would: a relative URL, credentials in the URL, a GET with a body', async () => {
    const { fake } = setUp();
    const path = bindingPath(service, exampleSids.sid);
    await expect(fake.fetch(path)).rejects.toBeInstanceOf(TypeError);
    await expect(fake.fetch(`${server.replace('://', '://user:pass@')}${path}`)).rejects.toBeInstanceOf(
      TypeError,
    );
    await expect(fake.fetch(`${server}${path}`, { body: 'x' })).rejects.toBeInstanceOf(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('headers given as a plain object (read without building a Headers)', () => {
  it('reads them as Headers would: any case, ends trimmed, and refuses what Headers refuses', async () => {
    const { fake, authorization } = setUp();
    const url = `${server}${bindingPath(service, exampleSids.sid)}`;
    const ok = await fake.fetch(url, { headers: { AUTHORIZATION: `  ${authorization}\t` } });
    expect(ok.status).toBe(fetchOp.successStatus);
    const [top = ''] = jsonType.split('/');
    const refused = await fake.fetch(url, { headers: { authorization, ACCEPT: `${top}/xml` } });
    expect(refused.status).toBe(406);
    for (const headers of <Record<string, string>[]>[
      { authorization: `${authorization}\nx` },
      { 'bad name': 'x' },
      { x: 'ā' },
    ])
      await expect(fake.fetch(url, { headers })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('the request log', () => {
  it('records method, path and query, operation, which credentials, and status: never a credential', async () => {
    const { fake, send } = setUp();
    await send(`${listPath}?${nameOf('pageSize')}=2`);
    await fake.fetch(`${server}${bindingPath(service, exampleSids.sid)}`, {
      headers: { authorization: basicAuthorization(fake.credentials.username, 'wrong-password') },
    });
    expect(fake.requests).toStrictEqual([
      {
        method: listOp.method,
        url: `${listPath}?${nameOf('pageSize')}=2`,
        operation: 'ListServiceBinding',
        credentials: 'valid',
        status: listOp.successStatus,
      },
      {
        method: fetchOp.method,
        url: bindingPath(service, exampleSids.sid),
        operation: 'FetchServiceBinding',
        credentials: 'wrong',
        status: statusOf('Unauthorized'),
      },
    ]);
    const logged = JSON.stringify(fake.requests);
    for (const secret of [fake.credentials.password, 'wrong-password', btoa(fake.credentials.password)])
      expect(logged).not.toContain(secret);
  });

  it(`keeps the last ${MAX_LOGGED_REQUESTS} requests`, async () => {
    const { fake } = setUp();
    // Without credentials (answered 401, the cheapest answer): every request is logged, answered or not.
    for (let i = 0; i < MAX_LOGGED_REQUESTS + 3; i++)
      await fake.fetch(`${server}${listPath}?${nameOf('page')}=${i}`);
    expect(fake.requests).toHaveLength(MAX_LOGGED_REQUESTS);
    expect(fake.requests[0]?.url).toBe(`${listPath}?${nameOf('page')}=3`);
  });
});

describe('faults', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers the next N matching requests with 429 and Retry-After, then as usual', async () => {
    const { fake, send } = setUp();
    const { header } = fetchOp.retryAfter;
    fake.inject(
      { status: statusOf('TooManyRequests'), retryAfter: 7 },
      {
        times: 2,
        when: (r) => r.operation === 'FetchServiceBinding',
      },
    );
    expect((await send(listPath)).status).toBe(listOp.successStatus);
    const path = bindingPath(service, exampleSids.sid);
    for (let i = 0; i < 2; i++) {
      const response = await send(path);
      expect(response.status).toBe(statusOf('TooManyRequests'));
      expect(response.headers.get(header)).toBe('7');
      const example = errorExample('TooManyRequests');
      // The contract's 429 body, saying the fake injected it.
      expect(await response.json()).toStrictEqual({
        ...example,
        message: `${example.message} (injected by the fake: inject({ status: ${statusOf('TooManyRequests')} }))`,
      });
    }
    expect((await send(path)).status).toBe(fetchOp.successStatus);
  });

  it("answers a 5xx with the contract's error body carrying that status", async () => {
    const { fake, send } = setUp();
    fake.inject({ status: 503 });
    const response = await send(bindingPath(service, exampleSids.sid));
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe(503);
    expect(conforms('FetchServiceBinding', 503, jsonType, body)).toBe(true);
  });

  it('delays an answer by the time asked, and lets the signal cut the wait', async () => {
    vi.useFakeTimers();
    const { fake, send } = setUp();
    fake.inject({ delayMs: 1000 }, { times: 2 });
    let settled = false;
    const answer = send(bindingPath(service, exampleSids.sid)).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answer).status).toBe(fetchOp.successStatus);
    const controller = new AbortController();
    const cut = send(bindingPath(service, exampleSids.sid), { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(cut).rejects.toThrow('caller gave up');
  });

  it('drops the connection: the fetch rejects with a TypeError, as a network error does', async () => {
    const { fake, send } = setUp();
    fake.inject({ drop: true });
    await expect(send(listPath)).rejects.toBeInstanceOf(TypeError);
    expect((await send(listPath)).status).toBe(listOp.successStatus);
  });

  it('breaks the contract on purpose: the client sees a ContractViolationError, the state is untouched', async () => {
    const { fake } = setUp();
    const wrongType = valueNotIn(bindingTypes);
    fake.inject({
      breakContract: (body) => {
        (body as Binding).binding_type = wrongType as never;
        return body;
      },
    });
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const params = { chatServiceSid: service, sid: exampleSids.sid };
    const error = await client.fetchBinding(params).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.message).toContain('binding_type');
    expect(await client.fetchBinding(params)).toStrictEqual(bindingExample);
  });

  it('throws a FakeContractError instead of answering outside the contract', async () => {
    const { send } = setUp();
    // A fake whose fetch would answer a body its own contract refuses (a bug in the fake).
    vi.spyOn(handlers, 'FetchServiceBinding').mockReturnValue({
      operation: 'FetchServiceBinding',
      status: fetchOp.successStatus,
      body: { binding_type: valueNotIn(bindingTypes) },
      headers: { 'content-type': jsonType },
    });
    await expect(send(bindingPath(service, exampleSids.sid))).rejects.toBeInstanceOf(FakeContractError);
  });

  it.each([200, 300, 404, 999, 429.5, '503'])(
    'refuses status %j at inject: a fault is 429 or a 5xx',
    (status) => {
      const { fake } = setUp();
      expect(() => fake.inject({ status } as never)).toThrow(
        /^inject: status must be \d+ \(rate limited, with Retry-After\) or a 5xx, got /,
      );
    },
  );

  it('refuses a times that is not a positive integer, and forgets faults when cleared', async () => {
    const { fake, send } = setUp();
    expect(() => fake.inject({ drop: true }, { times: 0 })).toThrow(/times must be an integer/);
    fake.inject({ drop: true }, { times: 5 });
    fake.clearFaults();
    expect((await send(listPath)).status).toBe(listOp.successStatus);
  });
});
