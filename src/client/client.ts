// createBindingsClient: the contract's operations as typed calls that validate, time out, retry and
// report failures by the contract, plus the typed openapi-fetch client with auth applied.
import createClient, { type Client } from 'openapi-fetch';
import { operationFacts, packageName, packageVersion, server } from '../../generated/contract.js';
import { basicAuthorization } from './basic-auth.js';
import { echo } from './echo.js';
import { type BindingsError, NetworkError, TimeoutError } from './errors.js';
import { requestTarget } from './parameters.js';
import { sanitizeCause, secretRedactor } from './redact.js';
import { apiErrorFromResponse, successBody } from './response.js';
import {
  isRetryableStatus,
  type RetryOptions,
  retryAfterMs,
  retryDelayMs,
  retryPolicy,
  sleep,
} from './retry.js';
import type { Binding, FetchBindingParams, OperationId, paths } from './types.js';
import { BASE_URL_RULE, checkBaseUrl } from './url.js';

export interface BindingsClientOptions {
  /** An Account SID (`AC…`) or an API key SID (`SK…`). */
  username: string;
  /** The auth token, or the API key's secret. Never appears in an error, a log line or an inspected object. */
  password: string;
  /** Default: the contract's server; a path prefix and a trailing slash are honoured. */
  baseUrl?: string | URL;
  /** Any fetch implementation. Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** `false`, or how to retry rate limiting, transient server faults, timeouts and network errors. */
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

function option(condition: boolean, name: string, expected: string, got: string): void {
  if (!condition) throw new TypeError(`createBindingsClient: option ${name} must be ${expected}, got ${got}`);
}

/** Throws a TypeError naming the first malformed option; returns the base URL, trailing slashes removed. */
function checkOptions(options: BindingsClientOptions): string {
  option(typeof options === 'object' && options !== null, 'options', 'an object', String(options));
  // Never echo credentials, not even a malformed one: only what kind of value it was.
  for (const key of ['username', 'password'] as const) {
    const value: unknown = options[key];
    const got = value === '' ? 'an empty string' : typeof value;
    option(typeof value === 'string' && value !== '', key, 'a non-empty string', got);
  }
  const { timeoutMs, userAgent } = options;
  const base = checkBaseUrl(options.baseUrl ?? server);
  if (base.problem !== undefined) option(false, 'baseUrl', BASE_URL_RULE, base.problem.replace(/^got /, ''));
  if (options.retry) {
    const { maxAttempts = 1, baseDelayMs = 0, maxDelayMs = 0 } = options.retry;
    option(
      Number.isInteger(maxAttempts) && maxAttempts >= 1,
      'retry.maxAttempts',
      'an integer ≥ 1',
      echo(maxAttempts),
    );
    for (const [name, value] of Object.entries({ baseDelayMs, maxDelayMs }))
      option(Number.isFinite(value) && value >= 0, `retry.${name}`, 'a finite number ≥ 0', echo(value));
  }
  if (timeoutMs !== undefined)
    option(Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', 'a finite number > 0', echo(timeoutMs));
  if (options.fetch !== undefined)
    option(typeof options.fetch === 'function', 'fetch', 'a function', typeof options.fetch);
  if (userAgent !== undefined) {
    const ok = typeof userAgent === 'string' && /^[\x20-\x7e]*$/.test(userAgent);
    option(ok, 'userAgent', 'printable ASCII (no line breaks)', echo(userAgent));
  }
  return 'url' in base ? base.url : '';
}

/** Browsers refuse or drop a custom User-Agent, and sending one would need a CORS preflight allowance. */
const isBrowser = () => String(globalThis.navigator?.userAgent).startsWith('Mozilla/');

type OperationFacts = (typeof operationFacts)[OperationId];

export function createBindingsClient(options: BindingsClientOptions): BindingsClient {
  const baseUrl = checkOptions(options);
  const { username, password, fetch: customFetch, validateResponse = true } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = retryPolicy(options.retry);
  const authorization = basicAuthorization(username, password);
  const redact = secretRedactor([password, authorization, authorization.slice('Basic '.length)]);
  const userAgent = [`${packageName}/${packageVersion}`, options.userAgent].filter(Boolean).join(' ');
  const headers: Record<string, string> = { Authorization: authorization };
  if (!isBrowser()) headers['User-Agent'] = userAgent;
  // Read at call time, so a fetch patched after the client was made (a test, a polyfill) is used.
  const fetchNow: typeof fetch = (input, init) => (customFetch ?? globalThis.fetch)(input, init);

  /** One request, bounded by the timeout and the caller's signal. */
  async function attempt(url: string, op: OperationFacts, signal: AbortSignal | undefined) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const init = {
        method: op.method,
        headers: { ...headers, Accept: op.accept },
        signal: controller.signal,
      };
      const response = await fetchNow(url, init);
      return { response, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { transportError: error, timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Calls an operation: its parameters checked, then each attempt, retried by the policy. Resolves to
   * the validated body. fetch is called with a URL and init of its own rather than through `raw`:
   * a Request object per call costs time for nothing.
   */
  async function call(
    op: OperationFacts,
    params: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const url = baseUrl + requestTarget(op.path, op.parameters, params, redact);
    if (signal?.aborted) throw signal.reason;
    // The contract's Retry-After header is read on every retryable status (RFC 9110 allows it on 503).
    const retryAfter = op.retryAfter ?? { header: undefined, statuses: [] };
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(url, op, signal);
      let failure: BindingsError;
      let wait: number | undefined;
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
        return successBody(op.success, result.response, result.text, attempts, validateResponse, redact);
      } else {
        const { status } = result.response;
        failure = apiErrorFromResponse(result.response, result.text, attempts, redact);
        if (!isRetryableStatus(status, retryAfter.statuses)) throw failure;
        if (retryAfter.header) wait = retryAfterMs(result.response.headers.get(retryAfter.header));
      }
      if (attempts >= policy.maxAttempts) throw failure;
      await sleep(retryDelayMs(policy, attempts, wait), signal);
    }
  }

  // Made on first use: openapi-fetch reads globalThis.Request, which makes Node load its whole HTTP
  // stack (about 40 ms) even for a program that never calls the API.
  let raw: Client<paths> | undefined;
  return {
    fetchBinding: (params, callOptions = {}) =>
      call(operationFacts.FetchServiceBinding, params, callOptions.signal) as Promise<Binding>,
    get raw() {
      if (!raw)
        raw = createClient<paths>({ baseUrl, headers, fetch: (request: Request) => fetchNow(request) });
      return raw;
    },
  };
}
