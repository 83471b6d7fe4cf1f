// One call of an operation: each attempt bounded in time (the timeout and the caller's signal, even
// against a fetch that ignores its signal) and in memory (maxResponseBytes), retried by the policy,
// and its answer judged by the contract.
import { statusOfResponse } from '../../generated/contract.js';
import { type Body, readBody } from './body.js';
import { bounds, sleep } from './bounds.js';
import { type BindingsError, NetworkError, TimeoutError } from './errors.js';
import { type Redact, sanitizeCause } from './redact.js';
import { apiErrorFromResponse, type SuccessFacts, successBody } from './response.js';
import { isRetryableStatus, type RetryPolicy, retryAfterMs, retryDelayMs } from './retry.js';

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
  maxResponseBytes: number;
  policy: RetryPolicy;
  validate: boolean;
  redact: Redact;
}

/** A successful call: the validated body (undefined for an empty one), its status and how many attempts it took. */
export interface Answer {
  body: unknown;
  status: number;
  attempts: number;
}

type Attempt = { response: Response; body: Body } | { transportError: unknown; timedOut: boolean };

const NOT_FOUND = Number(statusOfResponse.NotFound);

/** Makes the function that calls operations with one configuration. */
export function requester(config: RequestConfig) {
  const { policy, timeoutMs, redact } = config;

  /** One request: its answer and its whole body within the timeout and the caller's signal. */
  async function attempt(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Attempt> {
    const bound = bounds(timeoutMs, signal);
    try {
      const response = await bound.race(config.fetch(url, { ...init, signal: bound.signal }));
      return { response, body: await readBody(response, config.maxResponseBytes, bound.race) };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { transportError: error, timedOut: bound.timedOut };
    } finally {
      bound.end();
    }
  }

  /** The error an attempt that got no answer ends with. */
  function unanswered(
    result: { transportError: unknown; timedOut: boolean },
    attempts: number,
  ): BindingsError {
    const tries = `attempt ${attempts} of ${policy.maxAttempts}`;
    if (result.timedOut)
      return new TimeoutError(`No full response within ${timeoutMs} ms (${tries})`, { attempts, timeoutMs });
    const cause = result.transportError as Error | undefined;
    const message = redact(
      `Request failed before a response (${tries}): ${String(cause?.message ?? cause).slice(0, 200)}`,
    );
    return new NetworkError(message, { attempts }, sanitizeCause(cause, redact));
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
    const init = { method: op.method, headers: { ...config.headers, Accept: op.accept } };
    // The contract's Retry-After header is read on every retryable status (RFC 9110 allows it on 503).
    const retryAfter = op.retryAfter ?? { header: undefined, statuses: [] };
    let lost = false;
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(url, init, signal);
      let failure: BindingsError;
      let wait: number | undefined;
      if (!('response' in result)) {
        lost = true;
        failure = unanswered(result, attempts);
      } else {
        const { response, body: read } = result;
        const { status } = response;
        if (response.ok) {
          const body = successBody(op.success, response, read, attempts, config.validate, redact);
          return { body, status, attempts };
        }
        if (goneIsDone && lost && status === NOT_FOUND) return { body: undefined, status, attempts };
        failure = apiErrorFromResponse(response, read, attempts, redact);
        if (!isRetryableStatus(status, retryAfter.statuses)) throw failure;
        if (retryAfter.header) wait = retryAfterMs(response.headers.get(retryAfter.header));
      }
      if (attempts >= policy.maxAttempts) throw failure;
      await sleep(retryDelayMs(policy, attempts, wait), signal);
    }
  };
}

export type Request = ReturnType<typeof requester>;
