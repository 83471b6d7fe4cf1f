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

const notFound = (operation: OperationId, path: string, why = '') =>
  errorAnswer(operation, statusCodes.NotFound, `The requested resource ${path} was not found${why}`);

/** What a handler knows of the request besides its parameters. */
export interface Asked {
  /** The request's path. */
  path: string;
  /** The exact digits of each integer parameter past the safe integers (a `Page` of 2^53 or more). */
  exact: Record<string, string>;
}

const success = (operation: OperationId, body: unknown): FakeAnswer =>
  operationFacts[operation].successType === null
    ? { operation, status: operationFacts[operation].successStatus, body: undefined, headers: {} }
    : jsonAnswer(operation, operationFacts[operation].successStatus, body, successHeaders(operation));

/** What each operation does, given its parameters (camel-cased, checked) and the rest of the request. */
export const handlers = {
  ListServiceBinding(store: BindingStore, params: ListBindingsParams, { path, exact }: Asked): FakeAnswer {
    // The contract's 404 for a list: "no such Conversation Service".
    if (!store.hasService(params.chatServiceSid))
      return notFound(
        'ListServiceBinding',
        path,
        ' (no such Conversation Service: the fake holds no binding of it, and its `services` option does not name it)',
      );
    const start = params.pageToken === undefined ? undefined : tokenStart(params.pageToken);
    if (params.pageToken !== undefined && start === undefined)
      return errorAnswer('ListServiceBinding', 400, 'Invalid PageToken');
    const digits = exact.page;
    const page = listPage(store, params, { start, exactPage: digits });
    const answer = success('ListServiceBinding', page);
    return digits === undefined ? answer : { ...answer, exact: [{ holder: page.meta, key: 'page', digits }] };
  },
  FetchServiceBinding(store: BindingStore, params: FetchBindingParams, { path }: Asked): FakeAnswer {
    // The body is serialized before anyone sees it, so the stored binding itself can be answered.
    const binding = store.find(params.chatServiceSid, params.sid);
    return binding ? success('FetchServiceBinding', binding) : notFound('FetchServiceBinding', path);
  },
  DeleteServiceBinding(store: BindingStore, params: DeleteBindingParams, { path }: Asked): FakeAnswer {
    return store.remove(params.chatServiceSid, params.sid)
      ? success('DeleteServiceBinding', undefined)
      : notFound('DeleteServiceBinding', path);
  },
} satisfies Record<OperationId, (store: BindingStore, params: never, asked: Asked) => FakeAnswer>;

export { notFound };
