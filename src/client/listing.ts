// A list operation's two methods (`listBindings`, `fetchBindingsPage`), what a program loads at once: the
// options and parameters checked when the call is made (a bad one throws before anything is sent), the
// constants, and the walk itself loaded with ./pages.js on a list's first page (a program that only
// fetches never loads it).
import { loadAnswers } from './answers-loader.js';
import type { ListBindingsOptions, PageOptions } from './method-types.js';
import type { Listing, WalkedList, WalkedPage, WalkTools } from './pages.js';
import { type ParameterFacts, requestTarget } from './parameters.js';
import { described, quoted } from './quote.js';
import type { OperationCall } from './request.js';
import { quote, said, words } from './said.js';

export type { BindingsPage, ListBindingsOptions, PageOptions } from './method-types.js';

/** A service that answers this many empty pages in a row, each with a next page, is not listing anything. */
export const MAX_EMPTY_PAGES = 10;
/** The most pages one walk fetches unless the client's `maxPages` option says otherwise. */
export const DEFAULT_MAX_PAGES = 10_000;
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
  answers: loadAnswers,
  MAX_EMPTY_PAGES,
  MAX_WALK_MEMORY,
};

/** A list operation as its methods need it: the registry's names for them, and what a walk needs. */
export interface ListOperation extends WalkedList {
  op: OperationCall & { readonly path: string; readonly parameters: readonly ParameterFacts[] };
  methodName: string;
  pageMethodName: string;
  /** Its page size parameter, if it has one: a small `limit` asks for no larger a page. */
  pageSize: ParameterFacts | undefined;
}

/** The list's two methods for one client, by name: the lazy walk of its items, and its first page. */
export function listMethods(list: ListOperation, listing: Listing) {
  const { op, pageSize } = list;
  const target = (params: unknown) => requestTarget(op.path, op.parameters, params, listing.redact);
  let loaded: Promise<ReturnType<typeof import('./pages.js').walker>> | undefined;
  const walk = () => {
    loaded ??= import('./pages.js').then(({ walker }) => walker(listing, list, tools));
    return loaded;
  };

  /** The first page of a list; its `next()` walks the rest. */
  async function firstPage(params: unknown, options: PageOptions = {}): Promise<WalkedPage> {
    return (await walk()).begin(target(params), options.signal);
  }

  /**
   * The items of a list, fetched page by page as the caller iterates: a page is fetched only when the
   * caller reaches it, and none past `limit`. Parameters are checked at once (it throws before anything
   * is sent); a page that breaks the contract throws from the loop.
   */
  function items(params: unknown, options: ListBindingsOptions = {}): AsyncIterable<unknown> {
    const { limit = Number.POSITIVE_INFINITY, signal } = options;
    // A non-number is neither an integer nor infinite.
    if (!(limit >= 0 && (Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY)))
      throw new TypeError(`${list.methodName}: option limit must be an integer ≥ 0, got ${quoted(limit)}`);
    // A small limit asks for no more items than it takes, when the contract allows such a page size.
    const given = params as Record<string, unknown> | undefined;
    const sized =
      pageSize && given?.[pageSize.key] === undefined && pageSize.validate(limit)
        ? { ...given, [pageSize.key]: limit }
        : params;
    const first = target(sized);
    return {
      async *[Symbol.asyncIterator]() {
        if (limit === 0) return;
        let count = 0;
        let current: WalkedPage | undefined = await (await walk()).begin(first, signal);
        while (current) {
          for (const item of current[list.key] as unknown[]) {
            yield item;
            if (++count >= limit) return;
          }
          current = await current.next({ signal });
        }
      },
    };
  }

  return { [list.methodName]: items, [list.pageMethodName]: firstPage };
}
