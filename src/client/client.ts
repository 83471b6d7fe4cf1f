// createBindingsClient: the contract's three operations as typed calls that validate, time out, retry
// and report failures by the contract, plus the typed openapi-fetch client with auth applied.
import type { Client } from 'openapi-fetch';
import { operationFacts, packageName, packageVersion } from '../../generated/contract.js';
import { basicAuthorization } from './basic-auth.js';
import { DEFAULT_MAX_RESPONSE_BYTES, parseJson, readBody } from './body.js';
import { bounds } from './bounds.js';
import { type BindingsClientOptions, checkOptions, DEFAULT_TIMEOUT_MS } from './options.js';
import { type BindingsPage, type ListBindingsOptions, type PageOptions, pager } from './pages.js';
import { requestTarget } from './parameters.js';
import { lazyRaw } from './raw.js';
import { type Redact, redactDeep, secretRedactor } from './redact.js';
import { requester } from './request.js';
import { apiErrorFromResponse, successBody } from './response.js';
import { retryPolicy } from './retry.js';
import type { Binding, DeleteBindingParams, FetchBindingParams, ListBindingsParams, paths } from './types.js';

export interface FetchBindingOptions {
  /** Aborts the call at once: the signal's reason is thrown and no retry follows. */
  signal?: AbortSignal;
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
  /** The openapi-fetch client typed by the contract, with auth applied. */
  raw: Client<paths>;
}

/** An error body as raw returns it: JSON redacted value by value (a cut secret hides in one), other text as a whole. */
function redactedText(text: string, redact: Redact): string {
  const parsed = parseJson(text);
  return 'value' in parsed ? JSON.stringify(redactDeep(parsed.value, redact)) : redact(text);
}

/** Browsers refuse or drop a custom User-Agent, and sending one would need a CORS preflight allowance. */
const isBrowser = () => String(globalThis.navigator?.userAgent).startsWith('Mozilla/');

export function createBindingsClient(options: BindingsClientOptions): BindingsClient {
  const baseUrl = checkOptions(options);
  const { username, password, fetch: customFetch } = options;
  const authorization = basicAuthorization(username, password);
  const redact = secretRedactor([password, authorization, authorization.slice('Basic '.length)]);
  const headers: Record<string, string> = { Authorization: authorization };
  if (!isBrowser())
    headers['User-Agent'] = [`${packageName}/${packageVersion}`, options.userAgent].filter(Boolean).join(' ');
  // Read at call time, so a fetch patched after the client was made (a test, a polyfill) is used.
  const fetchNow: typeof fetch = (input, init) => (customFetch ?? globalThis.fetch)(input, init);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const request = requester({
    fetch: fetchNow,
    headers,
    timeoutMs,
    maxResponseBytes,
    policy: retryPolicy(options.retry),
    validate: options.validateResponse ?? true,
    redact,
  });

  /**
   * raw's fetch: the bounds of every call (the timeout, even for a fetch that ignores its signal, and
   * maxResponseBytes), and error bodies redacted, since openapi-fetch hands them back as `error`.
   */
  async function rawFetch(request: Request): Promise<Response> {
    const bound = bounds(timeoutMs, request.signal);
    try {
      const response = await bound.race(fetchNow(new Request(request, { signal: bound.signal })));
      const body = await readBody(response, maxResponseBytes, bound.race);
      if (body.truncated && response.ok) successBody({}, response, body, 1, false, redact);
      if (body.truncated) throw apiErrorFromResponse(response, body, 1, redact);
      const text = response.ok ? body.text : redactedText(body.text, redact);
      const { status, statusText, headers: answered } = response;
      return new Response(text || null, { status, statusText, headers: answered });
    } finally {
      bound.end();
    }
  }

  const { firstPage, listBindings } = pager({ request, baseUrl, redact });
  const { FetchServiceBinding: fetchOp, DeleteServiceBinding: deleteOp } = operationFacts;
  /** fetch is called with a URL and init of its own rather than through `raw`: a Request object per call costs time for nothing. */
  const urlOf = (op: typeof fetchOp | typeof deleteOp, params: unknown) =>
    baseUrl + requestTarget(op.path, op.parameters, params, redact);

  return {
    fetchBinding: async (params, call = {}) =>
      (await request(fetchOp, urlOf(fetchOp, params), call.signal)).body as Binding,
    listBindings,
    fetchBindingsPage: firstPage,
    deleteBinding: async (params, call = {}) => {
      await request(deleteOp, urlOf(deleteOp, params), call.signal, true);
    },
    raw: lazyRaw({ baseUrl, headers, fetch: rawFetch }),
  };
}
