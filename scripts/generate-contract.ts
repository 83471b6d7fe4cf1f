// Generates generated/contract.js: every fact of the contract that code reads (operations, their
// parameters and rules, documented responses, headers and examples), each schema paired with its
// generated validator. Exports are split by audience so a bundler takes only what a program uses.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { OpenApiDocument } from './bundle-spec.ts';
import { camelName, componentName, type Node, resolveNode, operationsOf as walk } from './contract-model.ts';
import { registryOf } from './contract-registry.ts';
import { parameterValidatorName, validatorName } from './generate-validators.ts';
import { generatedBy, root } from './paths.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A reference to a generated validator: emitted as an identifier, typed as `Validator`. */
class ValidatorRef {
  constructor(readonly name: string) {}
}
/** A value emitted as JSON but typed in the .d.ts by an expression of the contract's own types. */
class Typed {
  constructor(
    readonly value: Json,
    readonly type: string,
  ) {}
}
/** A value emitted as a JavaScript expression (a reference to another fact), typed by a TypeScript one. */
class Expression {
  constructor(
    readonly source: string,
    readonly type: string,
  ) {}
}
type Fact = Json | ValidatorRef | Typed | Expression | Fact[] | { [key: string]: Fact };

/** The header RFC 9110 §10.2.3 names for "wait this long before retrying". */
const RETRY_AFTER = /^retry-after$/i;

const refName = (ref: string) => componentName({ $ref: ref }) as string;

const resolve = resolveNode;

/** A `$ref` to a component schema names it; anything else is not a component. */
function schemaFact(schema: Node): { schema: string; validate: ValidatorRef } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') throw new Error('Every documented body schema must be a component $ref');
  return { schema: refName(ref), validate: new ValidatorRef(validatorName(refName(ref))) };
}

/** The contract's rule for a value, in words: what an InvalidParameterError says was expected. */
export function describeRule(spec: OpenApiDocument, node: Node): string {
  const s = resolve(spec, node);
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(', ')}`;
  const range = (min: unknown, max: unknown, unit = '') => {
    if (min !== undefined && min === max) return ` of ${min}${unit}`;
    if (min !== undefined && max !== undefined) return ` from ${min} to ${max}${unit}`;
    if (min !== undefined) return ` ≥ ${min}${unit}`;
    return max !== undefined ? ` ≤ ${max}${unit}` : '';
  };
  switch (s.type) {
    case 'array':
      return `an array whose items are each ${describeRule(spec, (s.items as Node) ?? {})}`;
    case 'integer':
    case 'number':
      return `a${s.type === 'integer' ? 'n integer' : ' number'}${range(s.minimum, s.maximum)}`;
    case 'string': {
      const length = range(s.minLength, s.maxLength, ' characters').replace(' ≥ ', ' of at least ');
      return `a string${length.replace(' ≤ ', ' of at most ')}${s.pattern ? ` matching ${s.pattern}` : ''}`;
    }
    case 'boolean':
      return 'a boolean';
    default:
      throw new Error(`No words for the rule ${JSON.stringify(s)}`);
  }
}

interface Operation {
  id: string;
  method: string;
  path: string;
  parameters: { component: string; node: Node }[];
  responses: (readonly [status: string, component: string | undefined, node: Node])[];
}

/** Every operation of the contract (the one walk of contract-model.ts), each parameter a component. */
function operationsOf(spec: OpenApiDocument): Operation[] {
  return walk(spec).map((op) => ({
    id: op.id,
    method: op.method,
    path: op.path,
    parameters: op.parameters.map((p) => {
      if (p.component === null)
        throw new Error(`${op.id}: every parameter must be a component (${p.name} is not)`);
      return { component: p.component, node: p.node };
    }),
    responses: op.responses.map((r) => [r.status, r.component ?? undefined, r.node] as const),
  }));
}

/** Keywords that constrain a value, and its default; everything else (descriptions, examples, x-…) is left out. */
const RULE_KEYWORDS = [
  'type',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'format',
  'items',
  'default',
];

/** A schema with its `$ref`s resolved and only its rules kept: what a tool needs to make valid and invalid values. */
function ruleOf(spec: OpenApiDocument, node: Node): Json {
  const s = resolve(spec, node);
  return Object.fromEntries(
    RULE_KEYWORDS.filter((k) => s[k] !== undefined).map((k) => [
      k,
      k === 'items' ? ruleOf(spec, s[k] as Node) : (s[k] as Json),
    ]),
  );
}

const content = (response: Node) => Object.entries((response.content as Record<string, Node>) ?? {});
const headerNames = (response: Node) => Object.keys((response.headers as Node) ?? {});
const unique = <T>(items: T[]) => [...new Set(items)];

/** Each operation's resource (its component schema), as the registry places it: never by the order of paths. */
function resourceOf(spec: OpenApiDocument): (op: Operation) => string | undefined {
  const placed = new Map(registryOf(spec).operations.map((op) => [op.id, op.resource]));
  return (op) => placed.get(op.id);
}

/**
 * Where, in an operation's success body, a field of the resource lies, as a pattern over violation
 * paths: the body itself (`^/[^/]`), or each item of an array property of resources
 * (`^/bindings/\d+/[^/]`). Null when the body holds no resource. A tolerant reader may take a value off
 * the contract there; nowhere else.
 */
function resourceField(spec: OpenApiDocument, op: Operation, resource: string | undefined): string | null {
  const [, , ok] = op.responses.find(([status]) => status.startsWith('2')) ?? [];
  const [, media] = content(ok ?? {})[0] ?? [];
  const ref = (media?.schema as Node | undefined)?.$ref;
  if (!resource || typeof ref !== 'string') return null;
  if (refName(ref) === resource) return '^/[^/]';
  const properties = (resolve(spec, { $ref: ref }).properties ?? {}) as Record<string, Node>;
  const held = Object.entries(properties).find(
    ([, p]) => (p.items as Node | undefined)?.$ref === `#/components/schemas/${resource}`,
  );
  return held ? `^/${held[0]}/\\d+/[^/]` : null;
}

/**
 * Per operation that addresses an instance, which field of its resource holds each path parameter (from
 * the registry): `{ FetchServiceBinding: { chatServiceSid: 'chat_service_sid', sid: 'sid' } }`. What turns
 * a resource the service returned into the parameters that address it.
 */
function parameterFields(spec: OpenApiDocument) {
  return Object.fromEntries(
    registryOf(spec)
      .operations.filter((op) => op.sid !== null)
      .map((op) => [op.id, Object.fromEntries([...op.parents, op.sid].map((p) => [p?.key, p?.field]))]),
  );
}

/**
 * generated/response-validators.js: the validators of every documented success body, bundled on their own
 * (with the helpers they use) from generated/validators.js, for the client to load with its first request.
 */
export async function generateResponseValidators(
  spec: OpenApiDocument,
  validatorsJs: string,
): Promise<{ js: string; dts: string }> {
  const names = unique(
    operationsOf(spec).flatMap((op) =>
      op.responses
        .filter(([status]) => status.startsWith('2'))
        .flatMap(([, , r]) => content(r).map(([, media]) => schemaFact(media.schema as Node).validate.name)),
    ),
  ).sort();
  const header = `// ${generatedBy('scripts/generate-contract.ts (bundled by esbuild)')}\n`;
  const bundled = await build({
    stdin: {
      contents: `export { ${names.join(', ')} } from './validators.js';\n`,
      resolveDir: root,
      sourcefile: 'response-validators.js',
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'generated-validators',
        setup(b) {
          b.onResolve({ filter: /^\.\/validators\.js$/ }, () => ({
            path: 'validators.js',
            namespace: 'generated',
          }));
          b.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({
            contents: validatorsJs,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const dts = `${header}\nexport { ${names.join(', ')} } from './validators.js';\n`;
  return { js: `${header}${bundled.outputFiles[0]?.text ?? ''}`, dts };
}

/** What the client needs to call an operation: no error bodies, no header lists, no examples. */
function clientFacts(spec: OpenApiDocument, op: Operation, resource: string | undefined) {
  const success = op.responses.filter(([status]) => status.startsWith('2'));
  const documentedTypes = (list: typeof op.responses) =>
    unique(list.flatMap(([, , r]) => content(r).map(([t]) => t)));
  const retryStatuses = op.responses.filter(([, , r]) => headerNames(r).some((h) => RETRY_AFTER.test(h)));
  const retryHeader = retryStatuses.flatMap(([, , r]) => headerNames(r)).find((h) => RETRY_AFTER.test(h));
  const [firstSuccess] = success;
  return {
    method: op.method,
    path: op.path,
    /** The status of the operation's (first) documented success, and its media type (null: no body). */
    successStatus: Number(firstSuccess?.[0]),
    successType: firstSuccess ? (content(firstSuccess[2])[0]?.[0] ?? null) : null,
    /** Where a field of the resource lies in the success body (a pattern over violation paths), or null. */
    resourceField: resourceField(spec, op, resource),
    parameters: op.parameters.map(({ component, node }) => {
      const schema = node.schema as Node;
      const style = node.style ?? (node.in === 'query' ? 'form' : 'simple');
      const explode = node.explode ?? style === 'form';
      if (node.in === 'query' && (style !== 'form' || explode !== true))
        throw new Error(`${op.id} ${node.name}: only exploded form-style query parameters are supported`);
      if (node.in !== 'query' && node.in !== 'path') throw new Error(`${op.id} ${node.name}: in ${node.in}`);
      return {
        name: node.name as string,
        in: node.in as string,
        key: camelName(node.name as string),
        required: node.required === true,
        validate: new ValidatorRef(
          typeof schema.$ref === 'string'
            ? validatorName(refName(schema.$ref))
            : parameterValidatorName(component),
        ),
        expected: describeRule(spec, schema),
      };
    }),
    /**
     * Each documented 2xx status, with its media types and the names of their validators (none: no body).
     * The client loads them from generated/response-validators.js with its first request, while the
     * request is on its way: a program loads at once only what checks its parameters.
     */
    success: Object.fromEntries(
      success.map(([status, , r]) => [
        status,
        Object.fromEntries(
          content(r).map(([type, media]) => [type, schemaFact(media.schema as Node).validate.name]),
        ),
      ]),
    ),
    /** The Accept header: the success media types, or every documented one when a success has no body. */
    accept: (documentedTypes(success).length ? documentedTypes(success) : documentedTypes(op.responses)).join(
      ', ',
    ),
    /** The statuses whose documented answer says when to retry, and the header that says it. */
    retryAfter: retryHeader ? { header: retryHeader, statuses: retryStatuses.map(([s]) => Number(s)) } : null,
  };
}

/** Every documented response, for the contract check and the fake: bodies, media types, headers. */
function responseFacts(op: Operation) {
  return Object.fromEntries(
    op.responses.map(([status, component, r]) => [
      status,
      {
        component: component ?? null,
        content: Object.fromEntries(
          content(r).map(([type, media]) => [type, schemaFact(media.schema as Node)]),
        ),
        headers: headerNames(r),
      },
    ]),
  );
}

/** Each response component's status, the same wherever it is used: `{ NotFound: '404' }`. */
function statusOfResponse(ops: Operation[]): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const op of ops)
    for (const [status, component] of op.responses) {
      if (!component) continue;
      if (statuses[component] && statuses[component] !== status)
        throw new Error(`Response ${component} is used for ${statuses[component]} and ${status}`);
      statuses[component] = status;
    }
  return statuses;
}

/** Each response component documented by a number, with that number: `{ NotFound: 404 }`. */
const statusCodes = (statuses: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(statuses)
      .filter(([, status]) => /^\d{3}$/.test(status))
      .map(([name, status]) => [name, Number(status)]),
  );

/** Each operation's parameters by camel-cased key: the same objects as operationFacts' lists. */
const parameterOf = (ops: Operation[]) =>
  Object.fromEntries(
    ops.map((op) => [
      op.id,
      Object.fromEntries(
        op.parameters.map(({ node }, i) => {
          const id = JSON.stringify(op.id);
          const where = `operationFacts[${id}].parameters[${i}]`;
          return [
            camelName(node.name as string),
            new Expression(where, `(typeof operationFacts)[${id}]["parameters"][${i}]`),
          ];
        }),
      ),
    ]),
  );

/** `{ [operationId]: { [status]: fact(…) } }`, for every documented response of every operation. */
const perResponse = <T>(ops: Operation[], fact: (op: Operation, status: string, response: Node) => T) =>
  Object.fromEntries(
    ops.map((op) => [
      op.id,
      Object.fromEntries(op.responses.map(([status, , r]) => [status, fact(op, status, r)])),
    ]),
  );

const schemaType = (name: string) => `import('./schema.js').components['schemas'][${JSON.stringify(name)}]`;

/** The contract's examples, typed by the contract's own types: schemas', parameters', responses', headers'. */
function exampleFacts(spec: OpenApiDocument, ops: Operation[]) {
  const schemas = spec.components.schemas as Record<string, Node>;
  const parameters = spec.components.parameters as Record<string, Node>;
  return {
    schemaExamples: Object.fromEntries(
      Object.entries(schemas)
        .filter(([, s]) => Array.isArray(s.examples))
        .map(([name, s]) => [name, (s.examples as Json[]).map((v) => new Typed(v, schemaType(name)))]),
    ),
    /** Each parameter component's example, by component (never by the name in the URL: two `Sid`s are two). */
    parameterExamples: Object.fromEntries(
      Object.entries(parameters)
        .filter(([, p]) => p.example !== undefined)
        .map(([component, p]) => [component, p.example as Json]),
    ),
    /** Per operation, the example of each of its parameters that has one, by key (`{ chatServiceSid, sid }`). */
    exampleParameters: Object.fromEntries(
      ops.map((op) => [
        op.id,
        Object.fromEntries(
          op.parameters
            .filter(({ node }) => node.example !== undefined)
            .map(({ node }) => [camelName(node.name as string), node.example as Json]),
        ),
      ]),
    ),
    responseExamples: perResponse(ops, (_op, _status, r) =>
      Object.fromEntries(
        content(r).map(([type, media]) => {
          const schema = schemaFact(media.schema as Node).schema;
          const examples = Object.entries((media.examples as Record<string, Node>) ?? {});
          return [
            type,
            Object.fromEntries(
              examples.map(([n, e]) => [n, new Typed(resolve(spec, e).value as Json, schemaType(schema))]),
            ),
          ];
        }),
      ),
    ),
    headerExamples: perResponse(ops, (op, status, r) =>
      Object.fromEntries(
        Object.entries((r.headers as Record<string, Node>) ?? {}).map(([name, h]) => {
          const example = resolve(spec, h).example;
          if (example === undefined) throw new Error(`${op.id} ${status}: header ${name} has no example`);
          return [name, String(example)];
        }),
      ),
    ),
  };
}

export async function contractFacts(spec: OpenApiDocument) {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const ops = operationsOf(spec);
  const resource = resourceOf(spec);
  const servers = spec.servers as { url: string }[];
  if (servers.length !== 1) throw new Error('The contract must name exactly one server');
  return {
    packageName: pkg.name as string,
    packageVersion: pkg.version as string,
    server: servers[0]?.url as string,
    /** Per operation, what a client needs: method, path, parameter rules with validators, successes. */
    operationFacts: Object.fromEntries(ops.map((op) => [op.id, clientFacts(spec, op, resource(op))])),
    /** Per operation, every documented response, `default` included: what a contract check verifies. */
    responses: Object.fromEntries(ops.map((op) => [op.id, responseFacts(op)])),
    statusOfResponse: statusOfResponse(ops),
    /** The numbered ones of statusOfResponse, as numbers. */
    statusCodes: statusCodes(statusOfResponse(ops)),
    /** Per operation, its parameters by camel-cased key (`parameterOf.ListServiceBinding.pageSize`). */
    parameterOf: parameterOf(ops),
    /** Per operation addressing an instance, the field of its resource holding each path parameter. */
    parameterFields: parameterFields(spec),
    /** Each enumerated component schema's values: `schemaEnums.BindingType` (what `bindingTypes` exports). */
    schemaEnums: Object.fromEntries(
      Object.entries(spec.components.schemas as Record<string, Node>)
        .filter(([, schema]) => Array.isArray(schema.enum))
        .map(([name, schema]) => [name, schema.enum as Json[]]),
    ),
    /**
     * Each parameter component's schema, resolved, rules only: for the contract check's invalid values.
     * Keyed by component, never by the name in the URL (two resources' `Sid`s are two components).
     */
    parameterRules: Object.fromEntries(
      Object.entries(spec.components.parameters as Record<string, Node>).map(([component, p]) => [
        component,
        ruleOf(spec, p.schema as Node),
      ]),
    ),
    ...exampleFacts(spec, ops),
  } satisfies Record<string, Fact>;
}

function emitValue(value: Fact, indent = ''): string {
  if (value instanceof ValidatorRef) return value.name;
  if (value instanceof Expression) return value.source;
  if (value instanceof Typed) return emitValue(value.value, indent);
  if (Array.isArray(value)) return `[${value.map((v) => emitValue(v, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(
      ([k, v]) => `${inner}${JSON.stringify(k)}: ${emitValue(v, inner)},`,
    );
    return entries.length ? `{\n${entries.join('\n')}\n${indent}}` : '{}';
  }
  return JSON.stringify(value);
}

function emitType(value: Fact, indent = ''): string {
  if (value instanceof ValidatorRef) return 'Validator';
  if (value instanceof Expression) return value.type;
  if (value instanceof Typed) return value.type;
  if (Array.isArray(value)) return `readonly [${value.map((v) => emitType(v, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(
      ([k, v]) => `${inner}readonly ${JSON.stringify(k)}: ${emitType(v, inner)};`,
    );
    return entries.length ? `{\n${entries.join('\n')}\n${indent}}` : '{}';
  }
  return JSON.stringify(value);
}

/** Whether a fact holds an expression that reads another fact. */
function readsAnother(value: Fact): boolean {
  if (value instanceof Expression) return true;
  if (value === null || typeof value !== 'object' || value instanceof ValidatorRef || value instanceof Typed)
    return false;
  return Object.values(value).some(readsAnother);
}

function validatorsUsed(value: Fact, into = new Set<string>()): Set<string> {
  if (value instanceof ValidatorRef) into.add(value.name);
  else if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Typed) &&
    !(value instanceof Expression)
  )
    for (const v of Object.values(value)) validatorsUsed(v, into);
  return into;
}

export async function generateContract(spec: OpenApiDocument): Promise<{ js: string; dts: string }> {
  const facts = await contractFacts(spec);
  const header = `// ${generatedBy('scripts/generate-contract.ts')}\n`;
  const used = [...validatorsUsed(facts)].sort();
  const names = Object.keys(facts) as (keyof typeof facts)[];
  const js = [
    header,
    `import { ${used.join(', ')} } from './validators.js';`,
    // A fact that reads another (parameterOf reads operationFacts) is made in a pure call: a bundler may drop it
    // when a program does not use it (a property read alone, it must assume, could run a getter).
    ...names.map((name) => {
      const value = emitValue(facts[name]);
      return `\nexport const ${name} = ${readsAnother(facts[name]) ? `/* @__PURE__ */ (() => (${value}))()` : value};`;
    }),
    '',
  ].join('\n');
  const dts = [
    header,
    "import type { Validator } from './validators.js';",
    ...names.map((name) => `\nexport declare const ${name}: ${emitType(facts[name])};`),
    '',
  ].join('\n');
  return { js, dts };
}
