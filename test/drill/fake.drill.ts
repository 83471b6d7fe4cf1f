// The drill (npm run test:drill), in a scratch copy whose contract has the push credentials added: the fake
// holds, fetches, lists (page by page, filtered by whatever the registry says filters them) and deletes
// credentials, with faults, coverage and MSW, from the registry alone: no line of src/ was written for them.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { server } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import type { OperationId } from '../../src/client/index.ts';
import { createBindingsFake, FixtureError } from '../../src/testing/index.ts';
import { bindingsHandlers } from '../../src/testing/msw.ts';
import { exampleInstance, pathFor } from '../support/registry.ts';
import { credential, deleteOp, fetchOp, listOp } from './credentials.ts';

const example = exampleInstance(credential);
const sidField = fetchOp.sid?.field ?? '';
/** The example credential as the i-th of several: its SID's last digits replaced (digits keep a hex pattern). */
const nth = (i: number) => ({
  ...example,
  [sidField]: String(example[sidField]).slice(0, -8) + String(i).padStart(8, '0'),
});
/** A credential's resource as the fake's typed API takes it (this file also compiles against the bare contract). */
const resource = credential.schema as never;

function setUp(options: Parameters<typeof createBindingsFake>[0] = {}) {
  const fake = createBindingsFake(options);
  const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
  const send = (path: string, method = 'GET') =>
    fake.fetch(`${server}${path}`, { method, headers: { authorization } });
  return { fake, send };
}

describe('the fake, on a contract with the push credentials added', () => {
  it("holds the contract's example credential: fetched, listed, then deleted for good", async () => {
    const { fake, send } = setUp();
    const fetched = await send(pathFor(fetchOp, example));
    expect(fetched.status).toBe(fetchOp.success.status);
    expect(await fetched.json()).toStrictEqual(example);
    expect((await (await send(pathFor(listOp, example))).json())[listOp.list?.key ?? '']).toStrictEqual([
      example,
    ]);
    expect((await send(pathFor(deleteOp, example), deleteOp.method)).status).toBe(deleteOp.success.status);
    expect((await send(pathFor(fetchOp, example))).status).toBe(404);
    expect((await send(pathFor(deleteOp, example), deleteOp.method)).status).toBe(404);
    expect((await (await send(pathFor(listOp, example))).json())[listOp.list?.key ?? '']).toStrictEqual([]);
    expect(fake.resource(resource).instances).toStrictEqual([]);
    fake.reset();
    expect(fake.resource(resource).instances).toStrictEqual([example]);
  });

  it('lists credentials it is given page by page, with absolute page URLs on the server that carry the page token', async () => {
    const held = Array.from({ length: 5 }, (_, i) => nth(i));
    const { send } = setUp({ resources: { [credential.schema]: held } as never });
    const size = listOp.list?.paging.find((p) => p.field === 'page_size')?.name as string;
    let next: string | null = `${pathFor(listOp, example)}?${size}=2`;
    const pages: { items: unknown[]; meta: Record<string, unknown> }[] = [];
    while (next) {
      const response = await send(next);
      expect(response.status).toBe(listOp.success.status);
      const body = await response.json();
      pages.push({ items: body[listOp.list?.key ?? ''], meta: body.meta });
      next = body.meta.next_page_url === null ? null : String(body.meta.next_page_url).slice(server.length);
    }
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.items)).toStrictEqual(held);
    const token = listOp.list?.paging.find((p) => p.field === null)?.name as string;
    for (const { meta } of pages) {
      expect(String(meta.url).startsWith(`${server}${pathFor(listOp, example)}?`)).toBe(true);
      expect(meta.key).toBe(listOp.list?.key);
    }
    expect(new URL(String(pages[1]?.meta.url)).searchParams.has(token)).toBe(true);
    expect(pages[1]?.meta.previous_page_url).toBe(pages[0]?.meta.url);
  });

  it('filters a credential list by each filter the registry gives it', async () => {
    const held = [nth(0), nth(1)];
    const { send } = setUp({ resources: { [credential.schema]: held } as never });
    for (const filter of listOp.list?.filters ?? []) {
      const value = String(held[1]?.[filter.field ?? '']);
      const page = await (
        await send(`${pathFor(listOp, example)}?${filter.name}=${encodeURIComponent(value)}`)
      ).json();
      for (const item of page[listOp.list?.key ?? '']) expect(String(item[filter.field ?? ''])).toBe(value);
    }
  });

  it('checks credential fixtures against the Credential schema, naming the option, index and field', () => {
    const wrong = { ...nth(1), [sidField]: `x${String(example[sidField]).slice(1)}` };
    expect(() =>
      createBindingsFake({ resources: { [credential.schema]: [nth(0), wrong] } as never }),
    ).toThrow(FixtureError);
    expect(() =>
      createBindingsFake({ resources: { [credential.schema]: [nth(0), wrong] } as never }),
    ).toThrow(`resources.${credential.schema}[1]/${sidField}: `);
  });

  it('faults pick a credential operation by its id; coverage counts its outcomes; a before fault removes one', async () => {
    const { fake, send } = setUp();
    fake.inject({ status: 503 }, { operation: fetchOp.id as string as OperationId });
    expect((await send(pathFor(listOp, example))).status).toBe(listOp.success.status);
    expect((await send(pathFor(fetchOp, example))).status).toBe(503);
    fake.inject({ before: (state) => void state.resource(resource).remove(String(example[sidField])) });
    expect((await send(pathFor(fetchOp, example))).status).toBe(404);
    const exercised = fake.coverage().exercised;
    for (const item of [
      `${listOp.id} status ${listOp.success.status}`,
      `${fetchOp.id} status default`,
      `${fetchOp.id} status 404`,
    ])
      expect(exercised[item], item).toBeGreaterThan(0);
    expect(fake.requests.map((r) => r.operation)).toEqual([listOp.id, fetchOp.id, fetchOp.id]);
  });

  it('answers an undocumented method 405 and an unknown path 404 under the credentials, never a crash', async () => {
    const { send } = setUp();
    const answer = await send(pathFor(listOp, example), 'POST');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(listOp.method);
    expect((await send(`${pathFor(fetchOp, example)}/more`)).status).toBe(404);
  });
});

describe('the MSW handlers, on a contract with the push credentials added', () => {
  const fake = createBindingsFake();
  const msw = setupServer(...bindingsHandlers(fake));
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => msw.close());

  it('answer the credential paths through the global fetch', async () => {
    const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
    const answer = await fetch(`${server}${pathFor(fetchOp, example)}`, { headers: { authorization } });
    expect(answer.status).toBe(fetchOp.success.status);
    expect(fake.requests.at(-1)?.operation).toBe(fetchOp.id);
  });
});
