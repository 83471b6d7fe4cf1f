// The drill (npm run test:drill), in a scratch copy whose contract has the push credentials added: the
// client's generated methods fetchCredential, listCredentials (walked and page by page) and
// deleteCredential, typed by the contract, against the in-process fake, through the one requester that
// checks parameters, validates answers and reports as for bindings: no line of src/ was written for them.
import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/registry.js';
import type { components } from '../../generated/schema.js';
import {
  ApiError,
  type BindingsClient,
  ContractViolationError,
  createBindingsClient,
  InvalidParameterError,
  type OperationId,
} from '../../src/client/index.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { type Entry, exampleInstance } from '../support/registry.ts';
import { credential, deleteOp, fetchOp, listOp } from './credentials.ts';

/** What the client takes of an operation's registry entry: its methods' names and its SID's rule. */
interface Named {
  methodName: string;
  pageMethodName: string | null;
  sid: { key: string; field: string | null; pattern: string | null } | null;
}
const named = (entry: Entry) => (operationRegistry as unknown as Record<string, Named>)[entry.id] as Named;
const example = exampleInstance(credential);
const sid = named(fetchOp).sid ?? { key: '', field: '', pattern: null };
const key = listOp.list?.key ?? '';
/** The example credential as the i-th of several: its SID's last digits replaced (digits keep a hex pattern). */
const nth = (i: number) => ({
  ...example,
  [sid.field ?? '']: String(example[sid.field ?? '']).slice(0, -8) + String(i).padStart(8, '0'),
});
/** The path parameters addressing a credential, by the registry's keys and fields. */
const paramsOf = (instance: Record<string, unknown>) => ({ [sid.key]: instance[sid.field ?? ''] });

// On the drill's contract each method is typed by it: its parameters, its resource, its page (on the
// bare contract, where there is no Credential, this holds trivially; this file compiles on both).
type Credential = components['schemas'] extends { Credential: infer C } ? C : never;
type Typed = [Credential] extends [never]
  ? true
  : BindingsClient extends {
        fetchCredential: (params: { sid: string }) => Promise<Credential>;
        deleteCredential: (params: { sid: string }) => Promise<void>;
        listCredentials: (
          params: { pageSize?: number },
          options: { limit?: number },
        ) => AsyncIterable<Credential>;
        fetchCredentialsPage: (params: { pageSize?: number }) => Promise<{
          credentials: Credential[];
          next: () => Promise<{ credentials: Credential[] } | undefined>;
        }>;
      }
    ? true
    : false;
const typed: Typed = true;

/** The credential methods as this file calls them on both contracts (the drill's types them: see Typed). */
interface CredentialMethods {
  fetchCredential(params: object): Promise<Record<string, unknown>>;
  deleteCredential(params: object): Promise<void>;
  listCredentials(params: object, options?: { limit?: number }): AsyncIterable<Record<string, unknown>>;
  fetchCredentialsPage(params: object): Promise<Page>;
}
type Page = Record<string, unknown> & { next(): Promise<Page | undefined> };

function setUp(options: Parameters<typeof createBindingsFake>[0] = {}) {
  const fake = createBindingsFake(options);
  const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
  return { fake, client, credentials: client as unknown as CredentialMethods };
}

describe('the client, on a contract with the push credentials added', () => {
  it('has the methods the registry names, typed by the contract', () => {
    const { client } = setUp();
    expect(typed).toBe(true);
    const names = [
      named(fetchOp).methodName,
      named(deleteOp).methodName,
      named(listOp).methodName,
      named(listOp).pageMethodName,
    ];
    for (const name of names)
      expect(typeof (client as unknown as Record<string, unknown>)[String(name)], String(name)).toBe(
        'function',
      );
    expect(names).toEqual(['fetchCredential', 'deleteCredential', 'listCredentials', 'fetchCredentialsPage']);
  });

  it('fetchCredential resolves to the credential, validated by its schema', async () => {
    const { credentials, fake } = setUp();
    expect(await credentials.fetchCredential(paramsOf(example))).toStrictEqual(example);
    expect(fake.requests.map((r) => r.operation)).toEqual([fetchOp.id]);
  });

  it('listCredentials walks every page as the caller iterates, and stops at its limit', async () => {
    const held = Array.from({ length: 5 }, (_, i) => nth(i));
    const { credentials, fake } = setUp({ resources: { [credential.schema]: held } as never });
    const all: unknown[] = [];
    for await (const item of credentials.listCredentials({ pageSize: 2 })) all.push(item);
    expect(all).toStrictEqual(held);
    expect(fake.requests.length).toBe(3);
    fake.clearRequests();
    const some: unknown[] = [];
    for await (const item of credentials.listCredentials({}, { limit: 3 })) some.push(item);
    expect(some).toStrictEqual(held.slice(0, 3));
    // A small limit asks for a page of that size: one request.
    expect(fake.requests.length).toBe(1);
  });

  it('fetchCredentialsPage gives one page under the list key, and next() the following ones', async () => {
    const held = Array.from({ length: 3 }, (_, i) => nth(i));
    const { credentials } = setUp({ resources: { [credential.schema]: held } as never });
    const first = await credentials.fetchCredentialsPage({ pageSize: 2 });
    expect(first[key]).toStrictEqual(held.slice(0, 2));
    const second = await first.next();
    expect(second?.[key]).toStrictEqual(held.slice(2));
    expect(await second?.next()).toBeUndefined();
  });

  it('deleteCredential resolves once it is gone; a fetch of it is then the ApiError 404', async () => {
    const { credentials } = setUp();
    await expect(credentials.deleteCredential(paramsOf(example))).resolves.toBeUndefined();
    const error = await credentials.fetchCredential(paramsOf(example)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
  });

  it('refuses a SID its pattern refuses before sending anything, naming the parameter and the rule', async () => {
    const { credentials, fake } = setUp();
    const pattern = new RegExp(sid.pattern ?? '');
    const good = String(example[sid.field ?? '']);
    const bad = good.slice(0, -1);
    expect([pattern.test(good), pattern.test(bad)]).toEqual([true, false]);
    for (const call of [credentials.fetchCredential, credentials.deleteCredential]) {
      const error = await call({ [sid.key]: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).parameter).toBe(sid.key);
      expect((error as InvalidParameterError).expected).toContain(sid.pattern);
      expect((error as Error).message).toContain(JSON.stringify(bad));
    }
    expect(fake.requests).toEqual([]);
  });

  it('a credential off its schema is a ContractViolationError naming the field; report mode returns it', async () => {
    const field = sid.field ?? '';
    const broken = (body: Record<string, unknown>) => ({ ...body, [field]: 42 });
    const { credentials, fake } = setUp();
    fake.inject({ breakContract: broken }, { operation: fetchOp.id as string as OperationId });
    const error = await credentials.fetchCredential(paramsOf(example)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).violations.map((v) => v.path)).toEqual([`/${field}`]);
    const reported: ContractViolationError[] = [];
    const tolerant = createBindingsClient({
      ...fake.credentials,
      fetch: fake.fetch,
      validateResponse: 'report',
      onViolation: (e) => void reported.push(e),
    }) as unknown as CredentialMethods;
    fake.inject({ breakContract: broken }, { operation: fetchOp.id as string as OperationId });
    expect((await tolerant.fetchCredential(paramsOf(example)))[field]).toBe(42);
    expect(reported.map((e) => e.violations[0]?.path)).toEqual([`/${field}`]);
  });
});
