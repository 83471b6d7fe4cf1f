// A walk of a list as `verify` takes it, from its first page along next_page_url, up to --max-pages, never
// a page twice or off the list; and what its pages say, judged page by page with bounded memory.
import { Recent } from '../client/recent.js';
import type { Exchange, Finding, OperationProbe, VerifyOptions } from './check.js';
import { fieldOf, itemsOf, pathOf } from './instances.js';
import { answered, finding, metaOf, pageOf } from './judging.js';
import { nounOf, type Operation, resourceOf, sibling } from './operations.js';
import { said, words } from './said.js';
import { parameterRule } from './seeded.js';

/** The most memory a walk of `verify` keeps to notice repeats (as the client's walk: bytes, not entries). */
export const MAX_VERIFY_WALK_MEMORY = 2 * 1024 * 1024;

/** The paging parameter --page-size sets: the one the contract bounds from above (`PageSize`, a page index is not). */
export const pageSizeParameter = (list: Operation) =>
  list.list?.paging.find((p) => parameterRule(list.id, p.key).maximum !== undefined);

/** The field of a resource's instances that holds their SID (its fetch's or delete's SID parameter's). */
export const sidField = (op: Operation): string | null =>
  (op.sid ?? sibling(op, 'fetch')?.sid ?? sibling(op, 'delete')?.sid)?.field ?? null;

/** A list page URL the service wrote, as the path and query to ask of the target. */
function targetOf(pageUrl: unknown): string | undefined {
  try {
    const url = new URL(String(pageUrl));
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}
const pathOfTarget = (target: string) => target.split('?')[0];

/** Walks a list (the probe's operation, or another: the list of a resource deleted) from its first page. */
export async function walk(probe: OperationProbe, list: Operation = probe.operation): Promise<void> {
  const { send, instances, options } = probe;
  const size = pageSizeParameter(list);
  let x = await send({
    operation: list.id,
    path: pathOf(list, instances),
    ...(size && { query: `${size.name}=${options.pageSize}` }),
  });
  const seen = new Recent<true>(MAX_VERIFY_WALK_MEMORY / 4);
  seen.set(x.target, true);
  for (let pages = 1; pages < options.maxPages; pages++) {
    const target = targetOf(metaOf(pageOf(x, list)).next_page_url);
    if (!target || seen.has(target) || pathOfTarget(target) !== pathOfTarget(x.target)) return;
    seen.set(target, true);
    x = await send({ operation: list.id, path: pathOf(list, instances), target });
  }
}

/** What a walk's pages say, judged page by page: each conforms, links within the list without a loop, lists no instance twice. */
export class WalkState {
  private readonly fetched = new Recent<true>(MAX_VERIFY_WALK_MEMORY / 4);
  /** Each SID listed so far, with the number of the page that listed it first. */
  private readonly listed = new Recent<number>((MAX_VERIFY_WALK_MEMORY / 4) * 3);
  private pages = 0;
  private ended = false;
  private knownFound = false;
  private last?: Exchange['request'];
  readonly noun: string;
  private readonly field: string | null;

  private readonly known?: string;
  private readonly deleted?: string;

  /** The walk of `list`: `known` an instance the whole list must show, `deleted` one it must not. */
  constructor(
    readonly list: Operation,
    instances: { known?: string | undefined; deleted?: string | undefined } = {},
  ) {
    this.known = instances.known;
    this.deleted = instances.deleted;
    this.noun = nounOf(resourceOf(list));
    this.field = sidField(list);
  }

  page(x: Exchange): Finding[] {
    const found: Finding[] = answered(x, [this.list.success.status]);
    this.pages++;
    this.fetched.set(x.target, true);
    this.last = x.request;
    const page = pageOf(x, this.list);
    const next = metaOf(page).next_page_url;
    this.ended = next === null;
    const target = next == null ? undefined : targetOf(next);
    if (next != null && (!target || pathOfTarget(target) !== pathOfTarget(x.target)))
      found.push(finding(x, said`meta.next_page_url ${JSON.stringify(next)} is not a page of this list`));
    else if (target && this.fetched.has(target))
      found.push(
        finding(
          x,
          said`meta.next_page_url leads back to a page already fetched (${target}): the walk would loop`,
        ),
      );
    return [...found, ...this.twice(x, itemsOf(this.list, page) ?? [])];
  }

  /** An instance listed twice, on this page or an earlier one; notes the known one when it is listed. */
  private twice(x: Exchange, items: readonly unknown[]): Finding[] {
    const found: Finding[] = [];
    const here = new Set<unknown>();
    for (const item of items) {
      const value = fieldOf(item, this.field);
      const sid = typeof value === 'string' ? value : undefined;
      if (sid === undefined) continue;
      if (sid === this.known) this.knownFound = true;
      const first = this.listed.get(sid);
      if (first !== undefined || here.has(sid))
        found.push(
          finding(
            x,
            said`${this.noun} ${sid} is listed twice (first on page ${first ?? this.pages} of the walk)`,
          ),
        );
      else this.listed.set(sid, this.pages);
      here.add(sid);
    }
    return found;
  }

  /** The deleted instance, still on this page. */
  stillListed(x: Exchange): Finding[] {
    const items = itemsOf(this.list, pageOf(x, this.list)) ?? [];
    return this.deleted !== undefined && items.some((i) => fieldOf(i, this.field) === this.deleted)
      ? [finding(x, said`the deleted ${this.noun} ${this.deleted} is still listed`)]
      : [];
  }

  /** Past --max-pages, the walk went on without end. */
  end(options: VerifyOptions): Finding[] {
    return this.pages > options.maxPages
      ? [
          {
            request: words('(walk)'),
            operation: this.list.id,
            problem: words('the walk went past --max-pages'),
          },
        ]
      : [];
  }

  /** When the walk reached the last page, the known instance must be among the pages. */
  knownListed(): Finding[] {
    return this.known !== undefined && this.ended && !this.knownFound && this.last
      ? [
          {
            request: this.last,
            operation: this.list.id,
            problem: said`the walk ended without listing the known ${this.noun} ${this.known}`,
          },
        ]
      : [];
  }
}
