// createBindingsClient: the contract's three operations as typed calls that validate, time out, retry
// and report failures by the contract, plus the typed openapi-fetch client with auth applied.
import type { Client, Middleware } from 'openapi-fetch';
import { operationFacts, packageName, packageVersion } from '../../generated/contract.js';
import { basicAuthorization } from './basic-auth.js';
import { DEFAULT_MAX_RESPONSE_BYTES, parseJson } from './body.js';
import {
  type BindingsPage,
  DEFAULT_MAX_PAGES,
  type ListBindingsOptions,
  type PageOptions,
  pager,
} from './listing.js';
import { type BindingsClientOptions, checkOptions, DEFAULT_TIMEOUT_MS } from './options.js';
import { requestTarget } from './parameters.js';
import type { RawTools } from './raw.js';
import { redactDeep, secretRedactor } from './redact.js';
import { attempt, isSuccess, requester, unanswered } from './request.js';
import { apiErrorFromResponse, successBody, successFacts } from './response.js';
import { retryPolicy } from './retry.js';
import type { Binding, DeleteBindingParams, FetchBindingParams, ListBindingsParams, paths } from './types.js';
import { contractNames } from './violations.js';

export interface FetchBindingOptions {
  /** Aborts the call at once: the signal's reason is thrown and no retry follows. */
  signal?: AbortSignal | undefined;
}

export interface BindingsClient {
  /** Fetches one Binding; throws a BindingsError subclass (or the signal's abort reason). */
  fetchBinding(params: FetchBindingParams, options?: FetchBindingOptions): Promise<Binding>;
  /** The bindings of a service, filtered as asked, fetched page by page as the caller iterates. */
  listBindings(params: ListBindingsParams, options?: ListBindingsOptions): AsyncIterable<Binding>;
  /** One page of a list; `page.next()` fetches the next. */
  fetchBindingsPage(params: ListBindingsParams, options?: PageOptions): Promise<BindingsPage>;
  /** Deletes a Binding; resolves once the service answers that it is gone. */
  deleteBinding(params: DeleteBindingParams, options?: FetchBindingOptions): Promise<void>;
  /** The openapi-fetch client typed by the contract, with auth applied, loaded on its first call. */
  raw: RawClient;
}

/**
 * openapi-fetch's client, typed by the contract, as `raw` gives it: loaded on its first call, so `use` and
 * `eject` return promises (await them before relying on the middleware), as every request does.
 */
export type RawClient = Omit<Client<paths>, 'use' | 'eject'> & {
  use(...middleware: Middleware[]): Promise<void>;
  eject(...middleware: Middleware[]): Promise<void>;
};

/** What ./raw.js shares with the typed methods. */
const rawTools: RawTools = {
  attempt,
  unanswered,
  isSuccess,
  successBody,
  apiErrorFromResponse,
  parseJson,
  // The contract's keys of an error body read as written.
  redactDeep: (value, redact) => redactDeep(value, redact, contractNames),
  // raw checks a 2xx body's JSON, not its schema: the media types alone (no validator is loaded).
  success: successFacts(operationFacts.FetchServiceBinding.success, {}),
};

const METHODS = [
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'TRACE',
  'request',
  'use',
  'eject',
] as const;

/**
 * The raw client, made by `load` (./raw.js, with openapi-fetch) when it is first called. `use` and
 * `eject` wait for it like the requests do, in call order: middleware added first is in place first.
 */
function lazyRaw(load: () => Promise<Client<paths>>): RawClient {
  let loaded: Promise<Client<paths>> | undefined;
  const raw: Record<string, unknown> = {};
  for (const method of METHODS)
    raw[method] = (...args: unknown[]) => {
      loaded ??= load();
      return loaded.then((c) => (c[method] as (...a: unknown[]) => unknown)(...args));
    };
  return raw as unknown as RawClient;
}

/** Browsers refuse or drop a custom User-Agent, and sending one would need a CORS preflight allowance. */
const isBrowser = () => String(globalThis.navigator?.userAgent).startsWith('Mozilla/');

export function createBindingsClient(options: BindingsClientOptions): BindingsClient {
  const baseUrl = checkOptions(options);
  const { username, password, fetch: customFetch } = options;
  const authorization = basicAuthorization(username, password);
  // Every form the credential is sent in: the password and the header's base64 token (the username is no
  // secret; nor is the header's "Basic " scheme, which would mask the word "basic" in any message).
  const redact = secretRedactor([password, authorization.slice('Basic '.length)]);
  const headers: Record<string, string> = { Authorization: authorization };
  if (!isBrowser())
    headers['User-Agent'] = [`${packageName}/${packageVersion}`, options.userAgent].filter(Boolean).join(' ');
  // Read at call time, so a fetch patched after the client was made (a test, a polyfill) is used.
  const fetchNow: typeof fetch = (input, init) => (customFetch ?? globalThis.fetch)(input, init);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const config = {
    fetch: fetchNow,
    headers,
    timeoutMs,
    maxResponseBytes,
    policy: retryPolicy(options.retry),
    validate: options.validateResponse ?? true,
    onViolation: options.onViolation,
    redact,
  };
  const request = requester(config);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const { firstPage, listBindings } = pager({ request, baseUrl, redact, maxPages });
  const { FetchServiceBinding: fetchOp, DeleteServiceBinding: deleteOp } = operationFacts;
  /** fetch is called with a URL and init of its own rather than through `raw`: a Request object per call costs time for nothing. */
  const urlOf = (op: typeof fetchOp | typeof deleteOp, params: unknown) =>
    baseUrl + requestTarget(op.path, op.parameters, params, redact);

  return {
    fetchBinding: async (params, call = {}) =>
      (await request(fetchOp, urlOf(fetchOp, params), call)).body as Binding,
    listBindings,
    fetchBindingsPage: firstPage,
    deleteBinding: async (params, call = {}) => {
      await request(deleteOp, urlOf(deleteOp, params), { signal: call.signal, goneIsDone: true });
    },
    raw: lazyRaw(() => import('./raw.js').then(({ createRaw }) => createRaw(baseUrl, config, rawTools))),
  };
}
