// The fake against the independent reference: for every documented example request (and every documented
// error status Prism can be asked for), the fake answers what Prism answers: status, media type, body.
// Where they differ by design (the fake is stateful and checks credentials; Prism serves examples), each
// difference has its own test that names it.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  operationFacts,
  parameterExamples,
  parameterOf,
  responses,
  server,
  statusOfResponse,
} from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { buildPath } from '../../src/client/url.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { invalidSids, listPath, statusOf } from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

type Id = keyof typeof operationFacts;
const prismUrl = inject('prismUrl');
const operations = Object.entries(operationFacts) as [Id, (typeof operationFacts)[Id]][];
/** The operation's path with the contract's example parameters. */
const examplePath = (id: Id) =>
  buildPath(operationFacts[id].path, parameterExamples as unknown as Record<string, string>);

interface Seen {
  status: number;
  type: string | null;
  body: unknown;
  retryAfter: string | null;
}
async function seen(response: Response, id: Id): Promise<Seen> {
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : undefined,
    retryAfter: response.headers.get(operationFacts[id].retryAfter?.header ?? 'retry-after'),
  };
}

/** The same request to Prism and to a fresh fake (made by `fake`), each answer read whole. */
async function both(
  id: Id,
  path: string,
  headers: (credentials: { username: string; password: string }) => Record<string, string>,
  prepare: (fake: ReturnType<typeof createBindingsFake>) => void = () => {},
  prismHeaders: Record<string, string> = {},
) {
  const fake = createBindingsFake();
  prepare(fake);
  const init = (extra: Record<string, string>) => ({
    method: operationFacts[id].method,
    headers: { ...headers(fake.credentials), ...extra },
  });
  const [fromPrism, fromFake] = await Promise.all([
    fetch(`${prismUrl}${path}`, init(prismHeaders)).then((r) => seen(r, id)),
    fake.fetch(`${server}${path}`, init({})).then((r) => seen(r, id)),
  ]);
  return { fromPrism, fromFake, fake };
}
const valid = ({ username, password }: { username: string; password: string }) => ({
  authorization: basicAuthorization(username, password),
});

// The suite's Prism is spawned, not awaited, by the global setup: wait for it here.
beforeAll(prismReady, 35_000);

describe('the fake answers as Prism does', () => {
  it.each(operations.map(([id]) => id))('%s: the documented example request', async (id) => {
    const { fromPrism, fromFake } = await both(id, examplePath(id), valid);
    expect(fromFake).toStrictEqual(fromPrism);
  });

  it.each(operations.map(([id]) => id))('%s: no credentials (the documented 401)', async (id) => {
    const { fromPrism, fromFake } = await both(id, examplePath(id), () => ({}));
    expect(fromPrism.status).toBe(statusOf('Unauthorized'));
    expect(fromFake).toStrictEqual(fromPrism);
  });

  const itemOperations = operations.filter(([, op]) => op.path.endsWith('}')).map(([id]) => id);
  it.each(itemOperations)('%s: a binding it does not hold (the documented 404)', async (id) => {
    const { fromPrism, fromFake } = await both(
      id,
      examplePath(id),
      valid,
      (fake) => {
        fake.bindings = [];
      },
      { prefer: `code=${statusOfResponse.NotFound}` },
    );
    expect(fromPrism.status).toBe(statusOf('NotFound'));
    expect(fromFake).toStrictEqual(fromPrism);
  });

  it.each(operations.filter(([id]) => statusOfResponse.TooManyRequests in responses[id]).map(([id]) => id))(
    '%s: rate limited (the documented 429, with its Retry-After)',
    async (id) => {
      const { fromPrism, fromFake } = await both(
        id,
        examplePath(id),
        valid,
        (fake) => fake.inject({ status: statusOf('TooManyRequests') }),
        { prefer: `code=${statusOfResponse.TooManyRequests}` },
      );
      expect(fromPrism.retryAfter).not.toBeNull();
      // The same answer, but for its message, which says the fake injected it.
      const { message, ...rest } = fromFake.body as { message: string };
      const { message: said, ...prism } = fromPrism.body as { message: string };
      expect(message).toBe(`${said} (injected by the fake: inject({ status: ${fromFake.status} }))`);
      expect({ ...fromFake, body: rest }).toStrictEqual({ ...fromPrism, body: prism });
    },
  );
});

describe('where the fake differs from Prism by design', () => {
  const fetchPath = examplePath('FetchServiceBinding');

  it('an unknown binding: the fake holds state and answers 404; Prism serves the example', async () => {
    const unknown = buildPath(operationFacts.FetchServiceBinding.path, {
      ChatServiceSid: parameterExamples.ChatServiceSid,
      Sid: bindingFor().sid as string,
    });
    const { fromPrism, fromFake } = await both('FetchServiceBinding', unknown, valid);
    expect(fromFake.status).toBe(statusOf('NotFound'));
    expect(fromPrism.status).toBe(operationFacts.FetchServiceBinding.successStatus);
  });

  it('a deleted binding: the fake answers 404 ever after; Prism, being stateless, serves it again', async () => {
    const { fromPrism, fromFake } = await both('FetchServiceBinding', fetchPath, valid, (fake) => {
      fake.bindings = fake.bindings.filter((b) => b.sid !== parameterExamples.Sid);
    });
    expect(fromFake.status).toBe(statusOf('NotFound'));
    expect(fromPrism.status).toBe(operationFacts.FetchServiceBinding.successStatus);
  });

  it('wrong credentials: the fake checks them (401); Prism accepts any well-formed Basic credentials', async () => {
    const wrong = ({ username, password }: { username: string; password: string }) => ({
      authorization: basicAuthorization(username, `${password}-not`),
    });
    const { fromPrism, fromFake } = await both('FetchServiceBinding', fetchPath, wrong);
    expect(fromFake.status).toBe(statusOf('Unauthorized'));
    expect(fromPrism.status).toBe(operationFacts.FetchServiceBinding.successStatus);
  });

  it('a malformed SID: the fake answers 404 as the provider does; Prism answers its own 422', async () => {
    const bad = buildPath(operationFacts.FetchServiceBinding.path, {
      ChatServiceSid: parameterExamples.ChatServiceSid,
      Sid: invalidSids('Sid')['a wrong prefix'],
    });
    const { fromPrism, fromFake } = await both('FetchServiceBinding', bad, valid);
    expect(fromFake.status).toBe(statusOf('NotFound'));
    expect(fromPrism.status).toBe(422);
  });

  it('a query parameter outside its rule: the fake answers 400 as the provider does; Prism answers 422', async () => {
    const pageSize = parameterOf.ListServiceBinding.pageSize;
    const { fromPrism, fromFake } = await both(
      'ListServiceBinding',
      `${listPath}?${pageSize?.name}=0`,
      valid,
    );
    expect(fromFake.status).toBe(400);
    expect(fromPrism.status).toBe(422);
  });

  it("a service that does not exist: the fake answers the contract's 404; Prism lists the example's bindings", async () => {
    const other = buildPath(operationFacts.ListServiceBinding.path, {
      ChatServiceSid: `${parameterExamples.ChatServiceSid.slice(0, -1)}0`,
    });
    const { fromPrism, fromFake } = await both('ListServiceBinding', other, valid);
    expect(fromFake.status).toBe(statusOf('NotFound'));
    expect((fromPrism.body as { bindings: unknown[] }).bindings.length).toBeGreaterThan(0);
    // Asked for its 404, Prism answers the same status, media type and error code; its message is the example's.
    const asked = await both('ListServiceBinding', other, valid, () => {}, {
      prefer: `code=${statusOfResponse.NotFound}`,
    });
    const { message: _fake, ...fake } = asked.fromFake.body as { message: string };
    const { message: _prism, ...prism } = asked.fromPrism.body as { message: string };
    expect({ ...asked.fromFake, body: fake }).toStrictEqual({ ...asked.fromPrism, body: prism });
  });

  it.each([
    ['an undocumented method', { method: 'PUT' }, 405],
    ['an Accept that excludes JSON', { accept: 'application/xml' }, 406],
  ])(
    '%s: the same status, but the fake answers in the contract (a TwilioError), Prism with its own problem+json',
    async (_what, change, status) => {
      const fake = createBindingsFake();
      const { method = 'GET', ...headers } = change as { method?: string; accept?: string };
      const init = { method, headers: { ...valid(fake.credentials), ...headers } };
      const [fromPrism, fromFake] = await Promise.all([
        fetch(`${prismUrl}${fetchPath}`, init).then((r) => seen(r, 'FetchServiceBinding')),
        fake.fetch(`${server}${fetchPath}`, init).then((r) => seen(r, 'FetchServiceBinding')),
      ]);
      expect([fromFake.status, fromPrism.status]).toEqual([status, status]);
      const [jsonType] = Object.keys(responses.FetchServiceBinding.default.content);
      expect(fromFake.type).toBe(jsonType);
      expect(fromPrism.type).not.toBe(fromFake.type);
    },
  );
});
