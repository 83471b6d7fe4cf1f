// The registry of operations and resources: what each operation of the contract does (list, fetch,
// delete) to which resource, taken from the paths, the success status and body, and the provider's
// `x-twilio` path types. An operation the registry cannot place is refused with what it could not tell.
import type { OpenApiDocument } from './bundle-spec.ts';
import {
  ContractModelError,
  camelName,
  type Node,
  type OperationEntry,
  operationsOf,
  resolveNode,
  snakeName,
} from './contract-model.ts';

export type Action = 'list' | 'fetch' | 'delete';

export interface PathParameter {
  name: string;
  key: string;
  /** The pattern its values must match, or null when the contract sets none. */
  pattern: string | null;
  /** The field of the resource that holds its value (by the schema both refer to, else by name), or null. */
  field: string | null;
}

/** A list's query parameter, and the field it names: a filter's field of the resource, a paging one's of `meta`. */
export interface QueryParameter {
  name: string;
  key: string;
  field: string | null;
}

export interface RegisteredOperation {
  id: string;
  action: Action;
  /** The resource's component schema. */
  resource: string;
  method: string;
  path: string;
  /** The client's method for it, by the naming rule: `list<Plural>`, `fetch<Singular>`, `delete<Singular>`. */
  methodName: string;
  /** A list's method for one page (`fetch<Plural>Page`); null for the others. */
  pageMethodName: string | null;
  /** The path parameter naming the instance (fetch, delete of a collection's member), else null. */
  sid: PathParameter | null;
  /** The other path parameters: the instance's parents (`ChatServiceSid`). */
  parents: PathParameter[];
  success: { status: number; mediaType: string | null; schema: string | null; node: Node | null };
  /** A list's page: where its resources lie, which query parameters filter it and which page it. */
  list: { key: string; page: string; filters: QueryParameter[]; paging: QueryParameter[] } | null;
}

export interface RegisteredResource {
  schema: string;
  /** Its name in method names: `Binding`, `Bindings`. */
  singular: string;
  plural: string;
  operations: Partial<Record<Action, string>>;
}

export interface Registry {
  operations: RegisteredOperation[];
  resources: RegisteredResource[];
}

const isTemplate = (segment: string | undefined) => segment !== undefined && /^\{[^}]+\}$/.test(segment);
const segments = (path: string) => path.split('/').filter(Boolean);

/** The path's last literal segment (`Bindings`): the resource's plural noun, capitalised. */
function nounOf(op: OperationEntry): { singular: string; plural: string; member: boolean } {
  const parts = segments(op.path);
  const member = isTemplate(parts.at(-1));
  const literal = [...parts].reverse().find((s) => !isTemplate(s));
  if (!literal)
    throw new ContractModelError(`${op.id} (${op.method} ${op.path}): no literal segment to name it by`);
  const plural = camelName(literal).replace(/^./, (c) => c.toUpperCase());
  // A collection's members are named in the singular; a path that ends in a literal names a singleton as is.
  const singular = member || op.pathType === 'list' ? plural.replace(/s$/, '') : plural;
  return { singular, plural, member };
}

function pathParameter(op: OperationEntry, name: string): PathParameter {
  const p = op.parameters.find((q) => q.in === 'path' && q.name === name);
  if (!p)
    throw new ContractModelError(`${op.id}: the path names {${name}}, which no path parameter declares`);
  return {
    name,
    key: p.key,
    pattern: typeof p.schema.pattern === 'string' ? p.schema.pattern : null,
    field: null,
  };
}

function successOf(op: OperationEntry) {
  const ok = op.responses.filter((r) => /^2\d\d$/.test(r.status));
  if (ok.length !== 1)
    throw new ContractModelError(
      `${op.id} (${op.method} ${op.path}): documents ${ok.length} success statuses; the registry places an operation by exactly one`,
    );
  const [response] = ok as [OperationEntry['responses'][number]];
  const [media] = response.content;
  return {
    status: Number(response.status),
    mediaType: media?.type ?? null,
    schema: media?.schema ?? null,
    node: media?.node ?? null,
  };
}

/** A page schema's array of resources: its one array property whose items are a component schema. */
function listKeyOf(spec: OpenApiDocument, op: OperationEntry, pageNode: Node, page: string) {
  const properties = (pageNode.properties ?? {}) as Record<string, Node>;
  const arrays = Object.entries(properties).flatMap(([key, p]) => {
    const ref = (p.items as Node | undefined)?.$ref;
    return typeof ref === 'string' ? [{ key, items: ref.split('/').pop() as string }] : [];
  });
  if (arrays.length !== 1)
    throw new ContractModelError(
      `${op.id}: cannot tell which resources its page ${page} lists (${arrays.length} array properties of a component schema; one expected)`,
    );
  const meta = Object.keys(
    (resolveNode(spec, (properties.meta as Node | undefined) ?? {}).properties ?? {}) as Node,
  );
  return { ...(arrays[0] as { key: string; items: string }), meta };
}

/** A list's query parameters: paging when named after a field of the page's `meta` (or after its page index), else a filter. */
function queryRoles(op: OperationEntry, meta: string[]) {
  const query = op.parameters.filter((p) => p.in === 'query');
  const metaField = (name: string) => {
    const snake = snakeName(name);
    if (meta.includes(snake)) return snake;
    return meta.includes('page') && snake.startsWith('page_') ? null : undefined;
  };
  const entry = (p: (typeof query)[number], field: string | null) => ({ name: p.name, key: p.key, field });
  return {
    filters: query.filter((p) => metaField(p.name) === undefined).map((p) => entry(p, snakeName(p.name))),
    paging: query
      .filter((p) => metaField(p.name) !== undefined)
      .map((p) => entry(p, metaField(p.name) ?? null)),
  };
}

/** The component a schema names, directly or as the one `$ref` of an `anyOf` (`[BindingSid, null]`). */
const refOf = (schema: Node | undefined): string | undefined =>
  typeof schema?.$ref === 'string'
    ? schema.$ref
    : ((schema?.anyOf as Node[] | undefined)?.find((s) => typeof s.$ref === 'string')?.$ref as
        | string
        | undefined);

/**
 * Ties each path parameter and filter of an operation to the field of its resource holding its value: the
 * field whose schema is the parameter's component, else the field of the parameter's name in snake_case.
 * A filter no field holds is refused: the fake could not honour it.
 */
function bindFields(spec: OpenApiDocument, raw: OperationEntry, op: RegisteredOperation): void {
  const schema = resolveNode(spec, { $ref: `#/components/schemas/${op.resource}` });
  const properties = (schema.properties ?? {}) as Record<string, Node>;
  const fieldOf = (name: string, parameterSchema: Node | undefined) => {
    const ref = refOf(parameterSchema);
    const byRef = Object.entries(properties).find(([, p]) => ref !== undefined && refOf(p) === ref)?.[0];
    const snake = snakeName(name);
    return byRef ?? (snake in properties ? snake : null);
  };
  const declared = (name: string) =>
    raw.parameters.find((p) => p.name === name)?.node.schema as Node | undefined;
  for (const p of [...(op.sid ? [op.sid] : []), ...op.parents]) {
    p.field = fieldOf(p.name, declared(p.name));
    // An instance is found by its SID and its parents' in the store: each must be a field of the resource.
    if (op.sid && p.field === null)
      throw new ContractModelError(
        `${op.id}: cannot tell which field of ${op.resource} holds its path parameter ${p.name}`,
      );
  }
  for (const filter of op.list?.filters ?? []) {
    filter.field = fieldOf(filter.name, declared(filter.name));
    if (filter.field === null)
      throw new ContractModelError(
        `${op.id}: cannot tell which field of ${op.resource} its filter ${filter.name} filters (none is named ${snakeName(filter.name)})`,
      );
  }
}

/** Which action an operation performs, or why it has none the registry supports. */
function actionOf(op: OperationEntry, success: ReturnType<typeof successOf>, member: boolean): Action {
  const where = `${op.id} (${op.method} ${op.path})`;
  if (op.hasRequestBody || ['POST', 'PUT', 'PATCH'].includes(op.method))
    throw new ContractModelError(
      `${where}: creates or updates a resource (a request body); not supported: the registry places list, fetch and delete`,
    );
  if (op.method === 'DELETE') {
    if (success.mediaType !== null)
      throw new ContractModelError(`${where}: a delete whose success has a body`);
    return 'delete';
  }
  if (op.method !== 'GET')
    throw new ContractModelError(`${where}: ${op.method} is not supported by the registry`);
  const action =
    op.pathType === 'list' || op.pathType === 'instance' ? op.pathType : member ? 'instance' : 'list';
  if (action === 'instance' && success.schema === null)
    throw new ContractModelError(
      `${where}: its success body is not a component schema, so its resource has no name`,
    );
  if (success.node === null) throw new ContractModelError(`${where}: a read whose success has no body`);
  return action === 'list' ? 'list' : 'fetch';
}

/** Places one operation; a delete's resource is found later from the fetch on the same path. */
function place(spec: OpenApiDocument, op: OperationEntry): RegisteredOperation {
  const success = successOf(op);
  const noun = nounOf(op);
  const action = actionOf(op, success, noun.member);
  const templates = segments(op.path)
    .filter(isTemplate)
    .map((s) => s.slice(1, -1));
  const sidName = noun.member && action !== 'list' ? templates.at(-1) : undefined;
  const page = success.schema ?? `${op.id} ${success.status}`;
  const listed = action === 'list' ? listKeyOf(spec, op, success.node ?? {}, page) : null;
  const resource = listed?.items ?? (action === 'fetch' ? (success.schema as string) : '');
  const methodName = action === 'list' ? `list${noun.plural}` : `${action}${noun.singular}`;
  return {
    id: op.id,
    action,
    resource,
    method: op.method,
    path: op.path,
    methodName,
    pageMethodName: action === 'list' ? `fetch${noun.plural}Page` : null,
    sid: sidName ? pathParameter(op, sidName) : null,
    parents: templates.filter((t) => t !== sidName).map((t) => pathParameter(op, t)),
    success,
    list: listed ? { key: listed.key, page, ...queryRoles(op, listed.meta) } : null,
  };
}

/** Every operation placed on its resource, and the resources with their operations: keyed, never by file order. */
export function registryOf(spec: OpenApiDocument): Registry {
  const walked = operationsOf(spec);
  const operations = walked.map((op) => place(spec, op));
  for (const op of operations.filter((o) => o.action === 'delete')) {
    const fetch = operations.find((o) => o.action === 'fetch' && o.path === op.path);
    if (!fetch)
      throw new ContractModelError(
        `${op.id} (${op.method} ${op.path}): cannot tell which resource it deletes (no GET on the same path)`,
      );
    op.resource = fetch.resource;
  }
  operations.forEach((op, i) => {
    bindFields(spec, walked[i] as OperationEntry, op);
  });
  const seen = new Map<string, string>();
  for (const op of operations) {
    for (const name of [op.methodName, op.pageMethodName].filter((n): n is string => n !== null)) {
      const other = seen.get(name);
      if (other) throw new ContractModelError(`${op.id} and ${other} would both be named ${name}`);
      seen.set(name, op.id);
    }
  }
  const schemas = [...new Set(operations.map((o) => o.resource))].sort();
  const resources = schemas.map((schema) => {
    const own = operations.filter((o) => o.resource === schema);
    const named = own.find((o) => o.action !== 'list') ?? (own[0] as RegisteredOperation);
    const singular = named.methodName.replace(/^(fetch|delete|list)/, '');
    const list = own.find((o) => o.action === 'list');
    return {
      schema,
      singular: list && !own.some((o) => o.action !== 'list') ? singular.replace(/s$/, '') : singular,
      plural: list ? list.methodName.replace(/^list/, '') : `${singular}s`,
      operations: Object.fromEntries(own.map((o) => [o.action, o.id])),
    };
  });
  return { operations: operations.sort((a, b) => a.id.localeCompare(b.id)), resources };
}
