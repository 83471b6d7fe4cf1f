// conversations-bindings-contract/testing/msw: the stateful fake as MSW request handlers, for code that
// calls the global fetch (msw is an optional peer dependency; browser-safe like the fake).
import { type HttpHandler, HttpResponse, http } from 'msw';
import { operationFacts, server } from '../../generated/contract.js';
import { BASE_URL_RULE, checkBaseUrl } from '../client/url.js';
import { type BindingsFake, throughMsw } from './fake.js';

export interface BindingsHandlersOptions {
  /** The origin (and any path prefix) the application calls, taken literally. Default: the contract's server. */
  baseUrl?: string | undefined;
}

/** Text matched as itself: every character a regular expression would read as syntax, escaped. */
const literal = (text: string) =>
  text
    .replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
    // A percent-encoded octet may be written in either case (RFC 3986 §2.1).
    .replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%${either(a)}${either(b)}`);
const either = (hex: string) => (/[A-F]/.test(hex) ? `[${hex}${hex.toLowerCase()}]` : hex);

/**
 * The URLs (origin and path, as MSW matches them) of one path of the contract under a base URL: the base
 * literally, each `{Name}` one path segment. Only non-capturing groups: MSW would decode a capture.
 */
function urlPattern(base: URL, template: string): RegExp {
  const prefix = base.pathname.replace(/\/$/, '');
  const parts = template.split(/\{\w+\}/).map(literal);
  return new RegExp(`^${literal(base.origin + prefix)}${parts.join('[^/]+')}$`);
}

/**
 * One handler per path of the Binding resource (any method, so an undocumented one is answered 405 as
 * the service does), answered by the fake. The base URL is matched literally (its `+`, `(`, `:` or `*`
 * are characters, not a pattern); one that is not an absolute http(s) URL without query, fragment or
 * credentials is a TypeError here. Requests to other paths are left to MSW's `onUnhandledRequest`. A
 * fault that drops the connection becomes a network error (a failure of the fake is its own 500).
 */
export function bindingsHandlers(fake: BindingsFake, options: BindingsHandlersOptions = {}): HttpHandler[] {
  const checked = checkBaseUrl(options.baseUrl ?? server);
  if (checked.problem !== undefined)
    throw new TypeError(`bindingsHandlers: option baseUrl must be ${BASE_URL_RULE}, ${checked.problem}`);
  const base = new URL(checked.url);
  const prefix = base.pathname.replace(/\/$/, '');
  const paths = [...new Set(Object.values(operationFacts).map((op) => op.path))];
  return paths.map((path) =>
    http.all(urlPattern(base, path), async ({ request }) => {
      try {
        // The fake knows the contract's paths: a base URL's own path (a gateway's prefix) is not part of them.
        const url = new URL(request.url);
        url.pathname = url.pathname.slice(prefix.length);
        const passed = prefix ? new Request(url, request) : request;
        throughMsw.add(passed);
        return await fake.handle(passed);
      } catch (error) {
        if (error instanceof TypeError) return HttpResponse.error();
        throw error;
      }
    }),
  );
}
