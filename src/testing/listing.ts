// The fake's lists, for any list operation of the registry: its filters (each a field of the resource), its
// paging parameters (each tied to a field of the page's meta), page tokens, and page URLs absolute on the
// contract's server that keep the filters, as the provider writes them.
import { parameterRules, responseExamples, server } from '../../generated/contract.js';
import { operationRegistry } from '../../generated/registry.js';
import type { OperationId } from '../client/types.js';
import { buildPath } from '../client/url.js';
import { queryParameters } from './routing.js';
import type { InstanceStore } from './store.js';

/**
 * The provider's paging protocol: the property holding a page's meta, and the meta fields every page
 * carries. The registry ties the page size and index parameters to `size` and `index`; the token follows.
 */
export const META = {
  property: 'meta',
  key: 'key',
  size: 'page_size',
  index: 'page',
  first: 'first_page_url',
  previous: 'previous_page_url',
  next: 'next_page_url',
  url: 'url',
} as const;

/** Where the contract states no default page size: the provider's. */
export const FALLBACK_PAGE_SIZE = 50;

/** The fake's page tokens: this prefix, then where the page starts in the order the fake holds them. */
const TOKEN = /^PT(\d{1,15})$/;

/** Where a page token says its page starts, or undefined when the fake did not write it. */
export const tokenStart = (token: string): number | undefined => {
  const match = TOKEN.exec(token);
  return match ? Number(match[1]) : undefined;
};

/** A list operation as the fake answers it: its path, the key of its items, its filters and paging. */
export interface ListModel {
  id: OperationId;
  path: string;
  key: string;
  filters: { name: string; key: string; field: string; array: boolean }[];
  size: { name: string; key: string; default: number } | undefined;
  index: { name: string; key: string } | undefined;
  token: { name: string; key: string } | undefined;
  /** The order of the meta fields in the contract's example page (the fake writes them so), if it has one. */
  exampleMeta: object;
}

/** The meta of the first example page the contract gives a list's success. */
function exampleMetaOf(id: OperationId): object {
  const { status, mediaType } = operationRegistry[id].success;
  const byStatus = (responseExamples as unknown as Record<string, Record<string, Record<string, object>>>)[
    id
  ];
  const [page] = Object.values(byStatus?.[String(status)]?.[mediaType ?? ''] ?? {});
  return ((page as Record<string, unknown> | undefined)?.[META.property] as object | undefined) ?? {};
}

/** A list operation's model, from its registry entry (undefined for an operation that lists nothing). */
export function listModelOf(id: OperationId): ListModel | undefined {
  const { list, path } = operationRegistry[id];
  if (!list) return undefined;
  const query = queryParameters[id];
  const paging = (field: string | null) => list.paging.find((p) => p.field === field);
  const size = paging(META.size);
  const stated = size && (parameterRules as Record<string, { default?: unknown }>)[size.name]?.default;
  const index = paging(META.index);
  return {
    id,
    path,
    key: list.key,
    filters: list.filters.map((f) => ({ ...f, array: query.some((q) => q.key === f.key && q.array) })),
    size: size && { name: size.name, key: size.key, default: Number(stated ?? FALLBACK_PAGE_SIZE) },
    index: index && { name: index.name, key: index.key },
    token: paging(null),
    exampleMeta: exampleMetaOf(id),
  };
}

/** A non-negative integer in decimal digits (no leading zero), plus or minus one: exact at any length. */
export function stepDecimal(digits: string, by: 1 | -1): string {
  const [from, to] = by === 1 ? ['9', '0'] : ['0', '9'];
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === from) i--;
  if (i < 0) return by === 1 ? `1${to.repeat(digits.length)}` : digits;
  const stepped = `${digits.slice(0, i)}${Number(digits[i]) + by}${to.repeat(digits.length - i - 1)}`;
  return stepped.length > 1 && stepped.startsWith('0') ? stepped.slice(1) : stepped;
}

/** Whether a field's value is one of those asked (any of them, for a field holding an array). */
function matches(value: unknown, wanted: ReadonlySet<string>): boolean {
  if (typeof value === 'string') return wanted.has(value);
  if (typeof value === 'number' || typeof value === 'boolean') return wanted.has(String(value));
  return Array.isArray(value) && value.some((v) => typeof v !== 'object' && wanted.has(String(v)));
}

/** What an instance must pass to be listed: every filter asked (an empty array asks nothing). */
function keeperOf(model: ListModel, params: Record<string, unknown>) {
  const asked = model.filters.flatMap((f) => {
    const value = params[f.key];
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return values.length ? [{ field: f.field, wanted: new Set(values.map(String)) }] : [];
  });
  return (instance: Record<string, unknown>) => asked.every((f) => matches(instance[f.field], f.wanted));
}

/** The query of a page URL: the filters asked, in the registry's order, then the paging parameters. */
function filterPairs(model: ListModel, params: Record<string, unknown>): [string, unknown][] {
  return model.filters.flatMap((f) => {
    const value = params[f.key];
    return (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((v): [string, unknown] => [
      f.name,
      v,
    ]);
  });
}

/** The fields in the example's order (so the fake's JSON reads as the provider's), any others after. */
const inExampleOrder = <T extends object>(value: T, example: object): T =>
  Object.fromEntries(
    [...new Set([...Object.keys(example), ...Object.keys(value)])]
      .filter((name) => name in value)
      .map((name) => [name, value[name as keyof T]]),
  ) as T;

/** Where a page starts: at a page token's `start`, else by its index; `exactPage`, the index's digits past the safe integers. */
export interface PageAt {
  start?: number | undefined;
  exactPage?: string | undefined;
}

/** What a list is asked for: its path parameters (by name), its query (by key, checked), its parents' path. */
export interface ListAsked {
  path: Readonly<Record<string, string>>;
  params: Record<string, unknown>;
  parent: string;
}

/**
 * One page of a list as the query asks (its values already checked by the contract), starting where its
 * page token says: its cost is the page's, plus the instances its filter passes over. A page index past
 * the safe integers is written in its own digits in the URLs (and in the meta's index by `toResponse`,
 * through the answer's `exact`).
 */
export function listPage(
  model: ListModel,
  store: InstanceStore<Record<string, unknown>>,
  asked: ListAsked,
  at: PageAt = {},
): Record<string, unknown> & { [META.property]: Record<string, unknown> } {
  const { params } = asked;
  const pageSize = model.size
    ? ((params[model.size.key] as number | undefined) ?? model.size.default)
    : FALLBACK_PAGE_SIZE;
  const index = (model.index && (params[model.index.key] as number | undefined)) ?? 0;
  const digits = at.exactPage ?? String(index);
  const { start } = at;
  const found = store.page(
    asked.parent,
    keeperOf(model, params),
    pageSize,
    start === undefined ? { skip: index * pageSize } : { start },
  );
  const base = `${server}${buildPath(model.path, asked.path)}`;
  const filters = filterPairs(model, params);
  const urlOf = (pageDigits: string, from: number | undefined) => {
    const pairs = [...filters];
    if (model.size) pairs.push([model.size.name, pageSize]);
    if (model.index) pairs.push([model.index.name, pageDigits]);
    if (model.token && pageDigits !== '0') pairs.push([model.token.name, `PT${from ?? 0}`]);
    return `${base}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
  };
  const meta = {
    [META.first]: urlOf('0', 0),
    [META.key]: model.key,
    [META.next]: found.next === undefined ? null : urlOf(stepDecimal(digits, 1), found.next),
    [META.index]: index,
    [META.size]: pageSize,
    [META.previous]: index > 0 ? urlOf(stepDecimal(digits, -1), found.previous) : null,
    [META.url]: urlOf(digits, start),
  };
  // The fake serializes a page before anyone sees it, so the stored instances themselves go in.
  return { [model.key]: found.items, [META.property]: inExampleOrder(meta, model.exampleMeta) };
}
