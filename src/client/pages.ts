// Listing bindings: a page at a time, or an async iterable of bindings that fetches pages as the
// caller reaches them. The next page is asked of the configured base URL only, never of another host,
// and a walk ends: no page or binding twice, at most maxPages pages.
import { operationFacts, parameterOf } from '../../generated/contract.js';
import { requestTarget } from './parameters.js';
import { quoted } from './quote.js';
import { Recent } from './recent.js';
import { redactDeep } from './redact.js';
import type { CallResult, Requester } from './request.js';
import { violationError } from './response.js';
import type { Binding, BindingsPageMeta, ListBindingsParams } from './types.js';

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

interface Listing {
  request: Requester;
  baseUrl: string;
  redact: (text: string) => string;
  /** The most pages one walk fetches. */
  maxPages: number;
}

/** The pager of one client: `firstPage` and `listBindings` over its request function. */
export function pager({ request, baseUrl, redact, maxPages }: Listing) {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');

  const violation = ({ status, attempts, body }: CallResult, problem: string, path = '/meta/next_page_url') =>
    violationError({
      status,
      attempts,
      violations: [{ path, message: redact(problem) }],
      body: redactDeep(body, redact),
      redact,
    });

  /** A page URL the service wrote, as a request target on this client's base (its path and query). */
  function targetOf(pageUrl: string): { path?: string; target: string } {
    let url: URL | undefined;
    try {
      url = new URL(pageUrl);
    } catch {}
    const path = url?.pathname.startsWith(`${basePath}/`)
      ? url.pathname.slice(basePath.length)
      : url?.pathname;
    return { path, target: `${path}${url?.search ?? ''}` };
  }

  /**
   * The request target of `next_page_url` on the page `from`; a violation when it is not this list's, or
   * leads to a page the walk reached another way (asked again from the same page, it is the same page).
   */
  function nextTarget(answer: CallResult, next: string, walk: Walk, from: number): string {
    const { path, target } = targetOf(next);
    if (path !== walk.path)
      throw violation(answer, `must be a page of this list (${walk.path}), got ${quoted(path ?? next)}`);
    const reached = walk.pageIds.get(target);
    if (reached !== undefined && reached.from !== from)
      throw violation(answer, `repeats a page this walk already fetched (${quoted(target)})`);
    return target;
  }

  /**
   * A page at `target`, reached from the page `from` (0: none); `empty` is how many empty pages came
   * just before it in this walk.
   */
  async function page({ target, from, walk, empty, signal }: PageRequest): Promise<BindingsPage> {
    const answer = await request(list, baseUrl + target, { signal });
    // Only a page that was fetched counts: a failed request may be tried again.
    walk.pages++;
    // The same page asked again from the same page is the same page: it keeps its id.
    const id = walk.pageIds.get(target)?.id ?? ++walk.lastId;
    walk.pageIds.set(target, { from, id });
    const body = (answer.body ?? {}) as { bindings?: Binding[]; meta?: BindingsPageMeta };
    const bindings = Array.isArray(body.bindings) ? body.bindings : [];
    // A binding this walk already returned means the pages go round (however their URLs differ). The
    // same page fetched again holds its own bindings again; another page, or this one twice, may not.
    const here = new Set<string>();
    const fresh: string[] = [];
    for (let i = 0; i < bindings.length; i++) {
      const sid = (bindings[i] as { sid?: unknown } | null)?.sid;
      if (typeof sid !== 'string') continue;
      const held = walk.sids.get(sid);
      if ((held !== undefined && held !== id) || here.has(sid))
        throw violation(
          answer,
          `repeats a binding this walk already returned (${quoted(sid)})`,
          `/bindings/${i}/sid`,
        );
      here.add(sid);
      if (held === undefined) fresh.push(sid);
    }
    walk.sids.remember(fresh, id);
    const next = body.meta?.next_page_url;
    // The page's own URL as the service writes it: a next page pointing back at it is a loop too.
    // (Marked as reached from no page, so even this page's own next() may not lead there.)
    // (A url that is no URL gives a target no next page of this list can have.)
    const self = targetOf(body.meta?.url as string).target;
    if (!walk.pageIds.has(self)) walk.pageIds.set(self, { from: -1, id: ++walk.lastId });
    const emptyNow = bindings.length ? 0 : empty + 1;
    return {
      bindings,
      meta: body.meta as BindingsPageMeta,
      async next(options = {}) {
        if (typeof next !== 'string') return undefined;
        if (walk.pages >= maxPages) throw violation(answer, `goes on past maxPages (${maxPages})`);
        if (emptyNow >= MAX_EMPTY_PAGES)
          throw violation(answer, `follows ${MAX_EMPTY_PAGES} empty pages in a row: the list does not end`);
        const target = nextTarget(answer, next, walk, id);
        return page({ target, from: id, walk, empty: emptyNow, signal: options.signal });
      },
    };
  }

  /** The first page at `target`, on a new walk: the list's path, and nothing fetched yet. */
  const begin = (target: string, signal?: AbortSignal) =>
    page({ target, from: 0, walk: newWalk(target.split('?')[0] as string), empty: 0, signal });

  /** The first page of a list; its `next()` walks the rest. */
  async function firstPage(params: ListBindingsParams, options: PageOptions = {}): Promise<BindingsPage> {
    const target = requestTarget(list.path, list.parameters, params, redact);
    return begin(target, options.signal);
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
    const { pageSize } = parameterOf.ListServiceBinding;
    const given = params as { pageSize?: unknown } | undefined;
    const sized =
      given?.pageSize === undefined && pageSize.validate(limit) ? { ...params, pageSize: limit } : params;
    const first = requestTarget(list.path, list.parameters, sized, redact);
    return {
      async *[Symbol.asyncIterator]() {
        if (limit === 0) return;
        let count = 0;
        let current: BindingsPage | undefined = await begin(first, signal);
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
 * a service sends: a repeat of one of the most recent (about 15,000 SIDs of 34 characters) is still
 * noticed, an older one is not, and maxPages still ends the walk.
 */
export const MAX_WALK_MEMORY = 2 * 1024 * 1024;

/** A page to fetch: where, from which page (0: none), on which walk, after how many empty pages in a row. */
interface PageRequest {
  target: string;
  from: number;
  walk: Walk;
  empty: number;
  signal?: AbortSignal | undefined;
}

/** One walk through a list: its path (the first page's), and what it remembers of the pages it fetched. */
interface Walk {
  path: string;
  /**
   * The targets of the pages fetched (and of the URLs pages say they are at), each with an id of its
   * own and the id of the page whose next() led to it (0 for the first page, -1 for a page's own URL).
   */
  pageIds: Recent<{ from: number; id: number }>;
  /** The SIDs of the bindings those pages held, each with the id of the page that held it. */
  sids: Recent<number>;
  /** How many pages were fetched. */
  pages: number;
  lastId: number;
}

const newWalk = (path: string): Walk => ({
  path,
  pageIds: new Recent(MAX_WALK_MEMORY / 4),
  sids: new Recent((MAX_WALK_MEMORY / 4) * 3),
  pages: 0,
  lastId: 0,
});
