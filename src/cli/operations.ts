// The operations `verify` checks, read from the generated registry (never named in a check): each with what
// it does to which resource, that resource's other operations, and the order a run takes them in.
import { operationFacts } from '../../generated/contract.js';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';
import type { OperationId } from '../client/types.js';

export type Action = 'list' | 'fetch' | 'delete';
/** The order a run takes a resource's operations in: a list shows instances, a fetch reads one, a delete ends one. */
export const ACTIONS: readonly Action[] = ['list', 'fetch', 'delete'];

/** A path parameter as the registry describes it: its name, key, rule and the field holding its value. */
export interface PathParameter {
  name: string;
  key: string;
  pattern: string | null;
  field: string | null;
}

/** A list's query parameter, and the field it is tied to (a filter's field of the resource, paging's of `meta`). */
export interface ListParameter {
  name: string;
  key: string;
  field: string | null;
}

/** One operation of the registry (generated/registry.js), as verify reads it. */
export interface Operation {
  id: OperationId;
  action: Action;
  resource: string;
  method: string;
  path: string;
  sid: PathParameter | null;
  parents: readonly PathParameter[];
  success: { status: number; mediaType: string | null; schema: string | null };
  list: {
    key: string;
    page: string;
    filters: readonly ListParameter[];
    paging: readonly ListParameter[];
  } | null;
}

/** One resource of the registry, with the operation of each of its actions. */
export interface Resource {
  schema: string;
  singular: string;
  plural: string;
  operations: Partial<Record<Action, OperationId>>;
}

export const resources = Object.values(resourceRegistry) as unknown as readonly Resource[];

const rank = (op: Operation) =>
  resources.findIndex((r) => r.schema === op.resource) * ACTIONS.length + ACTIONS.indexOf(op.action);

/** Every operation of the registry, resource by resource (the registry's order), each one's list, fetch, delete. */
export const operations: readonly Operation[] = (
  Object.values(operationRegistry) as unknown as Operation[]
).sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));

/** An operation by its id. */
export const operation = (id: OperationId): Operation => operations.find((op) => op.id === id) as Operation;

/** The resource an operation acts on. */
export const resourceOf = (op: Operation): Resource =>
  resources.find((r) => r.schema === op.resource) as Resource;

/** The operation of another action on the same resource (the fetch a delete's use-after-free reads). */
export function sibling(op: Operation, action: Action): Operation | undefined {
  const id = resourceOf(op).operations[action];
  return id ? operation(id) : undefined;
}

/** The resource's name as a report says it: `binding`, `bindings`. */
export const nounOf = (resource: Resource, plural = false) =>
  (plural ? resource.plural : resource.singular).toLowerCase();

/** An operation's parameter facts (its validator, the words for its rule) by key. */
export function parameterFacts(id: OperationId, key: string) {
  const facts = operationFacts[id].parameters as readonly {
    name: string;
    in: string;
    key: string;
    required: boolean;
    validate: (value: unknown) => boolean;
    expected: string;
  }[];
  return facts.find((p) => p.key === key);
}

/** An operation's parameters in one place of the request (`path`, `query`). */
export const parametersIn = (id: OperationId, place: 'path' | 'query') =>
  (operationFacts[id].parameters as readonly { name: string; in: string; key: string }[]).filter(
    (p) => p.in === place,
  );

const once = (values: readonly string[]) => [...new Set(values)];
const ofAction = (action: Action) => operations.filter((op) => op.action === action);

/** The resources an action is taken on (those `fits` lets through), as a check's words say them: `binding`, or `credential or binding`. */
export const nounsFor = (action: Action, plural = false, fits: (op: Operation) => boolean = () => true) =>
  once(
    ofAction(action)
      .filter(fits)
      .map((op) => nounOf(resourceOf(op), plural)),
  ).join(' or ');

/** What the operations of an action document for success (`200`; `application/json`, or `no body`), each once. */
export const successFor = (action: Action, part: 'status' | 'mediaType') =>
  once(ofAction(action).map((op) => String(op.success[part] ?? 'no body'))).join(' or ');

/** The noun of the resource an operation acts on, by the operation's id: `binding`. */
export const nounOfId = (id: OperationId) => nounOf(resourceOf(operation(id)));
