// What each operation does to its resource's store, once a request has been routed, authenticated and its
// parameters checked: the action its registry entry names (list, fetch, delete). There is no line per
// operation: `handlers` is made from the registry, one entry per operation, each its action's.
import { operationFacts, statusCodes } from '../../generated/contract.js';
import { operationRegistry } from '../../generated/registry.js';
import type { OperationId } from '../client/types.js';
import { buildPath } from '../client/url.js';
import { errorAnswer, type FakeAnswer, jsonAnswer, successHeaders } from './answers.js';
import { documentedResponse } from './conformance.js';
import { type ListModel, listModelOf, listPage, META, tokenStart } from './listing.js';
import { parentTemplates, type ResourceName } from './resources.js';
import type { FakeResources } from './state.js';

export const notFound = (operation: OperationId, path: string, why = '') =>
  errorAnswer(operation, statusCodes.NotFound, `The requested resource ${path} was not found${why}`);

/** What a handler knows of the request besides its parameters. */
export interface Asked {
  /** The request's path. */
  path: string;
  /** Its path parameters, by name (decoded). */
  names: Readonly<Record<string, string>>;
  /** The exact digits of each integer parameter past the safe integers (a `Page` of 2^53 or more). */
  exact: Record<string, string>;
}

/** An operation's handler: its answer, given the fake's state and the request's checked parameters by key. */
export type Handler = (state: FakeResources, params: Record<string, unknown>, asked: Asked) => FakeAnswer;

const success = (operation: OperationId, body: unknown): FakeAnswer =>
  operationFacts[operation].successType === null
    ? { operation, status: operationFacts[operation].successStatus, body: undefined, headers: {} }
    : jsonAnswer(operation, operationFacts[operation].successStatus, body, successHeaders(operation));

/** Each list operation's model, made once. */
const lists = new Map(
  (Object.keys(operationRegistry) as OperationId[]).map((id) => [id, listModelOf(id)] as const),
);

/** Where the instances an operation addresses are held: its resource, and the path of their parents. */
function placed(id: OperationId, asked: Asked) {
  const template = parentTemplates[id];
  return {
    resource: operationRegistry[id].resource as ResourceName,
    parent: template && buildPath(template, asked.names),
  };
}

/** A page of the instances under the parents the path names; a parent that does not exist, the contract's 404. */
function list(id: OperationId, state: FakeResources, params: Record<string, unknown>, asked: Asked) {
  const model = lists.get(id) as ListModel;
  const { resource, parent } = placed(id, asked);
  if (!state.hasParent(parent) && documentedResponse(id, statusCodes.NotFound))
    return notFound(
      id,
      asked.path,
      ` (no such parent: the fake holds nothing under ${parent}, and no option names it)`,
    );
  const token = model.token && (params[model.token.key] as string | undefined);
  const start = token === undefined ? undefined : tokenStart(token);
  if (token !== undefined && start === undefined) return errorAnswer(id, 400, `Invalid ${model.token?.name}`);
  const digits = model.index && asked.exact[model.index.key];
  const page = listPage(
    model,
    state.store(resource),
    { path: asked.names, params, parent },
    { start, exactPage: digits },
  );
  const answer = success(id, page);
  return digits === undefined
    ? answer
    : { ...answer, exact: [{ holder: page[META.property], key: META.index, digits }] };
}

/** The instance the path names, if held. */
function fetch(id: OperationId, state: FakeResources, _params: Record<string, unknown>, asked: Asked) {
  const { resource, parent } = placed(id, asked);
  const sid = asked.names[operationRegistry[id].sid?.name ?? ''];
  // The body is serialized before anyone sees it, so the stored instance itself can be answered.
  const found = sid === undefined ? undefined : state.store(resource).find(parent, sid);
  return found ? success(id, found) : notFound(id, asked.path);
}

/** Deletes the instance the path names, if held: it is gone from every fetch, list and delete after. */
function remove(id: OperationId, state: FakeResources, _params: Record<string, unknown>, asked: Asked) {
  const { resource, parent } = placed(id, asked);
  const sid = asked.names[operationRegistry[id].sid?.name ?? ''];
  return sid !== undefined && state.store(resource).remove(parent, sid)
    ? success(id, undefined)
    : notFound(id, asked.path);
}

const actions = { list, fetch, delete: remove } satisfies Record<
  (typeof operationRegistry)[OperationId]['action'],
  (id: OperationId, ...rest: Parameters<Handler>) => FakeAnswer
>;

/** Each operation's handler: its registry entry's action, for that operation. */
export const handlers = Object.fromEntries(
  (Object.keys(operationRegistry) as OperationId[]).map((id): [OperationId, Handler] => {
    const act = actions[operationRegistry[id].action];
    return [id, (state, params, asked) => act(id, state, params, asked)];
  }),
) as Record<OperationId, Handler>;
