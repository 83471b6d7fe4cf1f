// The fake's list: filters, page size, page tokens, and paging metadata whose URLs are absolute on the
// provider's host and keep the filters, as the service writes them.
import { operationFacts, parameterRules, responseExamples, server } from '../../generated/contract.js';
import type { Binding, BindingsPageMeta, ListBindingsParams } from '../client/types.js';
import { buildPath } from '../client/url.js';

const list = operationFacts.ListServiceBinding;
const nameOf = (key: string) => list.parameters.find((p) => p.key === key)?.name as string;
/** The page size when none is asked: the contract's default. */
export const DEFAULT_PAGE_SIZE = Number(parameterRules.PageSize.default);
/** The fake's page tokens: this prefix, then the offset of the page's first binding. */
const TOKEN = /^PT(\d{1,9})$/;

/** The offset a page token stands for, or undefined when the fake did not write it. */
export const tokenOffset = (token: string): number | undefined => {
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

/** One page of the service's bindings as the query asks (its values already checked by the contract). */
export function listPage(
  all: readonly Binding[],
  query: ListBindingsParams,
  offsetFromToken?: number,
): ListPage {
  const { chatServiceSid, bindingType, identity, pageSize = DEFAULT_PAGE_SIZE, page } = query;
  const filtered = all.filter(
    (b) =>
      b.chat_service_sid === chatServiceSid &&
      (!bindingType?.length || bindingType.includes(b.binding_type as never)) &&
      (!identity?.length || identity.includes(b.identity as string)),
  );
  const offset = offsetFromToken ?? (page ?? 0) * pageSize;
  const index = page ?? Math.floor(offset / pageSize);
  const base = `${server}${buildPath(list.path, { [nameOf('chatServiceSid')]: chatServiceSid })}`;
  const filters = [
    ...(bindingType ?? []).map((value) => [nameOf('bindingType'), value]),
    ...(identity ?? []).map((value) => [nameOf('identity'), value]),
  ];
  const urlOf = (at: number, from: number) => {
    const pairs = [...filters, [nameOf('pageSize'), pageSize], [nameOf('page'), at]];
    if (at > 0) pairs.push([nameOf('pageToken'), `PT${from}`]);
    return `${base}?${pairs.map(([k, v]) => `${encodeURIComponent(String(k))}=${encodeURIComponent(String(v))}`).join('&')}`;
  };
  return {
    // The fake serializes a page before anyone sees it, so the stored bindings themselves go in.
    bindings: filtered.slice(offset, offset + pageSize),
    meta: inExampleOrder(
      {
        first_page_url: urlOf(0, 0),
        key,
        next_page_url: offset + pageSize < filtered.length ? urlOf(index + 1, offset + pageSize) : null,
        page: index,
        page_size: pageSize,
        previous_page_url: index > 0 ? urlOf(index - 1, Math.max(0, offset - pageSize)) : null,
        url: urlOf(index, offset),
      },
      exampleMeta,
    ),
  };
}
