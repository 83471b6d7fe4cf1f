// conversations-bindings-contract/testing/msw: the stateful fake as MSW request handlers, for code that
// calls the global fetch (msw is an optional peer dependency; browser-safe like the fake).
import { type HttpHandler, HttpResponse, http } from 'msw';
import { operationFacts, server } from '../../generated/contract.js';
import type { BindingsFake } from './fake.js';

export interface BindingsHandlersOptions {
  /** The origin (and any path prefix) the application calls. Default: the contract's server. */
  baseUrl?: string;
}

/**
 * One handler per path of the Binding resource (any method, so an undocumented one is answered 405 as
 * the service does), answered by the fake. Requests to other paths are left to MSW's
 * `onUnhandledRequest`. A fault that drops the connection becomes a network error; a FakeContractError
 * propagates (MSW answers 500 and prints it).
 */
export function bindingsHandlers(fake: BindingsFake, options: BindingsHandlersOptions = {}): HttpHandler[] {
  let base = options.baseUrl ?? server;
  while (base.endsWith('/')) base = base.slice(0, -1);
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const paths = [...new Set(Object.values(operationFacts).map((op) => op.path))];
  return paths.map((path) =>
    http.all(`${base}${path.replace(/\{(\w+)\}/g, ':$1')}`, async ({ request }) => {
      try {
        // The fake knows the contract's paths: a base URL's own path (a gateway's prefix) is not part of them.
        const url = new URL(request.url);
        url.pathname = url.pathname.slice(prefix.length);
        return await fake.handle(prefix ? new Request(url, request) : request);
      } catch (error) {
        if (error instanceof TypeError) return HttpResponse.error();
        throw error;
      }
    }),
  );
}
