// The MCP server's tools as tools/list shows them, and its documentation tools and resources, driven by the
// SDK's own Client: every operation tool with the contract's schemas, every answer checked against the
// contract's facts as generated/ holds them, never retyped.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleParameters,
  operationFacts,
  parameterRules,
  responses,
  server,
} from '../../generated/contract.js';
import { root } from '../../scripts/paths.ts';
import { CREDENTIAL_SOURCES } from '../../src/cli/flags.ts';
import { ContractViolationError, createBindingsClient, type OperationId } from '../../src/client/index.ts';
import { buildPath } from '../../src/client/url.ts';
import { MAX_PACKAGE_FILE_BYTES, PackageFileTooLarge, readBounded } from '../../src/mcp/package-files.ts';
import { EXCERPT_CHARS, MAX_HITS, MAX_QUERY_CHARS } from '../../src/mcp/search.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingTypes,
  example,
  exampleAccountSid,
  exampleSids,
  invalidSids,
  jsonType,
  spec,
  valueNotIn,
  withFields,
} from '../support/contract.ts';
import { headingAnchors } from '../support/markdown.ts';
import { byAction, connect, operations, toolNameOf } from './support.ts';

// As an MCP client validates: the SDK's Client uses Ajv with ajv-formats.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

const fake = createBindingsFake();
const fakeClient = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
let session: Awaited<ReturnType<typeof connect>>;
beforeAll(async () => {
  session = await connect({ client: fakeClient, openWorld: false });
});
afterAll(() => session.close());

const successExample = (id: OperationId) => example(id, String(operationFacts[id].successStatus));
const docsPages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));

describe('tools/list: one tool per operation of the registry, with the contract’s schemas', () => {
  const readOnly = operations.filter((op) => op.action !== 'delete');

  it.each(readOnly.map((op) => [op.id, op] as const))(
    '%s: its parameters as camelCase properties, with their rules; its success schema as output',
    async (_, op) => {
      const { tools } = await session.client.listTools();
      const tool = tools.find((t) => t.name === toolNameOf(op));
      expect(tool, toolNameOf(op)).toBeDefined();
      const facts = operationFacts[op.id].parameters;
      const properties = tool?.inputSchema.properties as Record<string, Record<string, unknown>>;
      const paging = op.action === 'list' ? ['cursor'] : [];
      expect(Object.keys(properties)).toEqual([...facts.map((p) => p.key), ...paging]);
      expect(tool?.inputSchema.required).toEqual(facts.filter((p) => p.required).map((p) => p.key));
      expect(tool?.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      for (const p of facts) expect(properties[p.key]).toMatchObject(parameterRules[p.name]);
      expect(JSON.stringify(tool)).not.toContain('$ref');
      // The output schema accepts the contract's example, and refuses it with a value the contract does not allow.
      const validate = ajv.compile(tool?.outputSchema ?? { not: {} });
      expect(validate(successExample(op.id)), JSON.stringify(validate.errors)).toBe(true);
      const type = valueNotIn(bindingTypes);
      const broken =
        op.action === 'list'
          ? { ...(successExample(op.id) as object), bindings: [withFields({ binding_type: type })] }
          : withFields({ binding_type: type });
      expect(validate(broken)).toBe(false);
      expect(tool?.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        openWorldHint: false,
      });
    },
  );

  it('has no deleting tool unless told (--allow-delete), and then one marked destructive', async () => {
    const remove = byAction('delete');
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain(toolNameOf(remove));
    const allowed = await connect({ client: fakeClient, allowDelete: true });
    const tool = (await allowed.client.listTools()).tools.find((t) => t.name === toolNameOf(remove));
    await allowed.close();
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      operationFacts[remove.id].parameters.map((p) => p.key),
    );
  });

  it('without credentials lists the documentation tools only, and says why in its instructions and list_operations', async () => {
    const bare = await connect({ withoutClient: 'there are no credentials in its environment' });
    const names = (await bare.client.listTools()).tools.map((t) => t.name);
    const listed = await bare.call('list_operations');
    const instructions = bare.client.getInstructions() ?? '';
    const refused = bare.call(toolNameOf(byAction('fetch')), exampleSids);
    await expect(refused).rejects.toThrow(/no credentials/);
    await bare.close();
    for (const op of operations) expect(names).not.toContain(toolNameOf(op));
    expect(names).toEqual([
      'list_operations',
      'describe_operation',
      'search_docs',
      'get_schema',
      'validate_value',
    ]);
    expect(instructions).toMatch(/No operation tool is listed: there are no credentials/);
    const rows = (listed.structuredContent as { operations: { tool: unknown; why: string }[] }).operations;
    expect(rows.map((r) => r.tool)).toEqual(operations.map(() => null));
    for (const row of rows) expect(row.why).toMatch(/no credentials/);
  });
});

describe('the documentation tools answer what the contract says', () => {
  it('list_operations: each operation of the registry, its method, path and summary', async () => {
    const { structuredContent } = await session.call('list_operations');
    const rows = (structuredContent as { operations: Record<string, unknown>[] }).operations;
    expect(rows.map((r) => r.operationId)).toEqual(operations.map((op) => op.id));
    for (const op of operations) {
      const { method, path } = operationFacts[op.id];
      const summary = spec.paths[path][method.toLowerCase()].summary;
      expect(rows.find((r) => r.operationId === op.id)).toMatchObject({
        action: op.action,
        method,
        path,
        summary,
      });
    }
  });

  it.each(operations.map((op) => [op.id] as const))(
    'describe_operation %s: parameters and rules, responses with status, headers and schema, the example, a curl line',
    async (id) => {
      const { structuredContent, isError } = await session.call('describe_operation', { operationId: id });
      expect(isError).toBeFalsy();
      const described = structuredContent as Record<string, unknown>;
      const facts = operationFacts[id];
      expect(described.parameters).toMatchObject(
        facts.parameters.map(({ name, in: place, key, required, expected }) => ({
          name,
          in: place,
          key,
          required,
          rule: expected,
        })),
      );
      const documented = responses[id] as unknown as Record<
        string,
        { headers: string[]; content: Record<string, { schema: string }> }
      >;
      const shown = described.responses as {
        status: string;
        headers: { name: string }[];
        content: { mediaType: string; schema: unknown }[];
      }[];
      expect(shown.map((r) => r.status)).toEqual(Object.keys(documented));
      for (const response of shown) {
        const { headers, content } = documented[response.status] ?? { headers: [], content: {} };
        expect(response.headers.map((h) => h.name)).toEqual(headers);
        expect(response.content).toEqual(
          Object.entries(content).map(([mediaType, { schema }]) => ({
            mediaType,
            schema: { component: schema },
          })),
        );
      }
      if (facts.successType)
        expect(described.example).toMatchObject({ status: facts.successStatus, value: successExample(id) });
      else expect(described.example).toBeNull();
      const examples = exampleParameters[id] as Record<string, string>;
      const values = Object.fromEntries(
        facts.parameters
          .filter((p) => p.in === 'path')
          .map((p) => [p.name, examples[p.key] ?? `{${p.name}}`]),
      );
      const path = buildPath(facts.path, values, (v) => v);
      const [user, secret] = CREDENTIAL_SOURCES[0];
      expect(described.curl).toBe(
        `curl --request ${facts.method} '${server}${path}' --user "$${user}:$${secret}"`,
      );
    },
  );

  it('describe_operation of no such operation: a tool error naming the argument, the rule and what was given', async () => {
    const wrong = valueNotIn(operations.map((op) => op.id));
    const result = await session.call('describe_operation', { operationId: wrong });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: `Invalid operationId: expected one of ${operations.map((op) => op.id).join(', ')}, got "${wrong}" (${wrong.length} characters).`,
      },
    ]);
  });

  it('get_schema: every component schema, its references inlined, usable by a JSON Schema validator', async () => {
    for (const name of Object.keys(spec.components.schemas)) {
      const { structuredContent } = await session.call('get_schema', { name });
      const { schema, pointer } = structuredContent as { schema: Record<string, unknown>; pointer: string };
      expect(pointer).toBe(`#/components/schemas/${name}`);
      expect(JSON.stringify(schema)).not.toContain('$ref');
      expect(Object.keys(schema.properties ?? {})).toEqual(
        Object.keys(spec.components.schemas[name].properties ?? {}),
      );
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it('validate_value: the violations exactly as the client reports them for the same body', async () => {
    const body = withFields({
      binding_type: valueNotIn(bindingTypes),
      sid: invalidSids('Sid')['one character short'],
    });
    const answering = (async () =>
      new Response(JSON.stringify(body), { headers: { 'content-type': jsonType } })) as typeof fetch;
    const client = createBindingsClient({
      username: exampleAccountSid,
      password: 'validate-secret',
      fetch: answering,
      retry: false,
    });
    const thrown = await client.fetchBinding(exampleSids).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ContractViolationError);
    const schema = operationFacts.FetchServiceBinding.success[200]['application/json'].replace(
      /^validate/,
      '',
    );
    const { structuredContent } = await session.call('validate_value', { schema, value: body });
    expect(structuredContent).toEqual({
      schema,
      valid: false,
      violations: (thrown as ContractViolationError).violations,
    });
    const fine = await session.call('validate_value', { schema, value: bindingExample });
    expect(fine.structuredContent).toEqual({ schema, valid: true, violations: [] });
    const missing = await session.call('validate_value', { schema });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]).toMatchObject({
      text: 'Invalid value: expected any JSON value, got nothing (it is required).',
    });
  });
});

describe('a hostile caller', () => {
  it('validate_value of a value nested 100,000 deep: its violations, quoted within bounds, never a crash', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const schema = byAction('fetch').success.schema;
    const result = await session.call('validate_value', { schema, value: deep });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ valid: false, violations: [{ path: '/' }] });
    expect(JSON.stringify(result).length).toBeLessThan(2000);
  });
});

describe('search_docs: ranked, bounded hits naming where each is', () => {
  type Found = { hits: { where: string; uri: string; score: number; excerpt: string }[]; matched: number };
  const found = async (args: Record<string, unknown>) =>
    (await session.call('search_docs', args)).structuredContent as Found;

  it("finds a property's description in the contract at its JSON pointer, first", async () => {
    const resource = byAction('fetch').resource;
    const [name, property] = Object.entries(spec.components.schemas[resource].properties).find(
      ([, p]) => typeof (p as { description?: unknown }).description === 'string',
    ) as [string, { description: string }];
    const { hits } = await found({ query: property.description });
    expect(hits[0]?.where).toBe(`#/components/schemas/${resource}/properties/${name}`);
    expect(hits[0]?.uri).toBe(`bindings-contract://contract/openapi.json${hits[0]?.where}`);
  });

  it.each(docsPages)(
    'finds a section of docs/%s by its heading, naming the page, the heading and its anchor',
    async (page) => {
      const text = readFileSync(join(root, 'docs', page), 'utf8');
      const heading = /^#{1,6} (.+)$/m.exec(text)?.[1] as string;
      const { hits } = await found({ query: heading, limit: MAX_HITS });
      const hit = hits.find((h) => h.where === `docs/${page} › ${heading}`);
      expect(hit, JSON.stringify(hits.map((h) => h.where))).toBeDefined();
      const anchor = hit?.uri.split('#')[1] ?? '';
      expect(hit?.uri).toBe(`bindings-contract://docs/${page}#${anchor}`);
      expect(headingAnchors(text)).toContain(anchor);
    },
  );

  it('ranks best first, and bounds the hits and each excerpt', async () => {
    const { hits, matched } = await found({ query: 'the binding' });
    expect(matched).toBeGreaterThan(hits.length);
    expect(hits).toHaveLength(8);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const hit of hits) expect(hit.excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 2);
    expect((await found({ query: 'binding', limit: MAX_HITS })).hits).toHaveLength(MAX_HITS);
  });

  it.each([
    [
      'a limit past the most',
      { query: 'binding', limit: MAX_HITS + 1 },
      `Invalid limit: expected an integer from 1 to ${MAX_HITS}, got number ${MAX_HITS + 1}.`,
    ],
    [
      'a query past the most characters',
      { query: 'x'.repeat(MAX_QUERY_CHARS + 1) },
      /^Invalid query: expected a string of 1 to 200 characters, got "x+"/,
    ],
    [
      'an argument it does not take',
      { query: 'x', page: 2 },
      'Invalid argument "page" (4 characters): expected only query, limit, got an argument of that name.',
    ],
  ])('refuses %s, naming it, its rule and what was given', async (_, args, said) => {
    const result = await session.call('search_docs', args);
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(said);
  });
});

describe('resources: the contract and each docs page', () => {
  it('lists the contract and every page of docs/, and reads each whole', async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      'bindings-contract://contract/openapi.json',
      ...docsPages.sort().map((p) => `bindings-contract://docs/${p}`),
    ]);
    const contract = await session.client.readResource({ uri: 'bindings-contract://contract/openapi.json' });
    expect(contract.contents[0]).toMatchObject({
      mimeType: 'application/json',
      text: readFileSync(join(root, 'generated/openapi.json'), 'utf8'),
    });
    for (const page of docsPages) {
      const read = await session.client.readResource({ uri: `bindings-contract://docs/${page}` });
      expect(read.contents[0]).toMatchObject({
        mimeType: 'text/markdown',
        text: readFileSync(join(root, 'docs', page), 'utf8'),
      });
    }
  });

  it(`reads a file of the package whole up to ${MAX_PACKAGE_FILE_BYTES} bytes, and refuses a larger one unread`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-files-'));
    const file = join(dir, 'page.md');
    writeFileSync(file, 'x'.repeat(MAX_PACKAGE_FILE_BYTES));
    expect((await readBounded(file)).length).toBe(MAX_PACKAGE_FILE_BYTES);
    writeFileSync(file, 'x'.repeat(MAX_PACKAGE_FILE_BYTES + 1));
    await expect(readBounded(file)).rejects.toThrow(PackageFileTooLarge);
    rmSync(dir, { recursive: true });
  });

  it('answers a URI it does not serve with "resource not found"', async () => {
    await expect(
      session.client.readResource({ uri: 'bindings-contract://docs/../../etc/passwd' }),
    ).rejects.toMatchObject({
      code: -32002,
    });
  });
});
