// The client's options: what each may be, checked once when the client is made.
import { server } from '../../generated/contract.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
import { MAX_TIMER_MS } from './bounds.js';
import type { ContractViolationError } from './errors.js';
import { DEFAULT_MAX_PAGES } from './listing.js';
import { quoted } from './quote.js';
import type { RetryOptions } from './retry.js';
import { BASE_URL_RULE, checkBaseUrl } from './url.js';

export interface BindingsClientOptions {
  /** An Account SID (`AC…`) or an API key SID (`SK…`). */
  username: string;
  /** The auth token, or the API key's secret. Never appears in an error, a log line or an inspected object. */
  password: string;
  /** Default: the contract's server; a path prefix and a trailing slash are honoured. */
  baseUrl?: string | URL | undefined;
  /** Any fetch implementation. Default: the global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Per attempt (the answer and its whole body), in milliseconds. Default 30000, at most 2³¹−1. */
  timeoutMs?: number | undefined;
  /** The most bytes of a response body read (decoded); past it the call fails. Default 1 MiB. */
  maxResponseBytes?: number | undefined;
  /** `false`, or how to retry rate limiting, transient server faults, timeouts and network errors. */
  retry?: false | RetryOptions | undefined;
  /**
   * Check 2xx responses against the contract. `true` (the default): a response that breaks it throws a
   * ContractViolationError. `'report'`: a response whose only violations lie in a binding's fields is
   * returned as sent (a list yields every binding) and the error is handed to `onViolation`; what the
   * package's safety or a list walk depends on still throws. `false`: bodies are not checked.
   */
  validateResponse?: boolean | 'report' | undefined;
  /**
   * With `validateResponse: 'report'`: called with each ContractViolationError it reports (once a page).
   * A promise it returns is awaited: the call resolves once it does, and rejects with what it rejects
   * with, as with what it throws.
   */
  onViolation?: ((error: ContractViolationError) => unknown) | undefined;
  /** Appended to `conversations-bindings-contract/<version>` in the User-Agent header. */
  userAgent?: string | undefined;
  /** The most pages one walk through a list fetches; a list that goes on past them fails. Default 10000. */
  maxPages?: number | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

function option(condition: boolean, name: string, expected: string, got: string): void {
  if (!condition) throw new TypeError(`createBindingsClient: option ${name} must be ${expected}, got ${got}`);
}

/** A number a timer can wait for: setTimeout fires at once past 2³¹−1 ms. */
const delay = (value: number, min: number) => Number.isFinite(value) && value >= min && value <= MAX_TIMER_MS;
const timerRule = (min: number) => `a number from ${min} to ${MAX_TIMER_MS} (setTimeout's largest)`;

/** Throws a TypeError naming the first malformed option; returns the base URL, trailing slashes removed. */
export function checkOptions(options: BindingsClientOptions): string {
  option(typeof options === 'object' && options !== null, 'options', 'an object', String(options));
  // Never echo credentials, not even a malformed one: only what kind of value it was.
  for (const key of ['username', 'password'] as const) {
    const value: unknown = options[key];
    const got = value === '' ? 'an empty string' : typeof value;
    option(typeof value === 'string' && value !== '', key, 'a non-empty string', got);
  }
  // RFC 7617: Basic auth splits at the first colon, so a username cannot hold one.
  option(!options.username.includes(':'), 'username', 'free of ":" (RFC 7617)', 'one with ":" (not shown)');
  const {
    timeoutMs,
    userAgent,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    maxPages = DEFAULT_MAX_PAGES,
  } = options;
  const base = checkBaseUrl(options.baseUrl ?? server);
  if (base.problem !== undefined) option(false, 'baseUrl', BASE_URL_RULE, base.problem.replace(/^got /, ''));
  if (options.retry) {
    const { maxAttempts = 1, baseDelayMs = 0, maxDelayMs = 0 } = options.retry;
    const attempts = Number.isInteger(maxAttempts) && maxAttempts >= 1;
    option(attempts, 'retry.maxAttempts', 'an integer ≥ 1', quoted(maxAttempts));
    for (const [name, value] of Object.entries({ baseDelayMs, maxDelayMs }))
      option(delay(value, 0), `retry.${name}`, timerRule(0), quoted(value));
  }
  if (timeoutMs !== undefined) option(delay(timeoutMs, 1), 'timeoutMs', timerRule(1), quoted(timeoutMs));
  for (const [name, value] of Object.entries({ maxResponseBytes, maxPages }))
    option(Number.isInteger(value) && value >= 1, name, 'an integer ≥ 1', quoted(value));
  const { validateResponse: validation = true, onViolation } = options;
  option(
    [true, false, 'report'].includes(validation),
    'validateResponse',
    "true, false or 'report'",
    quoted(validation),
  );
  if (validation === 'report' || onViolation !== undefined)
    option(
      typeof onViolation === 'function',
      'onViolation',
      "a function (validateResponse: 'report' hands it each violation)",
      typeof onViolation,
    );
  if (options.fetch !== undefined)
    option(typeof options.fetch === 'function', 'fetch', 'a function', typeof options.fetch);
  if (userAgent !== undefined) {
    const ok = typeof userAgent === 'string' && /^[\x20-\x7e]*$/.test(userAgent);
    option(ok, 'userAgent', 'printable ASCII (no line breaks)', quoted(userAgent));
  }
  return 'url' in base ? base.url : '';
}
