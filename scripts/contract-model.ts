// The one model of the contract: one walk over every operation (every method OpenAPI allows), one `$ref`
// resolver, one naming rule, and the registry that places each operation (list, fetch, delete) on its
// resource. An operation it cannot place is refused by name, never skipped.
import type { OpenApiDocument } from './bundle-spec.ts';

export type Node = Record<string, unknown>;

/** Every method a Path Item may hold (OpenAPI 3.1 §4.8.9), in the specification's order. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What the contract model could not place or resolve: the message names the operation and what it could not tell. */
export class ContractModelError extends Error {
  override name = 'ContractModelError';
}

/** A local reference (`#/…`, RFC 6901) to the node it points at, through chains of references. */
export function resolveRef(spec: OpenApiDocument, ref: string, seen: ReadonlySet<string> = new Set()): Node {
  if (!ref.startsWith('#/')) throw new ContractModelError(`${ref}: only local references (#/…) are resolved`);
  if (seen.has(ref)) throw new ContractModelError(`${ref}: a reference that refers to itself`);
  const tokens = ref
    .slice(2)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = spec;
  for (const token of tokens) {
    node = typeof node === 'object' && node !== null ? (node as Node)[token] : undefined;
    if (node === undefined) throw new ContractModelError(`${ref}: nothing there`);
  }
  return resolveNode(spec, node as Node, new Set([...seen, ref]));
}

/** A node, or what its `$ref` points at. */
export function resolveNode(spec: OpenApiDocument, node: Node, seen: ReadonlySet<string> = new Set()): Node {
  return typeof node.$ref === 'string' ? resolveRef(spec, node.$ref, seen) : node;
}

/** The component a `$ref` names (`#/components/schemas/ServiceBinding` → `ServiceBinding`), or null. */
export function componentName(node: unknown): string | null {
  const ref = typeof node === 'object' && node !== null ? (node as Node).$ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith('#/components/')) return null;
  return (ref.split('/').pop() as string).replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * The one naming rule: a name of the contract (`ChatServiceSid`, `page_size`, `conversations.v1.credential`)
 * as a lower camelCase identifier (`chatServiceSid`, `pageSize`, `conversationsV1Credential`).
 */
export function camelName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1))
    .join('');
}

/** The same name in snake_case (`PageSize` → `page_size`): how a query parameter names a field of a page. */
export function snakeName(name: string): string {
  return camelName(name)
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    .replace(/^_/, '');
}

export interface ParameterEntry {
  name: string;
  in: string;
  /** Its identifier in code, by the naming rule. */
  key: string;
  required: boolean;
  /** The parameter component it came from, or null when written in place. */
  component: string | null;
  /** Its schema, resolved. */
  schema: Node;
  /** The parameter itself, resolved (its `style`, `explode`, `x-…` extensions). */
  node: Node;
}

export interface ResponseEntry {
  status: string;
  component: string | null;
  /** The response itself, resolved. */
  node: Node;
  /** Each media type with the component schema of its body (null: a schema written in place), and the schema resolved. */
  content: { type: string; schema: string | null; node: Node }[];
  headers: string[];
}

export interface OperationEntry {
  id: string;
  method: Uppercase<(typeof HTTP_METHODS)[number]>;
  path: string;
  parameters: ParameterEntry[];
  responses: ResponseEntry[];
  hasRequestBody: boolean;
  /** The provider's own word on the path (`x-twilio.pathType`: `list` or `instance`), when it gives one. */
  pathType: string | null;
}

function parametersOf(spec: OpenApiDocument, where: string, nodes: Node[]): ParameterEntry[] {
  return nodes.map((raw) => {
    const node = resolveNode(spec, raw);
    if (typeof node.name !== 'string' || typeof node.in !== 'string')
      throw new ContractModelError(`${where}: a parameter without a name or an "in"`);
    return {
      name: node.name,
      in: node.in,
      key: camelName(node.name),
      required: node.required === true,
      component: componentName(raw),
      schema: resolveNode(spec, (node.schema as Node | undefined) ?? {}),
      node,
    };
  });
}

function responsesOf(spec: OpenApiDocument, op: Node): ResponseEntry[] {
  return Object.entries((op.responses as Record<string, Node> | undefined) ?? {}).map(([status, raw]) => {
    const node = resolveNode(spec, raw);
    const content = Object.entries((node.content as Record<string, Node> | undefined) ?? {});
    return {
      status,
      component: componentName(raw),
      node,
      content: content.map(([type, media]) => ({
        type,
        schema: componentName(media.schema),
        node: resolveNode(spec, (media.schema as Node | undefined) ?? {}),
      })),
      headers: Object.keys((node.headers as Node | undefined) ?? {}),
    };
  });
}

/** Every operation of the contract, in document order: the one walk every generator shares. */
export function operationsOf(spec: OpenApiDocument): OperationEntry[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const op = item[method] as Node;
      const where = `${method.toUpperCase()} ${path}`;
      if (typeof op.operationId !== 'string')
        throw new ContractModelError(`${where}: an operation without an operationId cannot be named`);
      // Path-level parameters first; an operation's own parameter of the same name and place replaces one.
      const own = parametersOf(spec, op.operationId, (op.parameters as Node[] | undefined) ?? []);
      const shared = parametersOf(spec, op.operationId, (item.parameters as Node[] | undefined) ?? []).filter(
        (p) => !own.some((o) => o.name === p.name && o.in === p.in),
      );
      const pathType = (item['x-twilio'] as Node | undefined)?.pathType;
      return {
        id: op.operationId,
        method: method.toUpperCase() as OperationEntry['method'],
        path,
        parameters: [...shared, ...own],
        responses: responsesOf(spec, op),
        hasRequestBody: op.requestBody !== undefined,
        pathType: typeof pathType === 'string' ? pathType : null,
      };
    }),
  );
}
