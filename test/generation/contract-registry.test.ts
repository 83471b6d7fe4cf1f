// The contract model and its registry (scripts/contract-model.ts, scripts/contract-registry.ts): every
// operation placed by what the contract says, keyed by operation and component (never by file order or a
// parameter's name), a second resource family placed with nothing of the Binding written for it, and
// every operation it cannot place refused by name.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../scripts/bundle-spec.ts';
import {
  ContractModelError,
  camelName,
  operationsOf,
  resolveRef,
  snakeName,
} from '../../scripts/contract-model.ts';
import { type Registry, registryOf } from '../../scripts/contract-registry.ts';
import { generate } from '../../scripts/generate.ts';
import { createBindingsClient } from '../../src/client/index.ts';

const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;
const contract = () => read(new URL('../../generated/openapi.json', import.meta.url));
/** The provider's push credentials (twilio-oai, test/fixtures/provider/README.md names the source). */
const credentials = () =>
  read(new URL('../fixtures/provider/twilio_conversations_v1.credentials.json', import.meta.url));

/** The registry without the resolved schemas: what a generated file would hold. */
const facts = (registry: Registry) =>
  registry.operations.map(({ success: { node: _node, ...success }, ...op }) => ({ ...op, success }));

describe('the one naming rule', () => {
  it.each([
    ['ChatServiceSid', 'chatServiceSid', 'chat_service_sid'],
    ['PageSize', 'pageSize', 'page_size'],
    ['page_size', 'pageSize', 'page_size'],
    ['conversations.v1.credential', 'conversationsV1Credential', 'conversations_v1_credential'],
    ['Sid', 'sid', 'sid'],
  ])('%s is %s in code and %s in a body', (given, camel, snake) => {
    expect(camelName(given)).toBe(camel);
    expect(snakeName(given)).toBe(snake);
  });
});

describe('the one $ref resolver', () => {
  const spec = {
    paths: {},
    components: {
      schemas: {
        'a/b': { $ref: '#/components/schemas/c~d' },
        'c~d': { type: 'string' },
        loop: { $ref: '#/components/schemas/loop' },
      },
    },
  } as unknown as OpenApiDocument;
  it('follows a chain of references, with RFC 6901 escapes', () => {
    expect(resolveRef(spec, '#/components/schemas/a~1b')).toEqual({ type: 'string' });
  });
  it.each([
    ['#/components/schemas/missing', /nothing there/],
    ['#/components/schemas/loop', /refers to itself/],
    ['other.yaml#/x', /only local references/],
  ])('refuses %s, saying why', (ref, why) => {
    expect(() => resolveRef(spec, ref)).toThrow(why);
  });
});

describe('the registry of the contract', () => {
  it('places each operation on its resource, and names its client method as the client does', () => {
    const registry = registryOf(contract());
    const client = createBindingsClient({ username: 'u', password: 'p', fetch: async () => new Response() });
    expect(registry.resources).toHaveLength(1);
    for (const op of registry.operations)
      expect(typeof (client as unknown as Record<string, unknown>)[op.methodName]).toBe('function');
    expect(new Set(registry.operations.map((op) => op.action))).toEqual(new Set(['list', 'fetch', 'delete']));
  });

  it('walks every operation of the contract, each method OpenAPI allows', () => {
    const spec = contract();
    const all = Object.values(spec.paths).flatMap((item) =>
      Object.keys(item).filter((k) => !k.startsWith('x-') && k !== 'parameters'),
    );
    expect(operationsOf(spec)).toHaveLength(all.length);
  });

  it('changes no fact but order when the paths are reordered', () => {
    const spec = contract();
    const reversed = { ...spec, paths: Object.fromEntries(Object.entries(spec.paths).reverse()) };
    expect(facts(registryOf(reversed))).toEqual(facts(registryOf(spec)));
  });

  it('places the provider push credentials with nothing of the Binding written for them', () => {
    const registry = registryOf(credentials());
    expect(
      facts(registry).map((op) => [op.id, op.action, op.methodName, op.sid?.pattern, op.parents]),
    ).toEqual([
      ['DeleteCredential', 'delete', 'deleteCredential', '^CR[0-9a-fA-F]{32}$', []],
      ['FetchCredential', 'fetch', 'fetchCredential', '^CR[0-9a-fA-F]{32}$', []],
      ['ListCredential', 'list', 'listCredentials', undefined, []],
    ]);
    expect(registry.operations.find((op) => op.action === 'list')?.list).toMatchObject({
      key: 'credentials',
      filters: [],
    });
    // Each instance's SID tied to the field of the resource that holds it, so the fake can find one.
    for (const op of registry.operations) if (op.sid) expect(op.sid.field).toBe('sid');
  });

  it('changes no Binding fact when a resource whose {Sid} has another pattern joins the contract', () => {
    const spec = contract();
    const other = credentials();
    const both = {
      ...spec,
      paths: { ...other.paths, ...spec.paths },
      components: {
        ...spec.components,
        schemas: { ...spec.components.schemas, ...other.components.schemas },
      },
    } as OpenApiDocument;
    const binding = new Set(registryOf(spec).operations.map((op) => op.id));
    expect(facts(registryOf(both)).filter((op) => binding.has(op.id))).toEqual(facts(registryOf(spec)));
  });
});

describe('what the registry refuses, naming the operation and what it could not tell', () => {
  const withPath = (path: string, item: Record<string, unknown>) => {
    const spec = contract();
    return { ...spec, paths: { ...spec.paths, [path]: item } } as OpenApiDocument;
  };
  const ok204 = { '204': { description: 'deleted' } };
  it.each([
    [
      'an operation that creates (a request body)',
      withPath('/v1/Things', {
        post: {
          operationId: 'CreateThing',
          requestBody: { content: {} },
          responses: { '201': { description: 'x' } },
        },
      }),
      /CreateThing \(POST \/v1\/Things\): creates or updates a resource .* not supported/,
    ],
    [
      'a delete with no fetch on its path',
      withPath('/v1/Things/{Sid}', {
        delete: {
          operationId: 'DeleteThing',
          parameters: [{ name: 'Sid', in: 'path', required: true, schema: { type: 'string' } }],
          responses: ok204,
        },
      }),
      /DeleteThing .*cannot tell which resource it deletes/,
    ],
    [
      'an operation without an operationId',
      withPath('/v1/Things', { get: { responses: ok204 } }),
      /GET \/v1\/Things: an operation without an operationId/,
    ],
    [
      'two success statuses',
      withPath('/v1/Things', {
        get: {
          operationId: 'ListThing',
          responses: { '200': { description: 'a' }, '206': { description: 'b' } },
        },
      }),
      /ListThing .*documents 2 success statuses/,
    ],
    [
      'a method the registry does not place',
      withPath('/v1/Things', {
        trace: { operationId: 'TraceThing', responses: { '200': { description: 'a' } } },
      }),
      /TraceThing \(TRACE \/v1\/Things\): TRACE is not supported/,
    ],
    [
      'a list whose page names no array of resources',
      withPath('/v1/Things', {
        get: {
          operationId: 'ListThing',
          responses: {
            '200': {
              description: 'a',
              content: { 'application/json': { schema: { type: 'object', properties: {} } } },
            },
          },
        },
      }),
      /ListThing: cannot tell which resources its page .* lists/,
    ],
    [
      'a list filter no field of its resource holds',
      (() => {
        const spec = contract();
        const list = Object.values(spec.paths).find(
          (item) => (item['x-twilio'] as { pathType?: string } | undefined)?.pathType === 'list',
        ) as { get: { parameters: unknown[] } };
        list.get.parameters.push({ name: 'NoSuchField', in: 'query', schema: { type: 'string' } });
        return spec;
      })(),
      /: cannot tell which field of \w+ its filter NoSuchField filters/,
    ],
    [
      'a path template no parameter declares',
      withPath('/v1/Things/{Sid}', {
        get: {
          operationId: 'FetchThing',
          responses: {
            '200': {
              description: 'a',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ServiceBinding' } } },
            },
          },
        },
      }),
      /FetchThing: the path names \{Sid\}, which no path parameter declares/,
    ],
  ])('%s', (_name, spec, message) => {
    expect(() => registryOf(spec)).toThrow(ContractModelError);
    expect(() => registryOf(spec)).toThrow(message);
  });

  it('npm run generate refuses such an operation by name, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-refused-'));
    try {
      const spec = withPath('/v1/Things', { get: { responses: ok204 } });
      await expect(generate(dir, spec)).rejects.toThrow(
        /GET \/v1\/Things: an operation without an operationId/,
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
