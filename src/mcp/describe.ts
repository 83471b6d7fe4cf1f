// The contract's operations as the reference page shows them, for the documentation tools: each one's
// parameters with their rules, its responses with status, headers and schema, its example, a curl line.
import { exampleParameters, operationFacts, responseExamples, server } from '../../generated/contract.js';
import { operationRegistry } from '../../generated/registry.js';
import { CREDENTIAL_SOURCES } from '../cli/flags.js';
import type { OperationId } from '../client/types.js';
import { buildPath } from '../client/url.js';
import { at, inlined, isObject, type JsonObject, operationNode, parameterNode } from './schemas.js';

/** An operation's tool, or why it has none in this server. */
export type ToolOf = (id: OperationId) => { tool: string } | { tool: null; why: string };

export const operationIds = Object.keys(operationRegistry) as OperationId[];

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Each operation in a line: what it does, its request, its tool (or why none). */
export function listOperations(contract: JsonObject, toolOf: ToolOf): JsonObject[] {
  return operationIds.map((id) => {
    const { action, method, path } = operationRegistry[id];
    const { operation } = operationNode(contract, id);
    return { operationId: id, action, method, path, summary: text(operation.summary), ...toolOf(id) };
  });
}

/** A node with its own `$ref` chain followed (not its members'), so a schema reference keeps its name. */
function deref(contract: JsonObject, node: unknown, hops = 0): JsonObject {
  if (!isObject(node)) return {};
  if (typeof node.$ref !== 'string' || hops > 16) return node;
  const { $ref, ...siblings } = node;
  return { ...deref(contract, at(contract, $ref), hops + 1), ...siblings };
}

/** A schema as a response shows it: the component's name when it is one, else the schema inlined. */
function schemaShown(contract: JsonObject, schema: unknown): unknown {
  const ref = isObject(schema) ? text(schema.$ref) : undefined;
  const name = ref?.match(/^#\/components\/schemas\/([^/]+)$/)?.[1];
  return name !== undefined ? { component: name } : inlined(contract, schema);
}

function responsesOf(contract: JsonObject, id: OperationId): JsonObject[] {
  const { operation } = operationNode(contract, id);
  return Object.entries(isObject(operation.responses) ? operation.responses : {}).map(([status, raw]) => {
    const response = deref(contract, raw);
    const headers = Object.entries(isObject(response.headers) ? response.headers : {}).map(([name, h]) => {
      const header = deref(contract, h);
      return { name, description: text(header.description), schema: inlined(contract, header.schema) };
    });
    const content = Object.entries(isObject(response.content) ? response.content : {}).map(
      ([mediaType, media]) => ({ mediaType, schema: schemaShown(contract, deref(contract, media).schema) }),
    );
    return { status, description: text(response.description), headers, content };
  });
}

/** The success response's first example, from generated/contract.js. */
function exampleOf(id: OperationId): JsonObject | null {
  const { successStatus, successType } = operationFacts[id];
  const byStatus = (responseExamples as Record<string, Record<string, Record<string, JsonObject>>>)[id];
  const named = successType ? byStatus?.[String(successStatus)]?.[successType] : undefined;
  const [name, value] = Object.entries(named ?? {})[0] ?? [];
  return name === undefined ? null : { status: successStatus, mediaType: successType, name, value };
}

/** A shell word in single quotes: whatever it holds, the shell reads it as it is. */
const shellQuoted = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

/**
 * The request as curl sends it, as the reference page shows it: the contract's example for each path
 * parameter that has one (`{Name}` otherwise), credentials as the variables the command line reads.
 */
export function curlLine(id: OperationId, baseUrl: string = server): string {
  const { method, path, parameters } = operationFacts[id];
  const examples = exampleParameters[id] as Readonly<Record<string, string>>;
  const values = Object.fromEntries(
    parameters.filter((p) => p.in === 'path').map((p) => [p.name, examples[p.key] ?? `{${p.name}}`]),
  );
  const query = parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${p.name}={${p.name}}`)
    .join('&');
  const url = `${baseUrl}${buildPath(path, values, (v) => v)}${query ? `?${query}` : ''}`;
  const [user, secret] = CREDENTIAL_SOURCES[0];
  return `curl --request ${method} ${shellQuoted(url)} --user "$${user}:$${secret}"`;
}

/** One operation whole: what the reference page shows of it, and its tool here (or why none). */
export function describeOperation(
  contract: JsonObject,
  id: OperationId,
  context: { toolOf: ToolOf; baseUrl?: string | undefined },
): JsonObject {
  const { action, method, path } = operationRegistry[id];
  const { operation } = operationNode(contract, id);
  const parameters = operationFacts[id].parameters.map((fact) => {
    const declared = parameterNode(contract, id, fact.name, fact.in);
    return {
      name: fact.name,
      in: fact.in,
      key: fact.key,
      required: fact.required,
      rule: fact.expected,
      description: text(declared.description),
      schema: inlined(contract, declared.schema),
    };
  });
  return {
    operationId: id,
    action,
    method,
    path,
    summary: text(operation.summary),
    description: text(operation.description),
    ...context.toolOf(id),
    parameters,
    responses: responsesOf(contract, id),
    example: exampleOf(id),
    curl: curlLine(id, context.baseUrl),
  };
}
