// Generates generated/contract.js: the operation's facts (path, parameters, documented responses)
// taken from the bundled spec, each schema paired with its generated validator.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenApiDocument } from './bundle-spec.ts';
import { validatorName } from './generate-validators.ts';
import { generatedBy, root } from './paths.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = Record<string, unknown>;

/** A reference to a generated validator: emitted as an identifier, typed as `Validator`. */
class ValidatorRef {
  constructor(readonly name: string) {}
}
type Fact = Json | ValidatorRef | Fact[] | { [key: string]: Fact };

const refName = (ref: string) => ref.split('/').pop() as string;

function only<T>(items: T[], what: string): T {
  const [item] = items;
  if (items.length !== 1 || item === undefined) throw new Error(`The contract must have exactly one ${what}`);
  return item;
}

function resolve(spec: OpenApiDocument, node: Node): Node {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [, , section = '', name = ''] = ref.split('/');
  return resolve(spec, spec.components[section]?.[name] as Node);
}

/** A `$ref` to a component schema names it; anything else is not a component. */
function schemaFact(schema: Node): { schema: string; validate: ValidatorRef } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') throw new Error('Every documented schema must be a component $ref');
  return { schema: refName(ref), validate: new ValidatorRef(validatorName(refName(ref))) };
}

const pick = <T>(record: Record<string, T>, keep: (key: string) => boolean) =>
  Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));

export async function contractFacts(spec: OpenApiDocument) {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  // The contract describes exactly one operation: its only path and that path's only method.
  const [path, pathItem] = only(Object.entries(spec.paths), 'path');
  const [method, op] = only(
    Object.entries(pathItem).filter(([key]) => key !== 'parameters') as [string, Node][],
    'operation',
  );
  const parameters = [...((pathItem.parameters as Node[]) ?? []), ...((op.parameters as Node[]) ?? [])]
    .map((p) => resolve(spec, p))
    .filter((p) => p.in === 'path');
  const pathParameters = Object.fromEntries(
    parameters.map((p) => {
      const schemaRef = p.schema as Node;
      const schema = resolve(spec, schemaRef);
      const name = p.name as string;
      return [
        name.charAt(0).toLowerCase() + name.slice(1),
        {
          name,
          ...schemaFact(schemaRef),
          minLength: schema.minLength as number,
          maxLength: schema.maxLength as number,
          pattern: schema.pattern as string,
        },
      ];
    }),
  );
  const documented = Object.entries(op.responses as Node).map(
    ([status, ref]) => [status, resolve(spec, ref as Node)] as const,
  );
  // Each status's media types, each with its schema's validator.
  const responses = Object.fromEntries(
    documented.map(([status, response]) => [
      status,
      Object.fromEntries(
        Object.entries((response.content as Node) ?? {}).map(([type, media]) => [
          type,
          schemaFact((media as Node).schema as Node),
        ]),
      ),
    ]),
  );
  // Kept apart from `responses` so a client that needs only the bodies does not carry the names.
  const responseHeaders = Object.fromEntries(
    documented.map(([status, response]) => [status, Object.keys((response.headers as Node) ?? {})]),
  );
  return {
    packageName: pkg.name as string,
    packageVersion: pkg.version as string,
    operation: {
      operationId: op.operationId as string,
      method: method.toUpperCase(),
      path,
      server: only(spec.servers as { url: string }[], 'server').url,
    },
    pathParameters,
    /** The spec's example value of each path parameter (apart from the rules: a client needs none). */
    pathParameterExamples: Object.fromEntries(
      parameters.map((p) => {
        const name = p.name as string;
        return [name.charAt(0).toLowerCase() + name.slice(1), p.example as string];
      }),
    ),
    /** The documented 2xx responses: all a client needs to accept a success. */
    successResponses: pick(responses, (status) => status.startsWith('2')),
    /** The documented error responses, `default` included: what a contract check also verifies. */
    errorResponses: pick(responses, (status) => !status.startsWith('2')),
    responses,
    /** The headers each documented response names. */
    responseHeaders,
  } satisfies Record<string, Fact>;
}

function emitValue(value: Fact, indent = ''): string {
  if (value instanceof ValidatorRef) return value.name;
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

function validatorsUsed(value: Fact, into = new Set<string>()): Set<string> {
  if (value instanceof ValidatorRef) into.add(value.name);
  else if (value !== null && typeof value === 'object')
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
    ...used.map((name) => `import { ${name} } from './validators/${name.replace(/^validate/, '')}.js';`),
    ...names.map((name) => `\nexport const ${name} = ${emitValue(facts[name])};`),
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
