// One call of an operation: each attempt bounded by the timeout and the caller's signal, retried by the
// policy, and its answer judged by the contract.
import { statusOfResponse } from '../../generated/contract.js';
import { type BindingsError, NetworkError, TimeoutError } from './errors.js';
import { sanitizeCause } from './redact.js';
import { apiErrorFromResponse, type SuccessFacts, successBody } from './response.js';
import { isRetryableStatus, type RetryPolicy, retryAfterMs, retryDelayMs, sleep } from './retry.js';

/** What a call needs to know of its operation (generated/contract.js's facts). */
export interface OperationCall {
  readonly method: string;
  readonly accept: string;
  readonly success: SuccessFacts;
  readonly retryAfter: { readonly header: string; readonly statuses: readonly number[] } | null;
}

export interface RequestConfig {
  fetch: typeof globalThis.fetch;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: RetryPolicy;
  validate: boolean;
  redact: (text: string) => string;
}

/** A successful call: the validated body (undefined for an empty one), its status and how many attempts it took. */
export interface Answer {
  body: unknown;
  status: number;
  attempts: number;
}

const NOT_FOUND = Number(statusOfResponse.NotFound);

/** Makes the function that calls operations with one configuration. */
export function requester(config: RequestConfig) {
  const { policy, timeoutMs, redact } = config;

  /** One request, bounded by the timeout and the caller's signal. */
  async function attempt(url: string, op: OperationCall, signal: AbortSignal | undefined) {
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
        headers: { ...config.headers, Accept: op.accept },
        signal: controller.signal,
      };
      const response = await config.fetch(url, init);
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
   * Calls an operation at `url`, retried by the policy; resolves to its validated answer. With
   * `goneIsDone` (an idempotent delete), a not-found answer after an attempt that got no response means
   * that attempt did the work: it resolves.
   */
  return async function request(
    op: OperationCall,
    url: string,
    signal: AbortSignal | undefined,
    goneIsDone = false,
  ): Promise<Answer> {
    if (signal?.aborted) throw signal.reason;
    // The contract's Retry-After header is read on every retryable status (RFC 9110 allows it on 503).
    const retryAfter = op.retryAfter ?? { header: undefined, statuses: [] };
    let unanswered = false;
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(url, op, signal);
      let failure: BindingsError;
      let wait: number | undefined;
      if ('transportError' in result) {
        const { transportError: cause, timedOut } = result;
        const tries = `attempt ${attempts} of ${policy.maxAttempts}`;
        unanswered = true;
        failure = timedOut
          ? new TimeoutError(`No response within ${timeoutMs} ms (${tries})`, { attempts, timeoutMs })
          : new NetworkError(
              redact(`Request failed before a response (${tries}): ${(cause as Error)?.message ?? cause}`),
              { attempts },
              sanitizeCause(cause, redact),
            );
      } else {
        const { response, text } = result;
        const { status } = response;
        if (response.ok) {
          const body = successBody(op.success, response, text, attempts, config.validate, redact);
          return { body, status, attempts };
        }
        if (goneIsDone && unanswered && status === NOT_FOUND) return { body: undefined, status, attempts };
        failure = apiErrorFromResponse(response, text, attempts, redact);
        if (!isRetryableStatus(status, retryAfter.statuses)) throw failure;
        if (retryAfter.header) wait = retryAfterMs(response.headers.get(retryAfter.header));
      }
      if (attempts >= policy.maxAttempts) throw failure;
      await sleep(retryDelayMs(policy, attempts, wait), signal);
    }
  };
}

export type Request = ReturnType<typeof requester>;
