// The three operations of the Binding resource, as the fake performs them on its store once a request
// has been routed, authenticated and its parameters checked: one typed handler each.
import { operationFacts, statusCodes } from '../../generated/contract.js';
import type {
  DeleteBindingParams,
  FetchBindingParams,
  ListBindingsParams,
  OperationId,
} from '../client/types.js';
import { errorAnswer, type FakeAnswer, jsonAnswer, successHeaders } from './answers.js';
import { listPage, tokenStart } from './listing.js';
import type { BindingStore } from './store.js';

const notFound = (operation: OperationId, path: string) =>
  errorAnswer(operation, statusCodes.NotFound, `The requested resource ${path} was not found`);

const success = (operation: OperationId, body: unknown): FakeAnswer =>
  operationFacts[operation].successType === null
    ? { operation, status: operationFacts[operation].successStatus, body: undefined, headers: {} }
    : jsonAnswer(operation, operationFacts[operation].successStatus, body, successHeaders(operation));

/** What each operation does, given its parameters (camel-cased, checked) and the request's path. */
export const handlers = {
  ListServiceBinding(store: BindingStore, params: ListBindingsParams): FakeAnswer {
    const start = params.pageToken === undefined ? undefined : tokenStart(params.pageToken);
    if (params.pageToken !== undefined && start === undefined)
      return errorAnswer('ListServiceBinding', 400, 'Invalid PageToken');
    return success('ListServiceBinding', listPage(store, params, start));
  },
  FetchServiceBinding(store: BindingStore, params: FetchBindingParams, path: string): FakeAnswer {
    // The body is serialized before anyone sees it, so the stored binding itself can be answered.
    const binding = store.find(params.chatServiceSid, params.sid);
    return binding ? success('FetchServiceBinding', binding) : notFound('FetchServiceBinding', path);
  },
  DeleteServiceBinding(store: BindingStore, params: DeleteBindingParams, path: string): FakeAnswer {
    return store.remove(params.chatServiceSid, params.sid)
      ? success('DeleteServiceBinding', undefined)
      : notFound('DeleteServiceBinding', path);
  },
} satisfies Record<OperationId, (store: BindingStore, params: never, path: string) => FakeAnswer>;

export { notFound };
