// The fake's list: filters, page size, page tokens, and paging metadata whose URLs are absolute on the
// provider's host and keep the filters, as the service writes them.
import {
  operationFacts,
  parameterOf,
  parameterRules,
  responseExamples,
  server,
} from '../../generated/contract.js';
import type { Binding, BindingsPageMeta, ListBindingsParams } from '../client/types.js';
import { buildPath } from '../client/url.js';
import type { BindingStore } from './store.js';

const list = operationFacts.ListServiceBinding;
const nameOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
/** The page size when none is asked: the contract's default. */
export const DEFAULT_PAGE_SIZE = Number(parameterRules.PageSize.default);
/** The fake's page tokens: this prefix, then where the page starts in the order the fake holds them. */
const TOKEN = /^PT(\d{1,15})$/;

/** Where a page token says its page starts, or undefined when the fake did not write it. */
export const tokenStart = (token: string): number | undefined => {
  const match = TOKEN.exec(token);
  return match ? Number(match[1]) : undefined;
};

/** The contract example's page `meta`: the key it names the items by, and the order of its fields. */
const exampleMeta = (() => {
  const [example] = Object.values(Object.values(responseExamples.ListServiceBinding)[0] ?? {});
  return (Object.values(example ?? {})[0] as ListPage).meta;
})();
const { key } = exampleMeta;

/** The fields in the example's order (so the fake's JSON reads as the provider's), any others after. */
const inExampleOrder = <T extends object>(value: T, example: object): T =>
  Object.fromEntries(
    [...new Set([...Object.keys(example), ...Object.keys(value)])]
      .filter((name) => name in value)
      .map((name) => [name, value[name as keyof T]]),
  ) as T;

export interface ListPage {
  bindings: Binding[];
  meta: BindingsPageMeta;
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

/** Where a page starts: after `page` pages, or at a page token's `start`; `exactPage`, `page`'s digits past the safe integers. */
export interface PageAt {
  start?: number | undefined;
  exactPage?: string | undefined;
}

/**
 * One page of the service's bindings as the query asks (its values already checked by the contract),
 * starting where its page token says: its cost is the page's, plus the bindings its filter passes over.
 * A page index past the safe integers is written in its own digits in the URLs (and in `meta.page` by
 * `toResponse`, through the answer's `exact`).
 */
export function listPage(store: BindingStore, query: ListBindingsParams, at: PageAt = {}): ListPage {
  const { chatServiceSid, bindingType, identity, pageSize = DEFAULT_PAGE_SIZE, page } = query;
  const { start } = at;
  const types = bindingType?.length ? new Set<unknown>(bindingType) : undefined;
  const users = identity?.length ? new Set<unknown>(identity) : undefined;
  const keep = (b: Binding) => (!types || types.has(b.binding_type)) && (!users || users.has(b.identity));
  const index = page ?? 0;
  const digits = at.exactPage ?? String(index);
  const found = store.page(
    chatServiceSid,
    keep,
    pageSize,
    start === undefined ? { skip: index * pageSize } : { start },
  );
  const base = `${server}${buildPath(list.path, { [nameOf('chatServiceSid')]: chatServiceSid })}`;
  const filters = [
    ...(bindingType ?? []).map((value) => [nameOf('bindingType'), value]),
    ...(identity ?? []).map((value) => [nameOf('identity'), value]),
  ];
  const urlOf = (pageDigits: string, from: number | undefined) => {
    const pairs = [...filters, [nameOf('pageSize'), pageSize], [nameOf('page'), pageDigits]];
    if (pageDigits !== '0') pairs.push([nameOf('pageToken'), `PT${from ?? 0}`]);
    return `${base}?${pairs.map(([k, v]) => `${encodeURIComponent(String(k))}=${encodeURIComponent(String(v))}`).join('&')}`;
  };
  return {
    // The fake serializes a page before anyone sees it, so the stored bindings themselves go in.
    bindings: found.bindings,
    meta: inExampleOrder(
      {
        first_page_url: urlOf('0', 0),
        key,
        next_page_url: found.next === undefined ? null : urlOf(stepDecimal(digits, 1), found.next),
        page: index,
        page_size: pageSize,
        previous_page_url: index > 0 ? urlOf(stepDecimal(digits, -1), found.previous) : null,
        url: urlOf(digits, start),
      },
      exampleMeta,
    ),
  };
}
