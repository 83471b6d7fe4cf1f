// When a call tries again, and how long it waits first.

export interface RetryOptions {
  /** Requests in all, the first included. Default 3. */
  maxAttempts?: number;
  /** The first backoff ceiling; it doubles each attempt (full jitter). Default 200. */
  baseDelayMs?: number;
  /** No wait is longer, `Retry-After` included. Default 10000. */
  maxDelayMs?: number;
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

/**
 * Milliseconds until `Retry-After` allows another request: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Undefined when the header is absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month; a bare number that Date.parse reads as a year is not one.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
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

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
