// A list walk, loaded with the first page of a list (./listing.js checks the call and loads this): the
// next page is asked of the configured base URL only, never of another host, and a walk ends: no page
// or item twice (within MAX_WALK_MEMORY), at most maxPages pages, no endless run of empty pages.
import type { Answers } from './answers/index.js';
import type { ContractViolationError } from './errors.js';
import type { described as Described } from './quote.js';
import { Recent } from './recent.js';
import type { CallResult, OperationCall, Requester } from './request.js';
import type { quote as Quote, Said, said as Said_, words as Words } from './said.js';

/** What the walk uses of the code loaded at once, handed over by ./listing.js (an import would put it in a chunk of its own). */
export interface WalkTools {
  described: typeof Described;
  quote: typeof Quote;
  said: typeof Said_;
  words: typeof Words;
  /** What the client makes of an answer, loaded with the first request. */
  answers: () => Promise<Answers>;
  MAX_EMPTY_PAGES: number;
  MAX_WALK_MEMORY: number;
}

/** What a client's walks share: how to request, where, and how far a walk may go. */
export interface Listing {
  request: Requester;
  baseUrl: string;
  redact: (text: string) => string;
  /** The most pages one walk fetches. */
  maxPages: number;
}

/** The list a walk goes through, from the registry: its operation, where its page holds its items, what names them. */
export interface WalkedList {
  op: OperationCall;
  /** The page's array of items (`bindings`). */
  key: string;
  /** The field of an item holding its SID (`sid`), or null when the list's resource has none. */
  sidField: string | null;
  /** What one item is called in a message (`binding`). */
  noun: string;
}

/** One page as the walk hands it: its items under the list's key, its `meta`, and `next()`. */
export type WalkedPage = Record<string, unknown> & {
  meta: Record<string, unknown>;
  next(options?: { signal?: AbortSignal | undefined }): Promise<WalkedPage | undefined>;
};

/** One walk through a list: its path (the first page's), and what it remembers of the pages it fetched. */
interface Walk {
  path: string;
  /**
   * The targets of the pages fetched (and of the URLs pages say they are at), each with an id of its
   * own and the id of the page whose next() led to it (0 for the first page, -1 for a page's own URL).
   */
  pageIds: Recent<{ from: number; id: number }>;
  /** The SIDs of the items those pages held, each with the id of the page that held it. */
  sids: Recent<number>;
  /** How many pages were fetched. */
  pages: number;
  lastId: number;
}

/** What every page of one client's walks of one list needs. */
interface Context extends Listing {
  list: WalkedList;
  tools: WalkTools;
  /** The base URL's path, without its trailing slash: what a page URL's path starts with. */
  basePath: string;
}

/** A page to fetch: where, from which page (0: none), on which walk, after how many empty pages in a row. */
interface PageRequest {
  target: string;
  from: number;
  walk: Walk;
  empty: number;
  signal?: AbortSignal | undefined;
}

/** A ContractViolationError at `path` of the page `answer`, with the part of the page at fault. */
async function violation(
  cx: Context,
  { answer, problem, path = '/meta/next_page_url' }: { answer: CallResult; problem: Said; path?: string },
): Promise<ContractViolationError> {
  const answers = await cx.tools.answers();
  const { status, attempts, body } = answer;
  return answers.violationError({
    status,
    attempts,
    violations: [{ path, said: problem }],
    body: answers.atFault({ body, path, resourceField: cx.list.op.resourceField }),
    redact: cx.redact,
  });
}

/** A page URL the service wrote, as a request target on this client's base (its path and query). */
function targetOf(basePath: string, pageUrl: string): { path?: string; target: string } {
  let url: URL | undefined;
  try {
    url = new URL(pageUrl);
  } catch {}
  const path = url?.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url?.pathname;
  return { path, target: `${path}${url?.search ?? ''}` };
}

/**
 * The request target of `next_page_url` on the page `from`; a violation when it is not this list's, or
 * leads to a page the walk reached another way (asked again from the same page, it is the same page).
 */
async function nextTarget(cx: Context, answer: CallResult, { next, walk, from }: NextPage): Promise<string> {
  const { said, quote, described } = cx.tools;
  const { path, target } = targetOf(cx.basePath, next);
  if (path !== walk.path) {
    const problem = said`must be a page of this list (${quote(walk.path)}), got ${described(path ?? next)}`;
    throw await violation(cx, { answer, problem });
  }
  const reached = walk.pageIds.get(target);
  if (reached !== undefined && reached.from !== from)
    throw await violation(cx, {
      answer,
      problem: said`repeats a page this walk already fetched (${described(target)})`,
    });
  return target;
}

/**
 * Remembers the SIDs of a page's items; what is wrong when one repeats. An item this walk already returned
 * means the pages go round (however their URLs differ): the same page fetched again holds its own items
 * again; another page, or this one twice, may not.
 */
function remember(cx: Context, { items, walk, id }: Held): { problem: Said; path: string } | undefined {
  const { sidField, key, noun } = cx.list;
  if (sidField === null) return undefined;
  const here = new Set<string>();
  const fresh: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const sid = (items[i] as Record<string, unknown> | null)?.[sidField];
    if (typeof sid !== 'string') continue;
    const held = walk.sids.get(sid);
    if ((held !== undefined && held !== id) || here.has(sid)) {
      const { said, words, described } = cx.tools;
      const what = words(`${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`);
      const problem = said`repeats ${what} this walk already returned (${described(sid)})`;
      return { problem, path: `/${key}/${i}/${sidField}` };
    }
    here.add(sid);
    if (held === undefined) fresh.push(sid);
  }
  walk.sids.remember(fresh, id);
  return undefined;
}

/** A page a walk fetched: its items, and the page it came from. */
interface Held {
  items: unknown[];
  walk: Walk;
  id: number;
}

/** Where a page's next page is, and on which walk, from which page. */
interface NextPage {
  next: string;
  walk: Walk;
  from: number;
}

/**
 * A page at `target`, reached from the page `from` (0: none); `empty` is how many empty pages came
 * just before it in this walk.
 */
async function page(cx: Context, { target, from, walk, empty, signal }: PageRequest): Promise<WalkedPage> {
  const answer = await cx.request(cx.list.op, cx.baseUrl + target, { signal });
  // Only a page that was fetched counts: a failed request may be tried again.
  walk.pages++;
  // The same page asked again from the same page is the same page: it keeps its id.
  const id = walk.pageIds.get(target)?.id ?? ++walk.lastId;
  walk.pageIds.set(target, { from, id });
  const body = (answer.body ?? {}) as Record<string, unknown> & { meta?: Record<string, unknown> };
  const held = body[cx.list.key];
  const items = Array.isArray(held) ? held : [];
  const repeat = remember(cx, { items, walk, id });
  if (repeat) throw await violation(cx, { answer, ...repeat });
  // The page's own URL as the service writes it: a next page pointing back at it is a loop too.
  // (Marked as reached from no page, so even this page's own next() may not lead there.)
  // (A url that is no URL gives a target no next page of this list can have.)
  const self = targetOf(cx.basePath, body.meta?.url as string).target;
  if (!walk.pageIds.has(self)) walk.pageIds.set(self, { from: -1, id: ++walk.lastId });
  const emptyNow = items.length ? 0 : empty + 1;
  const next = body.meta?.next_page_url;
  return {
    [cx.list.key]: items,
    meta: body.meta as Record<string, unknown>,
    async next(options = {}) {
      if (typeof next !== 'string') return undefined;
      const { words, MAX_EMPTY_PAGES } = cx.tools;
      if (walk.pages >= cx.maxPages)
        throw await violation(cx, { answer, problem: words(`goes on past maxPages (${cx.maxPages})`) });
      if (emptyNow >= MAX_EMPTY_PAGES) {
        const problem = words(`follows ${MAX_EMPTY_PAGES} empty pages in a row: the list does not end`);
        throw await violation(cx, { answer, problem });
      }
      const nextPage = await nextTarget(cx, answer, { next, walk, from: id });
      return page(cx, { target: nextPage, from: id, walk, empty: emptyNow, signal: options.signal });
    },
  } as WalkedPage;
}

/** A new walk from the first page's target: what it remembers of page URLs and SIDs shares MAX_WALK_MEMORY. */
function newWalk(target: string, memory: number): Walk {
  return {
    path: target.split('?')[0] as string,
    pageIds: new Recent(memory / 4),
    sids: new Recent((memory / 4) * 3),
    pages: 0,
    lastId: 0,
  };
}

/** The walk of one client through one list: `begin(target)` fetches a first page whose `next()` goes on. */
export function walker(listing: Listing, list: WalkedList, tools: WalkTools) {
  const basePath = new URL(listing.baseUrl).pathname.replace(/\/$/, '');
  const cx: Context = { ...listing, list, tools, basePath };
  return {
    begin: (target: string, signal?: AbortSignal) =>
      page(cx, { target, from: 0, walk: newWalk(target, tools.MAX_WALK_MEMORY), empty: 0, signal }),
  };
}
