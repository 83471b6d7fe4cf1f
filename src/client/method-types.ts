// The client's methods as types: one per operation of the registry, named by its naming rule, its
// parameters, resource and page taken from the registry's literal types and the generated schema types.
import type { operationRegistry } from '../../generated/registry.js';
import type { ListOf, OperationId, OperationIdOf, OperationParams, PageMetaOf, ResourceOf } from './types.js';

export interface CallOptions {
  /** Aborts the call at once: the signal's reason is thrown and no retry follows. */
  signal?: AbortSignal | undefined;
}

/** What fetchBinding (and every fetch or delete) takes besides its parameters. */
export interface FetchBindingOptions extends CallOptions {}

export interface PageOptions {
  /** Aborts the request at once: the signal's reason is thrown. */
  signal?: AbortSignal | undefined;
}

/** What listBindings (and every list) takes besides its parameters. */
export interface ListBindingsOptions extends PageOptions {
  /** Stop after this many items (no page past them is fetched). Default: all of them. */
  limit?: number | undefined;
}

/**
 * One page of a list: its resources under the list's key (`bindings`), its paging metadata, and the next
 * page on demand.
 */
export type PageOf<Id extends OperationIdOf<'list'>> = {
  [K in ListOf<Id>['key'] | 'meta' | 'next']: K extends 'next'
    ? /**
       * The next page, or undefined after the last one (`meta.next_page_url` null). Each call fetches it:
       * called again (after a failure, or a double click), it asks for the same page again, which is no repeat.
       */
      (options?: PageOptions) => Promise<PageOf<Id> | undefined>
    : K extends 'meta'
      ? PageMetaOf<Id>
      : ResourceOf<Id>[];
};

/** One page of the bindings of a service: `bindings`, `meta` and `next()`. */
export type BindingsPage = PageOf<'ListServiceBinding'>;

type Registry = typeof operationRegistry;

/** An operation's method, by its action. */
type MethodOf<Id extends OperationId> = {
  /** Its items, fetched page by page as the caller iterates. */
  list: (params: OperationParams<Id>, options?: ListBindingsOptions) => AsyncIterable<ResourceOf<Id>>;
  /** Fetches one resource; throws a BindingsError subclass (or the signal's abort reason). */
  fetch: (params: OperationParams<Id>, options?: FetchBindingOptions) => Promise<ResourceOf<Id>>;
  /** Deletes a resource; resolves once the service answers that it is gone. */
  delete: (params: OperationParams<Id>, options?: FetchBindingOptions) => Promise<void>;
}[Registry[Id]['action']];

/**
 * A method per operation of the registry, named by its rule (`fetchBinding`, `listBindings`,
 * `deleteBinding`), and a page method per list (`fetchBindingsPage`): an operation added to the contract
 * has its typed method after `npm run generate`.
 */
export type OperationMethods = {
  [Id in OperationId as Registry[Id]['methodName']]: MethodOf<Id>;
} & {
  [Id in OperationIdOf<'list'> as NonNullable<Registry[Id]['pageMethodName']>]: (
    params: OperationParams<Id>,
    options?: PageOptions,
  ) => Promise<PageOf<Id>>;
};
