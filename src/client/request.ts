// One call of an operation: each attempt bounded in time (the timeout and the caller's signal, even
// against a fetch that ignores its signal) and in memory (maxResponseBytes), retried by the policy,
// and its answer judged by the contract. Nothing of a response is read outside a guard.
import { statusCodes } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import { type Body, readBody } from './body.js';
import { bounds, sleep } from './bounds.js';
import { type BindingsError, type ContractViolationError, NetworkError, TimeoutError } from './errors.js';
import { type Redact, readSafely, sanitizeCause, textOf } from './redact.js';
import {
  type Answered,
  apiErrorFromResponse,
  type SuccessFacts,
  type SuccessNames,
  successBody,
  successFacts,
  type Validation,
} from './response.js';
import { isRetryableStatus, type RetryPolicy, retryAfterMs, retryDelayMs } from './retry.js';
import { MAX_QUOTE, quote, render, type Said, said, words } from './said.js';

/** What an error (or a value thrown) says of itself, as a quote: the start of its message, unredacted yet. */
const saidBy = (error: unknown): Said =>
  quote(textOf(readSafely(error, 'message') ?? error, (text) => text, MAX_QUOTE + 8));

/** What a call needs to know of its operation (generated/contract.js's facts). */
export interface OperationCall {
  readonly method: string;
  readonly accept: string;
  readonly success: SuccessNames;
  readonly retryAfter: { readonly header: string; readonly statuses: readonly number[] } | null;
  readonly resourceField: string | null;
}

export interface RequestConfig {
  fetch: typeof globalThis.fetch;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  policy: RetryPolicy;
  validate: Validation;
  onViolation?: ((error: ContractViolationError) => unknown) | undefined;
  redact: Redact;
}

/** A successful call: the validated body (undefined for an empty one), its status and how many attempts it took. */
export interface CallResult {
  body: unknown;
  status: number;
  attempts: number;
}

/** An attempt's outcome: what it read of the response (and the response), or why it got none. */
export type Attempt =
  | { answered: Answered; body: Body; response: Response }
  | { transportError: unknown; timedOut: boolean };

const NOT_FOUND = statusCodes.NotFound;

/**
 * One request (`send` is given the signal to pass on): its status, the headers named, and its whole
 * body within the timeout and the caller's signal. Whatever throws on the way (a fetch, a Response's
 * getter, a stream) is an attempt that got no usable answer; only the caller's abort is thrown.
 */
export async function attempt(
  send: (signal: AbortSignal) => Promise<Response>,
  config: Pick<RequestConfig, 'timeoutMs' | 'maxResponseBytes'>,
  signal: AbortSignal | undefined,
  retryAfterHeader?: string,
): Promise<Attempt> {
  // An aborted caller gets its reason at once, and nothing is sent.
  signal?.throwIfAborted();
  const bound = bounds(config.timeoutMs, signal);
  try {
    const response = await bound.race(send(bound.signal));
    // Text or null, whatever a hostile Headers returns.
    const header = (name: string) => {
      const value = response.headers.get(name);
      return value === null || value === undefined ? null : String(value);
    };
    const answered: Answered = {
      status: Number(response.status),
      contentType: header('content-type'),
      retryAfter: retryAfterHeader ? header(retryAfterHeader) : null,
    };
    return { answered, response, body: await readBody(response, config.maxResponseBytes, bound.race) };
  } catch (error) {
    signal?.throwIfAborted();
    return { transportError: error, timedOut: bound.timedOut };
  } finally {
    bound.end();
  }
}

/** The error an attempt that got no answer ends with: a TimeoutError, or a NetworkError with a sanitised cause. */
export function unanswered(
  result: { transportError: unknown; timedOut: boolean },
  {
    attempts,
    maxAttempts,
    timeoutMs,
    redact,
  }: { attempts: number; maxAttempts: number; timeoutMs: number; redact: Redact },
): BindingsError {
  const tries = `attempt ${attempts} of ${maxAttempts}`;
  if (result.timedOut)
    return new TimeoutError(`No full response within ${timeoutMs} ms (${tries})`, { attempts, timeoutMs });
  const cause = result.transportError;
  return new NetworkError(
    render(said`Request failed before a response (${words(tries)}): ${saidBy(cause)}`, redact),
    { attempts },
    sanitizeCause(cause, redact),
  );
}

let loading: Promise<Readonly<Record<string, Validator>>> | undefined;
/**
 * The validators of success bodies (generated/response-validators.js), loaded once, by the first request
 * that checks its answer, while it is on its way. A load that fails is tried again by the next request.
 */
function responseValidators(): Promise<Readonly<Record<string, Validator>>> {
  loading ??= import('../../generated/response-validators.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** 2xx: the only statuses a response counts as a success with. */
export const isSuccess = (status: number) => status >= 200 && status < 300;

/** Makes the function that calls operations with one configuration. */
export function requester(config: RequestConfig) {
  const { policy, timeoutMs, redact } = config;
  /** Each operation's request headers, made once: fetch reads an init's headers, it does not keep or change them. */
  const headersOf = new Map<OperationCall, Record<string, string>>();
  /** Each operation's successes with their validators, once they are loaded. */
  const successOf = new Map<OperationCall, SuccessFacts>();

  /** The operation's successes with their validators, loaded if the answer is to be checked. */
  async function success(op: OperationCall, loaded: Promise<unknown> | undefined, attempts: number) {
    let facts = successOf.get(op);
    if (facts) return facts;
    try {
      facts = successFacts(op.success, loaded ? ((await loaded) as Record<string, Validator>) : {});
    } catch (error) {
      const why = said`Could not load the response validators (attempt ${words(String(attempts))}): ${saidBy(error)}`;
      throw new NetworkError(render(why, redact), { attempts }, sanitizeCause(error, redact));
    }
    if (loaded) successOf.set(op, facts);
    return facts;
  }

  /**
   * Calls an operation at `url`, retried by the policy; resolves to its validated answer. With
   * `goneIsDone` (an idempotent delete), a not-found answer after an attempt that got no response means
   * that attempt did the work: it resolves.
   */
  return async function request(
    op: OperationCall,
    url: string,
    { signal, goneIsDone = false }: { signal?: AbortSignal | undefined; goneIsDone?: boolean } = {},
  ): Promise<CallResult> {
    let headers = headersOf.get(op);
    if (!headers) {
      headers = { ...config.headers, Accept: op.accept };
      headersOf.set(op, headers);
    }
    const { method } = op;
    // A redirect is an answer to report, not to follow: following it would send the credentials on.
    const send = (signal: AbortSignal) =>
      config.fetch(url, { method, headers: { ...headers }, redirect: 'manual', signal });
    // The contract's Retry-After header is read on every retryable status (RFC 9110 allows it on 503).
    const retryAfter = op.retryAfter ?? { header: undefined, statuses: [] };
    // The validators load while the first request is on its way (a failed load is reported on a 2xx only).
    const checks = Object.values(op.success).some((media) => Object.keys(media).length);
    const loaded = config.validate && checks && !successOf.has(op) ? responseValidators() : undefined;
    loaded?.catch(() => {});
    let lost = false;
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(send, config, signal, retryAfter.header);
      let failure: BindingsError;
      let wait: number | undefined;
      if (!('answered' in result)) {
        lost = true;
        failure = unanswered(result, { attempts, maxAttempts: policy.maxAttempts, timeoutMs, redact });
      } else {
        const { answered, body: read } = result;
        const { status } = answered;
        if (isSuccess(status)) {
          let reported: unknown;
          const { onViolation } = config;
          const body = successBody({
            success: await success(op, loaded, attempts),
            answered,
            read,
            attempts,
            validate: config.validate,
            redact,
            resourceField: op.resourceField,
            onViolation: onViolation && ((error) => (reported = onViolation(error))),
          });
          // The handler's promise, awaited: its rejection is the call's, as its throw is.
          if (reported !== undefined) await reported;
          return { body, status, attempts };
        }
        if (goneIsDone && lost && status === NOT_FOUND) return { body: undefined, status, attempts };
        failure = apiErrorFromResponse(answered, read, attempts, redact);
        if (!isRetryableStatus(status, retryAfter.statuses)) throw failure;
        wait = retryAfterMs(answered.retryAfter);
      }
      if (attempts >= policy.maxAttempts) throw failure;
      await sleep(retryDelayMs(policy, attempts, wait), signal);
    }
  };
}

/** Calls an operation with one configuration: what requester() makes. */
export type Requester = ReturnType<typeof requester>;
