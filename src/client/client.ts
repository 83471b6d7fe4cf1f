// createBindingsClient: the typed openapi-fetch client with auth, plus fetchBinding, which validates,
// times out, retries and reports failures by the contract.
import createClient, { type Client } from 'openapi-fetch';
import { operation, packageName, packageVersion } from '../../generated/contract.js';
import { basicAuthorization } from './basic-auth.js';
import { type BindingsError, NetworkError, TimeoutError } from './errors.js';
import { assertValidParams } from './parameters.js';
import { sanitizeCause, secretRedactor } from './redact.js';
import { apiErrorFromResponse, bindingFromResponse } from './response.js';
import {
  isRetryableStatus,
  type RetryOptions,
  retryAfterMs,
  retryDelayMs,
  retryPolicy,
  sleep,
} from './retry.js';
import type { Binding, FetchBindingParams, paths } from './types.js';

export interface BindingsClientOptions {
  /** An Account SID (`AC…`) or an API key SID (`SK…`). */
  username: string;
  /** The auth token, or the API key's secret. Never appears in an error, a log line or an inspected object. */
  password: string;
  /** Default `https://conversations.twilio.com`; a path prefix and a trailing slash are honoured. */
  baseUrl?: string;
  /** Any fetch implementation. Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** `false`, or how to retry 429, 500, 502, 503, 504, timeouts and network errors. */
  retry?: false | RetryOptions;
  /** Check 2xx responses against the contract. Default true. */
  validateResponse?: boolean;
  /** Appended to `conversations-bindings-contract/<version>` in the User-Agent header. */
  userAgent?: string;
}

export interface FetchBindingOptions {
  /** Aborts the call at once: the signal's reason is thrown and no retry follows. */
  signal?: AbortSignal;
}

export interface BindingsClient {
  /** Fetches one Binding; throws a BindingsError subclass (or the signal's abort reason). */
  fetchBinding(params: FetchBindingParams, options?: FetchBindingOptions): Promise<Binding>;
  /** The openapi-fetch client typed by the contract, with auth applied. */
  raw: Client<paths>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

const shown = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : String(value);

function option(condition: boolean, name: string, expected: string, got: string): void {
  if (!condition) throw new TypeError(`createBindingsClient: option ${name} must be ${expected}, got ${got}`);
}

function checkOptions(options: BindingsClientOptions): void {
  option(typeof options === 'object' && options !== null, 'options', 'an object', String(options));
  // Never echo credentials, not even a malformed one: only what kind of value it was.
  for (const key of ['username', 'password'] as const) {
    const value: unknown = options[key];
    const got = value === '' ? 'an empty string' : typeof value;
    option(typeof value === 'string' && value !== '', key, 'a non-empty string', got);
  }
  const { baseUrl, timeoutMs, userAgent } = options;
  if (baseUrl !== undefined) {
    const url = safeUrl(baseUrl);
    const ok =
      url && /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password;
    const got = url?.username || url?.password ? 'a URL with credentials (not shown)' : shown(baseUrl);
    option(Boolean(ok), 'baseUrl', 'an absolute http(s) URL without query, fragment or credentials', got);
  }
  if (options.retry) {
    const { maxAttempts = 1, baseDelayMs = 0, maxDelayMs = 0 } = options.retry;
    option(
      Number.isInteger(maxAttempts) && maxAttempts >= 1,
      'retry.maxAttempts',
      'an integer ≥ 1',
      shown(maxAttempts),
    );
    for (const [name, value] of Object.entries({ baseDelayMs, maxDelayMs }))
      option(Number.isFinite(value) && value >= 0, `retry.${name}`, 'a finite number ≥ 0', shown(value));
  }
  if (timeoutMs !== undefined)
    option(Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', 'a finite number > 0', shown(timeoutMs));
  if (options.fetch !== undefined)
    option(typeof options.fetch === 'function', 'fetch', 'a function', typeof options.fetch);
  if (userAgent !== undefined) {
    const ok = typeof userAgent === 'string' && /^[\x20-\x7e]*$/.test(userAgent);
    option(ok, 'userAgent', 'printable ASCII (no line breaks)', shown(userAgent));
  }
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Browsers refuse or drop a custom User-Agent, and sending one would need a CORS preflight allowance. */
const isBrowser = () => String(globalThis.navigator?.userAgent).startsWith('Mozilla/');

export function createBindingsClient(options: BindingsClientOptions): BindingsClient {
  checkOptions(options);
  const { username, password, fetch: customFetch, validateResponse = true } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = retryPolicy(options.retry);
  const authorization = basicAuthorization(username, password);
  const redact = secretRedactor([password, authorization, authorization.slice('Basic '.length)]);
  const userAgent = [`${packageName}/${packageVersion}`, options.userAgent].filter(Boolean).join(' ');
  const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
  if (!isBrowser()) headers['User-Agent'] = userAgent;
  const baseUrl = (options.baseUrl ?? operation.server).replace(/\/+$/, '');
  // Read at call time, so a fetch patched after the client was made (a test, a polyfill) is used.
  const fetchNow: typeof fetch = (input, init) => (customFetch ?? globalThis.fetch)(input, init);

  /**
   * One request, bounded by the timeout and the caller's signal. fetchBinding calls fetch with a URL
   * and init of its own rather than through `raw`: a Request object per call costs time for nothing.
   */
  async function attempt(path: Record<string, string>, signal: AbortSignal | undefined) {
    const url =
      baseUrl +
      operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ''));
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetchNow(url, { method: operation.method, headers, signal: controller.signal });
      return { response, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { transportError: error, timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function fetchBinding(
    params: FetchBindingParams,
    callOptions: FetchBindingOptions = {},
  ): Promise<Binding> {
    const path = assertValidParams(params, redact);
    const { signal } = callOptions;
    if (signal?.aborted) throw signal.reason;
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(path, signal);
      const last = attempts >= policy.maxAttempts;
      let failure: BindingsError;
      let retryAfter: number | undefined;
      if ('transportError' in result) {
        const { transportError: cause, timedOut } = result;
        const tries = `attempt ${attempts} of ${policy.maxAttempts}`;
        failure = timedOut
          ? new TimeoutError(`No response within ${timeoutMs} ms (${tries})`, { attempts, timeoutMs })
          : new NetworkError(
              redact(`Request failed before a response (${tries}): ${(cause as Error)?.message ?? cause}`),
              { attempts },
              sanitizeCause(cause, redact),
            );
      } else if (result.response.ok) {
        return bindingFromResponse(result.response, result.text, attempts, validateResponse, redact);
      } else {
        failure = apiErrorFromResponse(result.response, result.text, attempts, redact);
        if (!isRetryableStatus(result.response.status)) throw failure;
        retryAfter = retryAfterMs(result.response.headers.get('retry-after'));
      }
      if (last) throw failure;
      await sleep(retryDelayMs(policy, attempts, retryAfter), signal);
    }
  }

  // Made on first use: openapi-fetch reads globalThis.Request, which makes Node load its whole HTTP
  // stack (about 40 ms) even for a program that never calls the API.
  let raw: Client<paths> | undefined;
  return {
    fetchBinding,
    get raw() {
      if (!raw)
        raw = createClient<paths>({ baseUrl, headers, fetch: (request: Request) => fetchNow(request) });
      return raw;
    },
  };
}
