// When a call tries again, and how long it waits first.

export interface RetryOptions {
  /** Requests in all, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /** The first backoff ceiling; it doubles each attempt (full jitter). Default 200. */
  baseDelayMs?: number | undefined;
  /** No wait is longer, `Retry-After` included. Default 10000. */
  maxDelayMs?: number | undefined;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Transient server faults (RFC 9110 §15.6) worth another try of an idempotent request. */
const SERVER_FAULTS = new Set([500, 502, 503, 504]);

/**
 * Whether a status is worth another try: a transient server fault, or a status whose documented
 * answer says when to retry (the contract's 429 with `Retry-After`).
 */
export const isRetryableStatus = (status: number, retryAfterStatuses: readonly number[]): boolean =>
  SERVER_FAULTS.has(status) || retryAfterStatuses.includes(status);

export function retryPolicy(option: false | RetryOptions | undefined): RetryPolicy {
  const given = Object.entries(option || {}).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_RETRY, ...Object.fromEntries(given), ...(option === false && { maxAttempts: 1 }) };
}

/** The most characters of a Retry-After value read: an HTTP-date is 29, delay-seconds fewer. */
export const MAX_RETRY_AFTER = 64;

/**
 * Milliseconds until `Retry-After` allows another request: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3), read from a bounded prefix. Undefined when the header is absent or is neither.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.slice(0, MAX_RETRY_AFTER).trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date in any of its three forms (a day, a time, then GMT or a year): Date.parse alone reads "abc 1" as 2001.
  const date = /^[A-Z][a-z]{2}.* \d\d:\d\d:\d\d (GMT|\d{4})$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before attempt `attempt + 1`: Retry-After when given, else exponential backoff with full jitter. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
