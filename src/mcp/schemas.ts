// JSON Schemas from the contract as MCP tools carry them: each local $ref inlined (a tool's schema stands
// alone, for clients that resolve no reference), OpenAPI's own keywords and x- extensions left out.
import { operationFacts } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import * as validators from '../../generated/validators.js';
import type { OperationId } from '../client/types.js';

export type JsonObject = Record<string, unknown>;

/** Deeper than this a schema is refused (the contract's go about six levels down). */
const MAX_SCHEMA_DEPTH = 32;
/** OpenAPI's keywords, not JSON Schema's: a tool's schema leaves them out. */
const OPENAPI_ONLY = new Set(['example', 'discriminator', 'xml', 'externalDocs']);
/** Keywords whose members are names (of properties, of definitions), never keywords. */
const NAMED = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose values are data (never schemas): copied as they are. */
const DATA = new Set(['enum', 'const', 'default', 'examples']);

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON pointer's token (RFC 6901): `~` as `~0`, `/` as `~1`. */
export const pointerToken = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** The node a local JSON pointer (`#/components/schemas/X`) names in the contract; undefined when none. */
export function at(contract: JsonObject, pointer: string): unknown {
  if (!pointer.startsWith('#')) return undefined;
  let node: unknown = contract;
  for (const token of pointer.slice(1).split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as JsonObject)[key] : undefined;
  }
  return node;
}

interface Walk {
  contract: JsonObject;
  depth: number;
  /** The references being inlined, outermost first: one met again is a cycle. */
  via: string[];
}

/** A schema (or any node) of the contract with every $ref inlined; a $ref's siblings are kept over its target's. */
export function inlined(contract: JsonObject, node: unknown): unknown {
  return inline(node, { contract, depth: 0, via: [] });
}

function inline(node: unknown, walk: Walk): unknown {
  if (walk.depth > MAX_SCHEMA_DEPTH)
    throw new Error(`a schema of the contract nests deeper than ${MAX_SCHEMA_DEPTH}`);
  const deeper = { ...walk, depth: walk.depth + 1 };
  if (Array.isArray(node)) return node.map((item) => inline(item, deeper));
  if (!isObject(node)) return node;
  let out: JsonObject = {};
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (walk.via.includes(ref)) throw new Error(`the contract's ${ref} refers to itself`);
    const target = inline(at(walk.contract, ref), { ...deeper, via: [...walk.via, ref] });
    if (isObject(target)) out = { ...target };
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' || key.startsWith('x-') || OPENAPI_ONLY.has(key)) continue;
    if (DATA.has(key)) out[key] = value;
    else if (NAMED.has(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, inline(v, deeper)]));
    else out[key] = inline(value, deeper);
  }
  return out;
}

/** A component schema of the contract by name, inlined; undefined when the contract has none of that name. */
export function componentSchema(contract: JsonObject, name: string): JsonObject | undefined {
  const schemas = at(contract, '#/components/schemas');
  if (!isObject(schemas) || !Object.hasOwn(schemas, name)) return undefined;
  const schema = inlined(contract, schemas[name]);
  return isObject(schema) ? schema : undefined;
}

/** The contract's own validator of a component schema (generated/validators.js), if it has one. */
export const validatorOf = (name: string | null): Validator | undefined =>
  name === null
    ? undefined
    : (validators as unknown as Record<string, Validator | undefined>)[`validate${name}`];

/** The names of the contract's component schemas, in its order. */
export const schemaNames = (contract: JsonObject): string[] => {
  const schemas = at(contract, '#/components/schemas');
  return isObject(schemas) ? Object.keys(schemas) : [];
};

/** An operation's Path Item and Operation Object in the contract. */
export function operationNode(contract: JsonObject, id: OperationId) {
  const { method, path } = operationFacts[id];
  const item = at(contract, `#/paths/${pointerToken(path)}`);
  const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
  return { item: isObject(item) ? item : {}, operation: isObject(operation) ? operation : {} };
}

/** A parameter as the contract declares it (path-level, or the operation's own of that name and place). */
export function parameterNode(
  contract: JsonObject,
  id: OperationId,
  name: string,
  place: string,
): JsonObject {
  const { item, operation } = operationNode(contract, id);
  const declared = [item.parameters, operation.parameters]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .map((p) => inlined(contract, p))
    .filter((p): p is JsonObject => isObject(p) && p.name === name && p.in === place);
  return declared.at(-1) ?? {};
}

/**
 * An operation's parameters as a tool's input schema: one property per parameter, named by the client's
 * key (`chatServiceSid`), with the contract's schema and description; no other property allowed.
 */
export function inputSchema(contract: JsonObject, id: OperationId): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const fact of operationFacts[id].parameters) {
    const declared = parameterNode(contract, id, fact.name, fact.in);
    const schema = isObject(declared.schema) ? declared.schema : {};
    const description = typeof declared.description === 'string' ? { description: declared.description } : {};
    properties[fact.key] = { ...schema, ...description };
    if (fact.required) required.push(fact.key);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
