// The client's methods, one per operation of the registry (generated/registry.js) and a page method per
// list, each named by the registry's rule and made from its entry alone: a fetch or a delete is one call
// of the requester, a list the lazy walk of ./listing.js. No line here names an operation.
import { operationFacts } from '../../generated/contract.js';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';
import { listMethods } from './listing.js';
import type { OperationMethods } from './method-types.js';
import type { Listing } from './pages.js';
import { type ParameterFacts, requestTarget } from './parameters.js';
import type { OperationCall } from './request.js';

/** An operation's facts (generated/contract.js): what its call and its parameters need. */
type Facts = OperationCall & { readonly path: string; readonly parameters: readonly ParameterFacts[] };

/** An operation's registry entry, as its method reads it. */
interface Entry {
  readonly id: keyof typeof operationFacts;
  readonly action: 'list' | 'fetch' | 'delete';
  readonly resource: keyof typeof resourceRegistry;
  readonly methodName: string;
  readonly pageMethodName: string | null;
  readonly sid: { readonly field: string | null } | null;
  readonly list: {
    readonly key: string;
    readonly paging: readonly { readonly key: string; readonly field: string | null }[];
  } | null;
}

const entries = Object.values(operationRegistry) as readonly Entry[];
/** The provider's paging protocol: the field of a page's meta that says its size (the registry ties paging parameters to meta fields). */
const PAGE_SIZE_FIELD = 'page_size';

/** A fetch or a delete: the parameters checked (nothing is sent if one is bad), then one call. */
function caller(entry: Entry, op: Facts, { request, baseUrl, redact }: Listing) {
  // A delete is idempotent: a not-found after an attempt that got no response means that attempt deleted it.
  if (entry.action === 'delete')
    return async (params: unknown, call: { signal?: AbortSignal | undefined } = {}) => {
      const url = baseUrl + requestTarget(op.path, op.parameters, params, redact);
      await request(op, url, { signal: call.signal, goneIsDone: true });
    };
  // fetch is called with a URL and init of its own rather than through `raw`: a Request object per call costs time for nothing.
  return async (params: unknown, call: { signal?: AbortSignal | undefined } = {}) =>
    (await request(op, baseUrl + requestTarget(op.path, op.parameters, params, redact), call)).body;
}

/** A list's two methods: its items walked page by page, and its first page. */
function lister(entry: Entry, op: Facts, listing: Listing) {
  const list = entry.list as NonNullable<Entry['list']>;
  // The field of an item holding its SID: the one the resource's own instances are addressed by.
  const sid = entries.find((e) => e.resource === entry.resource && e.sid)?.sid ?? null;
  const pageSize = list.paging.find((p) => p.field === PAGE_SIZE_FIELD);
  return listMethods(
    {
      op,
      key: list.key,
      sidField: sid?.field ?? null,
      noun: resourceRegistry[entry.resource].singular.toLowerCase(),
      methodName: entry.methodName,
      pageMethodName: entry.pageMethodName as string,
      pageSize: op.parameters.find((p) => p.key === pageSize?.key),
    },
    listing,
  );
}

/** Every operation's method (and every list's page method) for one client, by the registry's names. */
export function operationMethods(listing: Listing): OperationMethods {
  const methods: Record<string, unknown> = {};
  for (const entry of entries) {
    const op = operationFacts[entry.id] as Facts;
    if (entry.action === 'list') Object.assign(methods, lister(entry, op, listing));
    else methods[entry.methodName] = caller(entry, op, listing);
  }
  return methods as OperationMethods;
}
