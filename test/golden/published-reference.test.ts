// Golden test: the bundled contract still says what the provider's published reference page says.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';

type Node = Record<string, unknown>;
type Fact = Node & { name: string; type: string; description: string };
type Page = {
  operation: Record<'method' | 'path' | 'summary' | 'description', string>;
  pathParameters: Fact[];
  response: Record<'status' | 'description' | 'mediaType', string> & {
    headers: Fact[];
    fields: Fact[];
    example: Node;
  };
};

const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const published: Page = readJson('../fixtures/published-reference.json');
const contract = readJson('../../generated/openapi.json');

/** A node with its `#/…` reference followed; in OpenAPI 3.1 the siblings of `$ref` win over the target. */
function resolve(spec: Node, node: unknown): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const { $ref, ...siblings } = node as Node;
  if (typeof $ref !== 'string') return node as Node;
  const keys = $ref.slice(2).split('/');
  const target = keys.reduce<unknown>((at, key) => (at as Node | undefined)?.[key], spec);
  return { ...resolve(spec, target), ...siblings };
}

const CONSTRAINTS = ['format', 'pattern', 'minLength', 'maxLength', 'enum'];
const FACTS = ['type', ...CONSTRAINTS, 'items', 'required'];

/** A schema in the page's terms: `anyOf: [X, {type: 'null'}]` and `type: [string, 'null']` both read "string | null". */
function asPage(spec: Node, node: unknown): Node {
  const schema = resolve(spec, node) ?? {};
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (branches) {
    const parts = branches.map((branch) => asPage(spec, branch));
    const constraints = Object.assign({}, ...parts.filter((part) => part.type !== 'null'));
    return { ...constraints, type: parts.map((part) => part.type).join(' | ') };
  }
  const constraints = Object.fromEntries(CONSTRAINTS.map((key) => [key, schema[key]]));
  const items = schema.items && asPage(spec, schema.items).type;
  return { ...constraints, type: [schema.type ?? 'any'].flat().join(' | '), items };
}

/** Every message says what changed: the contract's value, then the page's. */
const differ = (what: string, given: string, page: string) =>
  `${what}: the contract has ${given}; the published reference has ${page}`;
const missing = (what: string, page: string) =>
  `${what}: the contract does not document it; the published reference has it (${page})`;
const show = (value: unknown) => (value === undefined ? 'nothing' : [value].flat().join(', '));
const asSet = (value: unknown) => new Set(show(value).split(/ \| |, /));
const same = (fact: string, given: unknown, page: unknown) =>
  fact === 'type' || fact === 'enum' ? isDeepStrictEqual(asSet(given), asSet(page)) : given === page;

/** The contract may say more than the page, never less: its text must contain the page's. */
const textDifferences = (what: string, given: unknown, page: string) =>
  String(given ?? '').includes(page)
    ? []
    : [differ(what, JSON.stringify(given ?? null), JSON.stringify(page))];

/** The contract's fetch operation, found by the page's method and path, and the parts the page describes. */
function locate(spec: Node, page: Page) {
  const pathItem = resolve(spec, (spec.paths as Node | undefined)?.[page.operation.path]);
  const operation = resolve(spec, pathItem?.[page.operation.method.toLowerCase()]);
  const parameters = [pathItem?.parameters, operation?.parameters]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .map((parameter) => resolve(spec, parameter) as Node)
    .filter((parameter) => parameter.in === 'path');
  const response = resolve(spec, (operation?.responses as Node | undefined)?.[page.response.status]);
  const content = (response?.content ?? {}) as Node;
  const media = resolve(spec, content[page.response.mediaType]);
  const properties = (resolve(spec, media?.schema)?.properties ?? {}) as Node;
  const status = page.response.status;
  return { spec, page, status, operation, parameters, response, content, media, properties };
}
type Located = ReturnType<typeof locate>;

/** The page's facts about one parameter, header or field that the contract contradicts or omits. */
function factDifferences({ spec }: Located, what: string, fact: Fact, given?: Node, schema?: unknown) {
  if (!given) return [missing(what, fact.type)];
  const found: Node = { ...given, ...asPage(spec, schema) }; // the contract's node, in page terms
  return [
    ...FACTS.filter((key) => fact[key] !== undefined && !same(key, found[key], fact[key])).map((key) =>
      differ(`${what} ${key}`, show(found[key]), show(fact[key])),
    ),
    ...textDifferences(`${what} description`, found.description, fact.description),
  ];
}

const checks = {
  operation({ operation, page: { operation: want } }: Located) {
    if (!operation) return [missing(`operation ${want.method} ${want.path}`, want.summary)];
    return [
      ...textDifferences('operation summary', operation.summary, want.summary),
      ...textDifferences('operation description', operation.description, want.description),
    ];
  },
  response({ status, response, content, media, page: { response: want } }: Located) {
    if (!response) return [missing(`${status} response`, want.description)];
    return [
      ...(media
        ? []
        : [differ(`${status} response media types`, show(Object.keys(content)), want.mediaType)]),
      ...textDifferences(`${status} response description`, response.description, want.description),
    ];
  },
  parameter(at: Located, fact: Fact) {
    const given = at.parameters.find((parameter) => parameter.name === fact.name);
    return factDifferences(at, `path parameter ${fact.name}`, fact, given, given?.schema);
  },
  header(at: Located, fact: Fact) {
    const headers = Object.entries((at.response?.headers ?? {}) as Node);
    const entry = headers.find(([name]) => name.toLowerCase() === fact.name.toLowerCase());
    const given = resolve(at.spec, entry?.[1]);
    return factDifferences(at, `${at.status} response header ${fact.name}`, fact, given, given?.schema);
  },
  field(at: Located, fact: Fact) {
    const given = resolve(at.spec, at.properties[fact.name]);
    return factDifferences(at, `${at.status} body field ${fact.name}`, fact, given, given);
  },
  /** The contract may carry more 200 examples; the one closest to the page's must be the page's. */
  example({ spec, status, media, page }: Located) {
    const named = Object.values((media?.examples ?? {}) as Node).map((entry) => resolve(spec, entry)?.value);
    const candidates = [...(media && 'example' in media ? [media.example] : []), ...named];
    const compared = candidates.map((given) =>
      exampleDifferences(status, (given ?? {}) as Node, page.response.example),
    );
    if (compared.length === 0) return [missing(`${status} example`, 'the published example')];
    return compared.reduce((closest, diffs) => (diffs.length < closest.length ? diffs : closest));
  },
};

function exampleDifferences(status: string, given: Node, page: Node): string[] {
  const json = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
  const diffs = [...new Set([...Object.keys(page), ...Object.keys(given)])]
    .filter((key) => !isDeepStrictEqual(given[key], page[key]))
    .map((key) => differ(`${status} example ${key}`, json(given[key]), json(page[key])));
  const [givenOrder = '', pageOrder = ''] = [given, page].map((example) => show(Object.keys(example)));
  if (diffs.length > 0 || givenOrder === pageOrder) return diffs;
  return [differ(`${status} example key order`, givenOrder, pageOrder)];
}

/** Every fact of the published page the contract contradicts or omits, one line each. */
function differences(page: Page, spec: Node): string[] {
  const at = locate(spec, page);
  return [
    ...checks.operation(at),
    ...checks.response(at),
    ...page.pathParameters.flatMap((fact) => checks.parameter(at, fact)),
    ...page.response.headers.flatMap((fact) => checks.header(at, fact)),
    ...page.response.fields.flatMap((fact) => checks.field(at, fact)),
    ...checks.example(at),
  ];
}

const WHAT_TO_DO =
  'If the provider changed its page, update test/fixtures/published-reference.json from the page; otherwise revert the contract.';
const expectNone = (diffs: string[]) =>
  expect(
    diffs,
    `The contract changed against the published reference:\n- ${diffs.join('\n- ')}\n${WHAT_TO_DO}`,
  ).toEqual([]);

const located = locate(contract, published);
const { operation, response } = published;
describe(`${operation.method} ${operation.path} in the contract matches the published reference`, () => {
  it('operation: summary and description', () => expectNone(checks.operation(located)));
  it(`${response.status} response: ${response.mediaType}`, () => expectNone(checks.response(located)));
  it.each(published.pathParameters)('path parameter $name', (fact) =>
    expectNone(checks.parameter(located, fact)),
  );
  it.each(response.headers)(`${response.status} response header $name`, (fact) =>
    expectNone(checks.header(located, fact)),
  );
  it.each(response.fields)(`${response.status} body field $name`, (fact) =>
    expectNone(checks.field(located, fact)),
  );
  it(`${response.status} example, value for value, keys in the page's order`, () =>
    expectNone(checks.example(located)));
});

type Spec = typeof contract;
const fetch200 = (doc: Spec) => doc.paths[operation.path].get.responses['200'];
const field = (doc: Spec, name: string) => doc.components.schemas.ServiceBinding.properties[name];
/** Each mutation adds exactly the differences whose messages contain these texts, whatever the contract is now. */
const mutations: [string, (doc: Spec) => unknown, string[]][] = [
  [
    'BindingType gains twilsock',
    (doc) => doc.components.schemas.BindingType.enum.push('twilsock'),
    ['200 body field binding_type enum: the contract has apn, gcm, fcm'],
  ],
  [
    'the Sid parameter pattern changed (beside its $ref)',
    (doc) => Object.assign(doc.components.parameters.Sid.schema, { pattern: '^BS[0-9a-f]{31}$' }),
    [differ('path parameter Sid pattern', '^BS[0-9a-f]{31}$', '^BS[0-9a-fA-F]{32}$')],
  ],
  [
    "the 200 example's identity changed",
    (doc) => Object.assign(fetch200(doc).content['application/json'].examples.fetch.value, { identity: 'X' }),
    [differ('200 example identity', '"X"', '"TestUser"')],
  ],
  [
    'a 200 header removed',
    (doc) => delete fetch200(doc).headers['Access-Control-Expose-Headers'],
    [missing('200 response header Access-Control-Expose-Headers', 'string')],
  ],
  [
    'date_created made non-nullable (type list)',
    (doc) => Object.assign(field(doc, 'date_created'), { type: 'string' }),
    [differ('200 body field date_created type', 'string', 'string | null')],
  ],
  [
    'sid made non-nullable (anyOf)',
    (doc) => Object.assign(field(doc, 'sid'), { anyOf: undefined, $ref: '#/components/schemas/BindingSid' }),
    [differ('200 body field sid type', 'string', 'string | null')],
  ],
  [
    'list and delete operations, a 400 response and an earlier second 200 example added',
    (doc) => {
      doc.paths['/v1/Services/{ChatServiceSid}/Bindings'] = { get: { responses: {} } };
      doc.paths[operation.path].delete = { responses: { '204': { description: 'No Content' } } };
      doc.paths[operation.path].get.responses['400'] = { description: 'Bad Request' };
      const media = fetch200(doc).content['application/json'];
      media.examples = { apn: { value: { binding_type: 'apn' } }, ...media.examples };
    },
    [],
  ],
];

describe('differences() on mutated copies of the contract', () => {
  // Relative to the contract as it is, so these cases keep proving the comparison even while the
  // contract itself differs from the page (which the tests above report).
  const before = differences(published, contract);
  it.each(mutations)('%s', (_name, mutate, want) => {
    const copy = structuredClone(contract);
    mutate(copy);
    const added = differences(published, copy).filter((d) => !before.includes(d));
    expect(added).toHaveLength(want.length);
    for (const [i, text] of want.entries()) expect(added[i]).toContain(text);
  });
});
