// Single-fault services that break a list or state rule, generated from the registry: for each resource, a
// list whose key is not an array, each meta field of the wrong kind, the page size not what was asked,
// next_page_url looping back or pointing elsewhere, each filter ignored; an unknown instance answered as
// found, bad input answered as a success, a deleted instance still fetched or listed, a delete that does not
// stick. Each is one rule broken in front of the stateful fake (./single-faults.ts applies them).
import { statusCodes } from '../../generated/contract.js';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';
import { FORBIDDEN_STATUS, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE } from '../../src/cli/judging.ts';
import { operation } from '../../src/cli/operations.ts';
import { pageSizeParameter } from '../../src/cli/walk.ts';
import type { OperationId } from '../../src/client/index.ts';
import type { FakeState } from '../../src/testing/faults.ts';
import { spec } from './contract.ts';
import type { SingleFault } from './single-faults.ts';

type Json = Record<string, unknown>;
type Next = (r: Request) => Promise<Response>;

/** An answer's JSON body changed (a success with a JSON body only), its status and headers kept. */
async function changed(response: Response, change: (body: Json, url: URL) => void, url: URL) {
  if (!response.headers.get('content-type')?.includes('json')) return response;
  const body = (await response.json()) as Json;
  change(body, url);
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
}

/** The statuses a refusal for anything but bad input takes (credentials, not found, method, Accept). */
const NOT_BAD_INPUT = new Set<number>([
  ...Object.values(statusCodes),
  FORBIDDEN_STATUS,
  METHOD_NOT_ALLOWED,
  NOT_ACCEPTABLE,
]);

/** Whether each path parameter of a request keeps its rule (the registry's pattern of the SID and its parents). */
function pathKept(id: OperationId, request: Request): boolean {
  const op = operationRegistry[id];
  const values = new URL(request.url).pathname.split('/');
  const names = op.path.split('/');
  return [...op.parents, ...(op.sid ? [op.sid] : [])].every((p) => {
    const at = names.indexOf(`{${p.name}}`);
    let value: string;
    try {
      value = decodeURIComponent(values[at] ?? '');
    } catch {
      return false;
    }
    return new RegExp(p.pattern).test(value);
  });
}

/** A fetch answered as found: the fake's answer for an instance it holds (its documented headers), with `body`. */
async function found(request: Request, next: Next, state: FakeState, body?: unknown): Promise<Response> {
  const held = state.bindings[0];
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/[^/]*$/, held?.sid ?? '');
  const response = await next(new Request(url, request));
  return changed(response, (page) => Object.assign(page, body ?? held), url);
}

/** The faults of one list: its page's rules, each broken on its success. */
function listFaults(id: OperationId): SingleFault[] {
  const op = operationRegistry[id];
  const list = op.list;
  if (!list) return [];
  const success = op.success.status;
  const onPage = (name: string, change: (page: Json, url: URL) => void): SingleFault => ({
    name: `${id}: ${name}`,
    operation: id,
    kind: 'list',
    around: async (request, at, next) => {
      const response = await next(request);
      return at === id && response.status === success
        ? changed(response, change, new URL(request.url))
        : response;
    },
  });
  const meta = (page: Json) => page.meta as Json;
  const metaFields = Object.keys(
    (spec.components.schemas[list.page].properties.meta as { $ref?: string; properties?: object }).$ref
      ? spec.components.schemas[
          (spec.components.schemas[list.page].properties.meta.$ref as string).split('/').pop() as string
        ].properties
      : spec.components.schemas[list.page].properties.meta.properties,
  );
  const size = pageSizeParameter(operation(id));
  const faults = [
    onPage(`${list.key} is not an array`, (page) => {
      page[list.key] = JSON.stringify(page[list.key]);
    }),
    ...metaFields.map((field) =>
      onPage(`meta.${field} of another kind`, (page) => {
        meta(page)[field] = [meta(page)[field]];
      }),
    ),
    onPage('next_page_url leads back to the first page', (page, url) => {
      meta(page).next_page_url = url.href.replace(/[?&]Page(Token)?=[^&]*/g, '');
    }),
    onPage('next_page_url points to another list', (page, url) => {
      meta(page).next_page_url = `${url.origin}${url.pathname}/Elsewhere?Page=1`;
    }),
    ...list.filters.map(
      (f): SingleFault => ({
        name: `${id}: the ${f.name} filter ignored`,
        operation: id,
        kind: 'list',
        request: (request) => {
          const url = new URL(request.url);
          url.searchParams.delete(f.name);
          return new Request(url, request);
        },
      }),
    ),
  ];
  if (size?.field)
    faults.push(
      onPage(`meta.${size.field} not what was asked`, (page) => {
        meta(page)[size.field as string] = Number(meta(page)[size.field as string]) + 1;
      }),
    );
  return faults;
}

/** The state of one resource: what its fetch, list and delete must keep of a deletion and of input. */
function stateFaults(resource: keyof typeof resourceRegistry): SingleFault[] {
  const { list, fetch, delete: del } = resourceRegistry[resource].operations;
  const faults: SingleFault[] = [];
  const sidOf = (request: Request) => new URL(request.url).pathname.split('/').pop() as string;
  if (fetch)
    faults.push({
      name: `${fetch}: an unknown instance answered ${operationRegistry[fetch].success.status}`,
      operation: fetch,
      kind: 'state',
      around: async (request, at, next, state) => {
        const response = await next(request);
        // A valid SID the service does not hold (an invalid one is bad input, another fault).
        if (at !== fetch || response.status !== statusCodes.NotFound || !pathKept(fetch, request))
          return response;
        return found(request, next, state);
      },
    });
  for (const id of [list, fetch, del].filter((x): x is NonNullable<typeof x> => Boolean(x)))
    faults.push({
      name: `${id}: bad input answered ${operationRegistry[id].success.status}`,
      operation: id,
      kind: 'state',
      around: async (request, at, next, state) => {
        if (at !== id) return next(request);
        const { status, mediaType } = operationRegistry[id].success;
        // A path parameter that breaks its rule, taken as if it were a known instance.
        if (!pathKept(id, request)) {
          if (id === fetch) return found(request, next, state);
          return new Response(mediaType ? JSON.stringify(state.bindings[0]) : null, {
            status,
            headers: mediaType ? { 'content-type': mediaType } : {},
          });
        }
        const response = await next(request);
        if (response.status < 400 || response.status > 499 || NOT_BAD_INPUT.has(response.status))
          return response;
        return new Response(mediaType ? await response.text() : null, { status, headers: response.headers });
      },
    });
  if (!del) return faults;
  /** What was deleted, by SID: the instance as it was. */
  const deletedBy = (name: string, serve: (deleted: Map<string, unknown>) => SingleFault['around']) => {
    const deleted = new Map<string, unknown>();
    const after = serve(deleted);
    const fault: SingleFault = {
      name: `${del}: ${name}`,
      operation: del,
      kind: 'state',
      around: async (request, at, next: Next, state) => {
        if (at === del) {
          const sid = sidOf(request);
          const before = state.bindings.find((b) => b.sid === sid);
          const response = await next(request);
          if (before && response.status === operationRegistry[del].success.status) deleted.set(sid, before);
          return response;
        }
        return after ? after(request, at, next, state) : next(request);
      },
    };
    return fault;
  };
  if (fetch)
    faults.push(
      deletedBy('the deleted instance still fetched', (deleted) => async (request, at, next, state) => {
        const kept = at === fetch ? deleted.get(sidOf(request)) : undefined;
        return kept ? found(request, next, state, kept) : next(request);
      }),
    );
  if (list) {
    const key = operationRegistry[list].list?.key as string;
    faults.push(
      deletedBy('the deleted instance still listed', (deleted) => async (request, at, next) => {
        const response = await next(request);
        if (at !== list || !deleted.size || response.status !== operationRegistry[list].success.status)
          return response;
        return changed(
          response,
          (page) => void (page[key] as unknown[]).push(...deleted.values()),
          new URL(request.url),
        );
      }),
    );
  }
  faults.push({
    name: `${del}: a delete that does not stick`,
    operation: del,
    kind: 'state',
    around: async (request, at, next, state) => {
      if (at !== del) return next(request);
      const before = state.bindings;
      const response = await next(request);
      state.bindings = before;
      return response;
    },
  });
  return faults;
}

/** Every list and state fault the registry's resources and lists give. */
export function ruleFaults(): SingleFault[] {
  return [
    ...(Object.keys(operationRegistry) as OperationId[]).flatMap(listFaults),
    ...(Object.keys(resourceRegistry) as (keyof typeof resourceRegistry)[]).flatMap(stateFaults),
  ];
}
