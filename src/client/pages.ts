// A list walk, loaded with the first page of a list (./listing.js checks the call and loads this): the
// next page is asked of the configured base URL only, never of another host, and a walk ends: no page
// or binding twice (within MAX_WALK_MEMORY), at most maxPages pages, no endless run of empty pages.
import type { operationFacts } from '../../generated/contract.js';
import type { BindingsPage, Listing } from './listing.js';
import type { described as Described } from './quote.js';
import { Recent } from './recent.js';
import type { CallResult } from './request.js';
import type { quote as Quote, Said, said as Said_, words as Words } from './said.js';
import type { Binding, BindingsPageMeta } from './types.js';
import type { atFault as AtFault, violationError as ViolationError } from './violations.js';

/** What the walk uses of the code loaded at once, handed over by ./listing.js. */
export interface WalkTools {
  described: typeof Described;
  quote: typeof Quote;
  said: typeof Said_;
  words: typeof Words;
  atFault: typeof AtFault;
  violationError: typeof ViolationError;
  list: (typeof operationFacts)['ListServiceBinding'];
  MAX_EMPTY_PAGES: number;
  MAX_WALK_MEMORY: number;
}

/** The walk of one client: `begin(target)` fetches a first page whose `next()` goes on. */
export function walker({ request, baseUrl, redact, maxPages }: Listing, tools: WalkTools) {
  const { described, quote, said, words, atFault, violationError, list } = tools;
  const { MAX_EMPTY_PAGES, MAX_WALK_MEMORY } = tools;
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');

  /** A ContractViolationError at `path`, with the part of the page at fault. */
  const violation = ({ status, attempts, body }: CallResult, problem: Said, path = '/meta/next_page_url') =>
    violationError({
      status,
      attempts,
      violations: [{ path, said: problem }],
      body: atFault(body, path, list.resourceField),
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
      throw violation(
        answer,
        said`must be a page of this list (${quote(walk.path)}), got ${described(path ?? next)}`,
      );
    const reached = walk.pageIds.get(target);
    if (reached !== undefined && reached.from !== from)
      throw violation(answer, said`repeats a page this walk already fetched (${described(target)})`);
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
          said`repeats a binding this walk already returned (${described(sid)})`,
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
        if (walk.pages >= maxPages) throw violation(answer, words(`goes on past maxPages (${maxPages})`));
        if (emptyNow >= MAX_EMPTY_PAGES)
          throw violation(
            answer,
            words(`follows ${MAX_EMPTY_PAGES} empty pages in a row: the list does not end`),
          );
        const target = nextTarget(answer, next, walk, id);
        return page({ target, from: id, walk, empty: emptyNow, signal: options.signal });
      },
    };
  }

  /** The first page at `target`, on a new walk: the list's path, and nothing fetched yet. */
  const begin = (target: string, signal?: AbortSignal) =>
    page({ target, from: 0, walk: newWalk(target.split('?')[0] as string), empty: 0, signal });

  /** A new walk: what it remembers of page URLs and SIDs shares MAX_WALK_MEMORY. */
  const newWalk = (path: string): Walk => ({
    path,
    pageIds: new Recent(MAX_WALK_MEMORY / 4),
    sids: new Recent((MAX_WALK_MEMORY / 4) * 3),
    pages: 0,
    lastId: 0,
  });

  return { begin };
}

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
