// The stateful fake (conversations-bindings-contract/testing), in process: its seed data, its answers
// for all three operations as the service gives them, its faults, its request log, and its refusal to
// answer outside the contract. Every value comes from the contract (generated/) or is derived from it.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import createClient from 'openapi-fetch';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  headerExamples,
  operationFacts,
  parameterFields,
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
  type BindingType,
  ContractViolationError,
  createBindingsClient,
  type OperationId,
} from '../../src/client/index.ts';
import { buildPath } from '../../src/client/url.ts';
import { conformance, MAX_BODY_PROBLEMS } from '../../src/testing/conformance.ts';
import { FAKE_FAILURE, FAKE_FAILURE_STATUS, MAX_LOGGED_REQUESTS } from '../../src/testing/fake.ts';
import {
  bindingFor,
  createBindingsFake,
  exampleBindings,
  type FakeRequest,
  type Fault,
  type FaultMediaType,
  type FaultOptions,
  FixtureError,
} from '../../src/testing/index.ts';
import { listModelOf, listPage } from '../../src/testing/listing.ts';
import { handlers } from '../../src/testing/operations.ts';
import { InstanceStore } from '../../src/testing/store.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  errorExample,
  exampleSids,
  invalidSids,
  jsonType,
  listPath,
  nthBinding,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';
import {
  entries,
  entryOf,
  exampleInstance,
  pathFor,
  registeredResources,
  successExample,
} from '../support/registry.ts';

// Required, not imported: through Node 20's ESM loader the 9 MB typescript.js is parsed twice more (its
// module format detected, its exports lexed), which doubles its load.
const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');

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

  it('takes readonly arrays wherever it only reads them: `as const` fixtures, services, message types', () => {
    // Type-level first (npm run typecheck): each of these was TS4104 with the mutable Binding[].
    const [type] = bindingTypes;
    const literal = {
      ...bindingFor({}),
      binding_type: type as BindingType,
      message_types: ['a', 'b'],
    } as const;
    const fixtures = [literal, bindingFor({ message_types: ['c'] as const })] as const;
    const services = [service] as const;
    const fake = createBindingsFake({ bindings: fixtures, services });
    expect(fake.bindings).toStrictEqual(fixtures);
    const frozen: readonly Binding[] = Object.freeze([bindingFor({})]);
    fake.bindings = frozen;
    expect(fake.bindings).toStrictEqual(frozen);
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

  it('answers a list of a malformed service SID with 404 too', async () => {
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

describe('the Conversation Services that exist', () => {
  /** A well-formed service SID other than the example's: its last hex digit changed. */
  const other = `${service.slice(0, -1)}${service.endsWith('0') ? '1' : '0'}`;
  const listOf = (chatServiceSid: string) => buildPath(listOp.path, { ChatServiceSid: chatServiceSid });

  it("answers a list of a service that does not exist with the contract's 404, counted as coverage", async () => {
    const { fake, send } = setUp();
    const response = await send(listOf(other));
    expect(response.status).toBe(statusOf('NotFound'));
    const body = await response.json();
    expect(body.code).toBe(errorExample('NotFound').code);
    expect(body.message).toContain(listOf(other));
    expect(conforms('ListServiceBinding', response.status, jsonType, body)).toBe(true);
    expect(fake.coverage().exercised[`ListServiceBinding status ${statusOf('NotFound')}`]).toBe(1);
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const walk = async () => {
      for await (const _ of client.listBindings({ chatServiceSid: other }));
    };
    await expect(walk()).rejects.toMatchObject({ name: 'ApiError', status: statusOf('NotFound') });
  });

  it('lists an empty page of a service it is told exists, and of the example service when it holds no binding', async () => {
    const told = setUp([]);
    expect((await told.send(listOf(service))).status).toBe(listOp.successStatus);
    const withServices = createBindingsFake({ bindings: [], services: [other] });
    const authorization = basicAuthorization(
      withServices.credentials.username,
      withServices.credentials.password,
    );
    const list = (sid: string) =>
      withServices.fetch(`${server}${listOf(sid)}`, { headers: { authorization } });
    const page = await list(other);
    expect(page.status).toBe(listOp.successStatus);
    expect((await page.json()).bindings).toEqual([]);
    // Told which services exist, the example's is no longer assumed.
    expect((await list(service)).status).toBe(statusOf('NotFound'));
  });

  it('a service exists while any binding is in it, and after: deleting bindings never deletes their service', async () => {
    const elsewhere = bindingFor({ chat_service_sid: other });
    const { fake, send } = setUp([elsewhere]);
    // Its bindings are all in another service: the example's does not exist.
    expect((await send(listOf(service))).status).toBe(statusOf('NotFound'));
    expect(
      (await send(bindingPath(other, elsewhere.sid as string), { method: deleteOp.method })).status,
    ).toBe(deleteOp.successStatus);
    expect((await send(listOf(other))).status).toBe(listOp.successStatus);
    fake.bindings = [bindingFor({ chat_service_sid: service })];
    expect((await send(listOf(other))).status).toBe(listOp.successStatus);
    expect((await send(listOf(service))).status).toBe(listOp.successStatus);
    fake.reset();
    expect((await send(listOf(service))).status).toBe(statusOf('NotFound'));
  });

  it('refuses a service that is no ChatServiceSid, naming it and the rule', () => {
    const bad = invalidSids('ChatServiceSid')['a wrong prefix'];
    expect(() => createBindingsFake({ services: [service, bad] })).toThrow(FixtureError);
    expect(() => createBindingsFake({ services: [service, bad] })).toThrow(
      `services[1]: expected ${parameterOf.ListServiceBinding.chatServiceSid.expected}, got "${bad}"`,
    );
    expect(() => createBindingsFake({ services: service as never })).toThrow(/^services must be an array/);
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

describe('Page, which the contract bounds below only', () => {
  /** Page as the contract states it: an integer with a minimum and no maximum. */
  const rule = parameterRules.Page as { type: string; minimum: number; maximum?: number };
  const past = String(2n ** 53n + 1n);

  it('is an integer with no maximum in the contract (what the tests below rest on)', () => {
    expect(rule.type).toBe('integer');
    expect(rule.maximum).toBeUndefined();
  });

  it.each([
    ['past the safe integers', past, true],
    ['with leading zeros', `000${past}`, true],
    // The JSON holds it; JSON.parse reads a number past 1.8e308 as Infinity, which is no integer.
    ['of 400 digits (past what JSON.parse reads)', `1${'0'.repeat(399)}`, false],
  ])(
    'takes a page index %s, and writes it back exactly (meta.page and every URL)',
    async (_what, value, parsed) => {
      const { send } = setUp();
      const response = await send(`${listPath}?${nameOf('page')}=${value}`);
      expect(response.status).toBe(listOp.successStatus);
      const text = await response.text();
      const page = JSON.parse(text);
      expect(conforms('ListServiceBinding', response.status, jsonType, page)).toBe(parsed);
      const digits = value.replace(/^0+/, '');
      // JSON.parse rounds the number: the text holds the digits.
      expect(text).toMatch(new RegExp(`"page":${digits}[,}]`));
      expect(new URL(page.meta.url).searchParams.get(nameOf('page'))).toBe(digits);
      const previous = String(BigInt(digits) - 1n);
      expect(new URL(page.meta.previous_page_url).searchParams.get(nameOf('page'))).toBe(previous);
      expect(page.bindings).toEqual([]);
    },
  );

  it('answers 400 only to a value that breaks the rule, and says the rule it breaks', async () => {
    const { send } = setUp();
    for (const value of [`-${past}`, `${rule.minimum - 1}`, '1.5', '1e2', 'x']) {
      const response = await send(`${listPath}?${nameOf('page')}=${value}`);
      expect(response.status, value).toBe(400);
      const body = await response.json();
      expect(body.message).toBe(
        `Invalid ${nameOf('page')}: expected ${parameterOf.ListServiceBinding.page.expected} in decimal digits`,
      );
    }
    // A page size past the safe integers breaks its maximum: the message says so, and it is true.
    const response = await send(`${listPath}?${nameOf('pageSize')}=${past}`);
    expect((await response.json()).message).toContain(parameterOf.ListServiceBinding.pageSize.expected);
  });

  it('steps it exactly in the next and previous pages of a page its token places', async () => {
    const { send } = setUp([bindingFor({}), bindingFor({}), bindingFor({})]);
    // A page index is "simply for client state": the token says where the page starts.
    const first = await (await send(`${listPath}?${nameOf('pageSize')}=1`)).json();
    const next = new URL(first.meta.next_page_url);
    next.searchParams.set(nameOf('page'), past);
    const second = await (await send(next.pathname + next.search)).json();
    expect(second.bindings).toHaveLength(1);
    const pageOf = (url: string) => new URL(url).searchParams.get(nameOf('page'));
    expect(pageOf(second.meta.next_page_url)).toBe(String(BigInt(past) + 1n));
    expect(pageOf(second.meta.previous_page_url)).toBe(String(BigInt(past) - 1n));
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
    // A path the contract does not have (answered 404, the cheapest answer: a 401 costs twice its time):
    // every request is logged, whatever it is answered.
    for (let i = 0; i < MAX_LOGGED_REQUESTS + 3; i++)
      await fake.fetch(`${server}/not-in-the-contract?n=${i}`);
    expect(fake.requests).toHaveLength(MAX_LOGGED_REQUESTS);
    expect(fake.requests[0]?.url).toBe('/not-in-the-contract?n=3');
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

  it('answers its own bug (an answer outside the contract) with a 500 that says so: never a dropped connection', async () => {
    const { fake, send } = setUp();
    // A fake whose fetch would answer a body its own contract refuses (a bug in the fake).
    vi.spyOn(handlers, 'FetchServiceBinding').mockReturnValue({
      operation: 'FetchServiceBinding',
      status: fetchOp.successStatus,
      body: { binding_type: valueNotIn(bindingTypes) },
      headers: { 'content-type': jsonType },
    });
    const response = await send(bindingPath(service, exampleSids.sid));
    expect(response.status).toBe(FAKE_FAILURE_STATUS);
    const body = await response.json();
    expect(conforms('FetchServiceBinding', response.status, jsonType, body)).toBe(true);
    expect(body.message).toMatch(`${FAKE_FAILURE}: its own answer breaks the contract: `);
    expect(body.message).toMatch(/body \/binding_type: must be one of the documented values/);
    expect(fake.requests.at(-1)?.status).toBe(FAKE_FAILURE_STATUS);
  });

  it('answers an error status in each media type the contract documents for it, each counted as coverage', async () => {
    for (const entry of entries) {
      const { id } = entry;
      const op = operationFacts[id];
      const { fake, send } = setUp();
      const types = Object.keys(responses[id].default.content);
      expect(types.length).toBeGreaterThan(1);
      // Each operation's own path, for its resource's example (from the registry).
      const resource = registeredResources.find((r) => r.schema === entry.resource);
      const path = pathFor(entry, exampleInstance(resource as (typeof registeredResources)[number]));
      for (const mediaType of types) {
        fake.inject({ status: 503, mediaType: mediaType as FaultMediaType });
        const response = await send(path, { method: op.method });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toBe(mediaType);
        const body = await response.json();
        expect(body.status).toBe(503);
        expect(conforms(id, 503, mediaType, body), `${id} ${mediaType}`).toBe(true);
        expect(JSON.stringify(body)).toContain(`(injected by the fake: inject({ status: 503`);
        expect(fake.coverage().exercised[`${id} default ${mediaType}`], `${id} ${mediaType}`).toBe(1);
      }
    }
  });

  it("refuses a media type the contract does not document for the fault's status, at inject", () => {
    const { fake } = setUp();
    const [json] = Object.keys(responses.FetchServiceBinding[statusOf('TooManyRequests')].content);
    const other = Object.keys(responses.FetchServiceBinding.default.content).find(
      (t) => t !== json,
    ) as string;
    const [first] = Object.keys(operationFacts);
    expect(() =>
      fake.inject({ status: statusOf('TooManyRequests'), mediaType: other as FaultMediaType }),
    ).toThrow(
      `inject: mediaType must be a media type ${first} documents for status ${statusOf('TooManyRequests')} (${json}), got "${other}"`,
    );
    // @ts-expect-error: a media type the contract documents for no error
    expect(() => fake.inject({ status: 503, mediaType: 'text/html' })).toThrow(/^inject: mediaType must be/);
  });

  it('alters an answer within the contract: a null sid and chat_service_sid reach the client, counted as coverage', async () => {
    const { fake } = setUp();
    const { chatServiceSid, sid } = parameterFields.FetchServiceBinding;
    fake.inject(
      { alter: (binding) => ({ ...binding, [sid]: null, [chatServiceSid]: null }) },
      { operation: 'FetchServiceBinding' },
    );
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const got = await client.fetchBinding(exampleSids);
    expect(got).toStrictEqual({ ...bindingExample, [sid]: null, [chatServiceSid]: null });
    for (const field of [sid, chatServiceSid])
      expect(fake.coverage().exercised[`ServiceBinding.${field} null`], field).toBe(1);
    // The fake itself still holds it by both.
    expect(await client.fetchBinding(exampleSids)).toStrictEqual(bindingExample);
  });

  it('awaits an async `alter` and `breakContract`: their bodies are what is answered (and only the altered one counts)', async () => {
    const { fake, send } = setUp();
    const { sid: field } = parameterFields.FetchServiceBinding;
    fake.inject({ alter: async (b) => ({ ...b, [field]: null }) }, { operation: 'FetchServiceBinding' });
    const path = bindingPath(exampleSids.chatServiceSid, exampleSids.sid);
    const altered = await send(path);
    expect(altered.status).toBe(fetchOp.successStatus);
    expect((await altered.json())[field]).toBeNull();
    expect(fake.coverage().exercised[`ServiceBinding.${field} null`]).toBe(1);
    fake.inject(
      { breakContract: async (b) => ({ ...b, [field]: 42 }) },
      { operation: 'FetchServiceBinding' },
    );
    expect((await (await send(path)).json())[field]).toBe(42);
  });

  it('alters a list page too, and sends an answer without a body (a delete) as it is', async () => {
    const { fake, send } = setUp();
    fake.inject(
      {
        alter: (page) => ({
          ...page,
          bindings: (page.bindings as Binding[]).map((b) => ({ ...b, identity: null })),
        }),
      },
      { operation: 'ListServiceBinding' },
    );
    const page = await (await send(listPath)).json();
    expect(page.bindings.length).toBeGreaterThan(0);
    expect(page.bindings.every((b: Binding) => b.identity === null)).toBe(true);
    const called = vi.fn((body: Record<string, unknown>) => body);
    fake.inject({ alter: called }, { operation: 'DeleteServiceBinding' });
    const deleted = await send(bindingPath(service, exampleSids.sid), { method: deleteOp.method });
    expect(deleted.status).toBe(deleteOp.successStatus);
    expect(called).not.toHaveBeenCalled();
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

describe('which requests a fault picks', () => {
  it('by operation: one of the contract operation ids, typed, and refused at inject when it is none', async () => {
    const { fake, send } = setUp();
    fake.inject({ status: 503 }, { operation: 'FetchServiceBinding', times: 2 });
    expect((await send(listPath)).status).toBe(listOp.successStatus);
    expect((await send(bindingPath(service, exampleSids.sid))).status).toBe(503);
    const typo = `${'ListServiceBinding' satisfies OperationId}s`;
    // @ts-expect-error: not an operation of the contract
    expect(() => fake.inject({ drop: true }, { operation: typo })).toThrow(
      `inject: operation must be one of the contract's operation ids (${Object.keys(operationFacts).join(', ')}), got "${typo}"`,
    );
    // The predicate's request is typed: comparing its operation with no operation id does not compile.
    // @ts-expect-error: no overlap between OperationId and the typo
    fake.inject({ drop: true }, { when: (r) => r.operation === 'ListServiceBindings' });
    expectTypeOf<FakeRequest['operation']>().toEqualTypeOf<OperationId | undefined>();
  });

  it.each([
    [
      'when given an operation id',
      { when: 'ListServiceBinding' },
      /^inject: when must be a function .*, got "ListServiceBinding" \(18 characters\); to pick an operation, give \{ operation: 'ListServiceBinding' \}$/,
    ],
    ['when given a string', { when: 'x' }, /^inject: when must be a function .*, got "x" \(1 characters\)$/],
    [
      'an async when',
      { when: async () => false },
      /^inject: when must be a synchronous function \(request\) => boolean, got an async function/,
    ],
    ['times given as text', { times: '2' }, /^inject: times must be an integer ≥ 1, got "2"/],
    ['times of 0', { times: 0 }, /^inject: times must be an integer ≥ 1, got number 0$/],
    [
      'options that are no object',
      'ListServiceBinding',
      /^inject: options must be an object \{ times\?, operation\?, when\? \}/,
    ],
  ])(
    'refuses %s at inject, naming the option and its form; nothing is armed',
    async (_what, options, message) => {
      const { fake, send } = setUp();
      expect(() => fake.inject({ status: 503 }, options as never)).toThrow(TypeError);
      expect(() => fake.inject({ status: 503 }, options as never)).toThrow(message);
      expect((await send(listPath)).status).toBe(listOp.successStatus);
    },
  );
});

describe('a failure of the fake, or of a function given to it, is an answer: never a dropped connection', () => {
  const boom = () => {
    throw new RangeError('boom');
  };
  const cases: [string, Fault, FaultOptions, string][] = [
    [
      'a `when` that throws',
      { status: 503 },
      { when: boom },
      'the `when` function given to inject threw "RangeError: boom"',
    ],
    [
      'a `before` that throws',
      { before: boom },
      {},
      'the `before` function given to inject threw "RangeError: boom"',
    ],
    [
      'a `before` that rejects',
      { before: async () => boom() },
      {},
      'the `before` function given to inject threw "RangeError: boom"',
    ],
    [
      'a `breakContract` that throws',
      { breakContract: boom },
      {},
      'the `breakContract` function given to inject threw "RangeError: boom"',
    ],
    [
      'a `breakContract` body with no JSON form',
      { breakContract: () => ({ big: 1n }) },
      {},
      'the body the `breakContract` function given to inject returned (as JSON) threw "TypeError: ',
    ],
    [
      'an `alter` that throws',
      { alter: boom },
      {},
      'the body the `alter` function given to inject returned threw "RangeError: boom"',
    ],
    [
      'an `alter` that rejects',
      { alter: async () => boom() },
      {},
      'the body the `alter` function given to inject returned threw "RangeError: boom"',
    ],
    [
      'a `breakContract` that rejects',
      { breakContract: async () => boom() },
      {},
      'the `breakContract` function given to inject threw "RangeError: boom"',
    ],
    [
      'a `when` that returns a rejected promise (no async function: not refused at inject)',
      { status: 503 },
      { when: (() => Promise.reject(new RangeError('boom'))) as never },
      'the `when` function given to inject returned a promise, not a boolean',
    ],
    [
      'a `when` that returns a string',
      { status: 503 },
      { when: (() => 'no') as never },
      'the `when` function given to inject returned "no" (2 characters), not a boolean',
    ],
    [
      'an `alter` body that breaks the contract',
      { alter: (b) => ({ ...b, binding_type: valueNotIn(bindingTypes) }) },
      {},
      'the body the `alter` function given to inject returned breaks the contract: body /binding_type: must be one of',
    ],
  ];

  it.each(cases)(
    '%s: the client gets an ApiError of the 500, its conforming body naming what failed',
    async (_what, fault, options, said) => {
      const { fake } = setUp();
      fake.inject(fault, options);
      const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
      const error = await client.fetchBinding(exampleSids).catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(FAKE_FAILURE_STATUS);
      expect(conforms('FetchServiceBinding', error.status, jsonType, error.body)).toBe(true);
      expect(error.body.message).toContain(`${FAKE_FAILURE}: ${said}`);
    },
  );

  it('a `when` that throws fails each request it is asked about, until the fault is cleared', async () => {
    const { fake, send } = setUp();
    fake.inject({ drop: true }, { when: boom });
    for (let i = 0; i < 3; i++) expect((await send(listPath)).status).toBe(FAKE_FAILURE_STATUS);
    fake.clearFaults();
    expect((await send(listPath)).status).toBe(listOp.successStatus);
  });

  it('quotes what threw bounded and escaped, and reads it guardedly (a message of a million characters, a Proxy)', async () => {
    const { fake, send } = setUp();
    const huge = `\u001b[2J\u202e${'x'.repeat(1_000_000)}`;
    fake.inject(
      { status: 503 },
      {
        when: () => {
          throw new Error(huge);
        },
      },
    );
    const message: string = (await (await send(listPath)).json()).message;
    expect(message.length).toBeLessThan(300);
    for (const raw of ['\u001b', '\u202e']) expect(message).not.toContain(raw);
    expect(message).toContain('\\u001b[2J\\u202e');
    fake.clearFaults();
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trapped');
        },
      },
    );
    fake.inject(
      { status: 503 },
      {
        when: () => {
          throw trap;
        },
      },
    );
    expect((await (await send(listPath)).json()).message).toBe(
      `${FAKE_FAILURE}: the \`when\` function given to inject threw an object`,
    );
  });
});

describe('every operation of the registry, answered by its entry: no line per operation', () => {
  const authorized = (fake: ReturnType<typeof createBindingsFake>) => {
    const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
    return (path: string, method = 'GET') =>
      fake.fetch(`${server}${path}`, { method, headers: { authorization } });
  };

  it.each(registeredResources.map((r) => [r.schema, r] as const))(
    "%s: with no fixtures it holds the contract's example, listed, fetched, then deleted for good",
    async (_name, resource) => {
      const fake = createBindingsFake();
      const send = authorized(fake);
      const example = exampleInstance(resource);
      const [list, fetch, remove] = (['list', 'fetch', 'delete'] as const).map((a) => entryOf(resource, a));
      const listed = async () => {
        if (!list) return [];
        const response = await send(pathFor(list, example));
        expect(response.status).toBe(list.success.status);
        return (await response.json())[list.list?.key ?? ''] as unknown[];
      };
      expect(await listed()).toContainEqual(example);
      if (fetch) expect(await (await send(pathFor(fetch, example))).json()).toStrictEqual(example);
      expect(fake.resource(resource.schema as never).instances).toContainEqual(example);
      if (!remove) return;
      expect((await send(pathFor(remove, example), remove.method)).status).toBe(remove.success.status);
      for (const entry of [fetch, remove].filter((e) => e !== undefined))
        expect((await send(pathFor(entry, example), entry.method)).status).toBe(statusOf('NotFound'));
      expect(await listed()).not.toContainEqual(example);
      for (const entry of entries.filter((e) => e.resource === resource.schema))
        expect(
          fake.coverage().exercised[`${entry.id} status ${entry.success.status}`],
          entry.id,
        ).toBeGreaterThan(0);
    },
  );

  it('names no operation of the contract in its code, and a resource only in the 1.x Binding helpers', () => {
    const dir = new URL('../../src/testing/', import.meta.url);
    const binding = new Set(['fixtures.ts', 'arbitraries.ts']);
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = ts.createSourceFile(
        file,
        readFileSync(new URL(file, dir), 'utf8'),
        ts.ScriptTarget.Latest,
      );
      // Identifiers and string literals: what the code says, not its comments.
      const said: string[] = [];
      const visit = (node: import('typescript').Node) => {
        if (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) said.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      const names = [
        ...entries.map((e) => e.id),
        ...(binding.has(file) ? [] : registeredResources.map((r) => r.schema)),
      ];
      for (const name of names) if (said.some((text) => text.includes(name))) found.push(`${file}: ${name}`);
    }
    expect(found).toEqual([]);
    // What answers each operation is its registry entry's action, one handler made per entry.
    expect(Object.keys(handlers).sort()).toEqual(entries.map((e) => e.id).sort());
  });

  it('seeds, reads, replaces and removes any resource by its component schema', async () => {
    const [a, b] = [bindingFor({ identity: 'a' }), bindingFor({ identity: 'b' })];
    const fake = createBindingsFake({ resources: { ServiceBinding: [a, b] } });
    expect(fake.bindings).toStrictEqual([a, b]);
    const held = fake.resource('ServiceBinding');
    expectTypeOf(held.instances).toEqualTypeOf<Binding[]>();
    expect(held.instances).toStrictEqual([a, b]);
    expect(held.remove(a.sid as string)).toBe(true);
    expect(fake.bindings).toStrictEqual([b]);
    held.instances = [a];
    expect(fake.bindings).toStrictEqual([a]);
    expect(() => {
      held.instances = [{ ...a, binding_type: valueNotIn(bindingTypes) as never }];
    }).toThrow(/^bindings\[0\]\/binding_type: /);
    fake.reset();
    expect(fake.resource('ServiceBinding').instances).toStrictEqual([a, b]);
    // A `before` fault reaches it too.
    fake.inject({ before: (state) => void state.resource('ServiceBinding').remove(b.sid as string) });
    expect((await authorized(fake)(bindingPath(service, b.sid as string))).status).toBe(statusOf('NotFound'));
  });

  it('checks every resource’s fixtures and parents by the contract, naming the option, index, field and rule', () => {
    const wrong = { ...bindingFor(), binding_type: valueNotIn(bindingTypes) } as never;
    expect(() => createBindingsFake({ resources: { ServiceBinding: [bindingFor(), wrong] } })).toThrow(
      /^resources\.ServiceBinding\[1\]\/binding_type: must be one of/,
    );
    const bad = invalidSids('ChatServiceSid')['a wrong prefix'];
    const { key, expected } = { key: listOp.parameters[0].key, expected: listOp.parameters[0].expected };
    expect(() => createBindingsFake({ parents: { ServiceBinding: [{ [key]: bad } as never] } })).toThrow(
      `parents.ServiceBinding[0].${key}: expected ${expected}, got "${bad}"`,
    );
    // @ts-expect-error: not a resource of the contract
    expect(() => createBindingsFake({ resources: { Bindings: [] } })).toThrow(
      `resources: expected one of the contract's resources (${registeredResources.map((r) => r.schema).join(', ')}), got "Bindings"`,
    );
    // @ts-expect-error: not a resource of the contract
    expect(() => createBindingsFake().resource('Binding')).toThrow(TypeError);
    expect(() => createBindingsFake({ bindings: [], resources: { ServiceBinding: [] } })).toThrow(
      FixtureError,
    );
    expect(() => createBindingsFake({ services: [service], parents: { ServiceBinding: [] } })).toThrow(
      FixtureError,
    );
  });

  it('a parent named in `parents` exists: its list is an empty page, any other is the contract’s 404', async () => {
    const other = `${service.slice(0, -1)}${service.endsWith('0') ? '1' : '0'}`;
    const [parent] = listOp.parameters;
    const fake = createBindingsFake({
      bindings: [],
      parents: { ServiceBinding: [{ [parent.key]: other } as never] },
    });
    const send = authorized(fake);
    const page = await send(buildPath(listOp.path, { [parent.name]: other }));
    expect(page.status).toBe(listOp.successStatus);
    expect((await page.json()).bindings).toEqual([]);
    expect((await send(listPath)).status).toBe(statusOf('NotFound'));
  });
});

describe('list filters, from the registry: each parameter is a field of the resource', () => {
  const entry = entries.find((e) => e.action === 'list') as (typeof entries)[number];
  const model = listModelOf(entry.id) as NonNullable<ReturnType<typeof listModelOf>>;
  const example = bindingExample as Record<string, unknown>;
  /** The fields the registry ties to a parameter of the resource (its SID, its parents, its filters). */
  const tied = new Set(
    entries
      .filter((e) => e.resource === entry.resource)
      .flatMap((e) => [e.sid, ...e.parents, ...(e.list?.filters ?? [])].map((p) => p?.field)),
  );
  const unfiltered = (type: string) =>
    Object.keys(example).find((k) => typeof example[k] === type && !tied.has(k));
  const scalarField = unfiltered('string') as string;
  const arrayField = Object.keys(example).find((k) => Array.isArray(example[k])) as string;
  /** The SIDs listed when a filter `x` on `field` asks for `value`. */
  function listed(field: string, array: boolean, value: unknown, instances: Binding[]) {
    const filtered = { ...model, filters: [{ name: 'X', key: 'x', field, array }] };
    const store = new InstanceStore(
      instances.map((instance) => ({ sid: String(instance.sid), parent: '', instance })),
    );
    const page = listPage(filtered, store as never, {
      path: { [listOp.parameters[0].name]: service },
      params: { x: value },
      parent: '',
    });
    return { sids: (page[model.key] as Binding[]).map((b) => b.sid), url: String(page.meta.url) };
  }

  /** Instances holding these values in a field (not checked: the list reads what the store holds). */
  const holding = (field: string, values: unknown[]) =>
    values.map((value, i) => ({ ...nthBinding(i), [field]: value }) as Binding);

  it('a scalar filter keeps the instances whose field equals its value, and stays on the page URLs', () => {
    const held = holding(scalarField, ['one', 'two']);
    const { sids, url } = listed(scalarField, false, 'two', held);
    expect(sids).toEqual([held[1]?.sid]);
    expect(new URL(url).searchParams.getAll('X')).toEqual(['two']);
  });

  it('an array filter keeps those whose field is any of its values; a field holding an array, any of its items', () => {
    const held = holding(scalarField, ['one', 'two', 'three']);
    expect(listed(scalarField, true, ['one', 'three'], held).sids).toEqual([held[0]?.sid, held[2]?.sid]);
    const arrays = holding(arrayField, [['p', 'q'], ['r'], null]);
    expect(listed(arrayField, true, ['q'], arrays).sids).toEqual([arrays[0]?.sid]);
    expect(listed(arrayField, false, 'r', arrays).sids).toEqual([arrays[1]?.sid]);
    expect(listed(arrayField, false, 'null', arrays).sids).toEqual([]);
  });
});

describe('the judgement of an answer (conformance)', () => {
  it('counts every violation in its "and N more", the locations past the errors a validator keeps too', () => {
    const list = entries.find((e) => e.action === 'list') as (typeof entries)[number];
    const key = list.list?.key ?? '';
    const resource = registeredResources.find((r) => r.schema === list.resource);
    const sidField = entryOf(resource as (typeof registeredResources)[number], 'fetch')?.sid?.field ?? '';
    const page = successExample(list) as Record<string, unknown[]>;
    // Each item's SID a number: one violation per item, more items than the validator keeps errors of.
    const items = Array.from({ length: 150 }, () => ({ ...(page[key]?.[0] as object), [sidField]: 42 }));
    const problems = conformance({
      operation: list.id,
      status: list.success.status,
      contentType: list.success.mediaType ?? '',
      headers: { has: () => true },
      body: { ...page, [key]: items },
    });
    expect(problems.filter((p) => p.startsWith(`body /${key}/`))).toHaveLength(MAX_BODY_PROBLEMS);
    expect(problems.at(-1)).toBe(`body: and ${items.length - MAX_BODY_PROBLEMS} more violations`);
  });
});
