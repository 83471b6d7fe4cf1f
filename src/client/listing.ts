// Listing bindings, what a program loads at once: the options and parameters checked when the call is
// made (a bad one throws before anything is sent), the constants and types, and the walk itself loaded
// with ./pages.js on a list's first page (a program that only fetches never loads it).
import { operationFacts } from '../../generated/contract.js';
import type { WalkTools } from './pages.js';
import { requestTarget } from './parameters.js';
import { described, quoted } from './quote.js';
import type { Requester } from './request.js';
import { quote, said, words } from './said.js';
import type { Binding, BindingsPageMeta, ListBindingsParams } from './types.js';
import { atFault, violationError } from './violations.js';

const list = operationFacts.ListServiceBinding;

/** A service that answers this many empty pages in a row, each with a next page, is not listing anything. */
export const MAX_EMPTY_PAGES = 10;
/** The most pages one walk fetches unless the client's `maxPages` option says otherwise. */
export const DEFAULT_MAX_PAGES = 10_000;

export interface PageOptions {
  /** Aborts the request at once: the signal's reason is thrown. */
  signal?: AbortSignal | undefined;
}

export interface ListBindingsOptions extends PageOptions {
  /** Stop after this many bindings (no page past them is fetched). Default: all of them. */
  limit?: number | undefined;
}

/** One page of a list: its bindings, its paging metadata, and the next page on demand. */
export interface BindingsPage {
  bindings: Binding[];
  meta: BindingsPageMeta;
  /**
   * The next page, or undefined after the last one (`meta.next_page_url` null). Each call fetches it: called
   * again (after a failure, or a double click), it asks for the same page again, which is no repeat.
   */
  next(options?: PageOptions): Promise<BindingsPage | undefined>;
}

export interface Listing {
  request: Requester;
  baseUrl: string;
  redact: (text: string) => string;
  /** The most pages one walk fetches. */
  maxPages: number;
}

/** The pager of one client: `firstPage` and `listBindings`, checking now, walking once ./pages.js is loaded. */
export function pager(listing: Listing) {
  const { redact } = listing;
  let loaded: Promise<ReturnType<typeof import('./pages.js').walker>> | undefined;
  const walk = () => {
    loaded ??= import('./pages.js').then(({ walker }) => walker(listing, tools));
    return loaded;
  };

  /** The first page of a list; its `next()` walks the rest. */
  async function firstPage(params: ListBindingsParams, options: PageOptions = {}): Promise<BindingsPage> {
    const target = requestTarget(list.path, list.parameters, params, redact);
    return (await walk()).begin(target, options.signal);
  }

  /**
   * The bindings of a list, fetched page by page as the caller iterates: a page is fetched only when
   * the caller reaches it, and none past `limit`. Parameters are checked at once (it throws before
   * anything is sent); a page that breaks the contract throws from the loop.
   */
  function listBindings(
    params: ListBindingsParams,
    options: ListBindingsOptions = {},
  ): AsyncIterable<Binding> {
    const { limit = Number.POSITIVE_INFINITY, signal } = options;
    // A non-number is neither an integer nor infinite.
    if (!(limit >= 0 && (Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY)))
      throw new TypeError(`listBindings: option limit must be an integer ≥ 0, got ${quoted(limit)}`);
    // A small limit asks for no more bindings than it takes, when the contract allows such a page size.
    // (Found by key here, not through parameterOf: the client's bundle takes only what it reads.)
    const pageSize = list.parameters.find((p) => p.key === 'pageSize');
    const given = params as { pageSize?: unknown } | undefined;
    const sized =
      given?.pageSize === undefined && pageSize?.validate(limit) ? { ...params, pageSize: limit } : params;
    const first = requestTarget(list.path, list.parameters, sized, redact);
    return {
      async *[Symbol.asyncIterator]() {
        if (limit === 0) return;
        let count = 0;
        let current: BindingsPage | undefined = await (await walk()).begin(first, signal);
        while (current) {
          for (const binding of current.bindings) {
            yield binding;
            if (++count >= limit) return;
          }
          current = await current.next({ signal });
        }
      },
    };
  }

  return { firstPage, listBindings };
}

/**
 * The most memory one walk keeps to notice repeats: page URLs and SIDs, counted as 2 bytes a character
 * plus 64 an entry. Past it the walk forgets the oldest first, so what it keeps does not grow with what
 * a service sends: a repeat of one of the most recent (about 12,000 SIDs of 34 characters) is still
 * noticed, an older one is not, and maxPages still ends the walk.
 */
export const MAX_WALK_MEMORY = 2 * 1024 * 1024;

/** What ./pages.js is handed rather than imports: an import would put the shared code in a third chunk. */
const tools: WalkTools = {
  described,
  quote,
  said,
  words,
  atFault,
  violationError,
  list,
  MAX_EMPTY_PAGES,
  MAX_WALK_MEMORY,
};
