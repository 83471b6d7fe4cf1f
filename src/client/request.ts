// One call of an operation: each attempt bounded in time (the timeout and the caller's signal, even
// against a fetch that ignores its signal) and in memory (maxResponseBytes), retried by the policy,
// and its answer judged by the contract (./answers/, loaded with the first request while it is on its
// way). Nothing of a response is read outside a guard.
import { statusCodes } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import type { Answers } from './answers/index.js';
import type { Answered, SuccessFacts, SuccessNames, Validation } from './answers/success.js';
import { loadAnswers, loadedAnswers } from './answers-loader.js';
import { type Body, readBody } from './body.js';
import { bounds, sleep, untilAborted } from './bounds.js';
import { type BindingsError, type ContractViolationError, NetworkError } from './errors.js';
import type { Redact } from './redact.js';
import { isRetryableStatus, type RetryPolicy, retryAfterMs, retryDelayMs } from './retry.js';

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
const noop = () => {};

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

/** What a requester keeps of an operation once it has called it. */
interface Prepared {
  /** Its request headers: fetch reads an init's headers, it does not keep or change them. */
  headers: Record<string, string>;
  /** The contract's Retry-After header, read on every retryable status (RFC 9110 allows it on 503). */
  retryAfter: { header?: string | undefined; statuses: readonly number[] };
  /** Whether any of its successes has a body to check. */
  checks: boolean;
  /** Its successes with their validators, once they are loaded. */
  success?: SuccessFacts;
}

/** One call in progress: its operation, how to send it, and what it loads while it is on its way. */
interface Call {
  op: OperationCall;
  prepared: Prepared;
  send: (signal: AbortSignal) => Promise<Response>;
  signal: AbortSignal | undefined;
  /** The answers, when they were not loaded yet. */
  answers: Promise<Answers> | undefined;
  /** The response validators, when the answer is to be checked and they were not loaded for it yet. */
  validators: Promise<unknown> | undefined;
}

/** What a requester keeps: its configuration, and what it prepared of each operation it called. */
interface Requesting {
  config: RequestConfig;
  preparedOf: Map<OperationCall, Prepared>;
}

/** What a call keeps of its operation, made on its first call. */
function prepared({ config, preparedOf }: Requesting, op: OperationCall): Prepared {
  let kept = preparedOf.get(op);
  if (!kept) {
    kept = {
      headers: { ...config.headers, Accept: op.accept },
      retryAfter: op.retryAfter ?? { header: undefined, statuses: [] },
      checks: Object.values(op.success).some((media) => Object.keys(media).length),
    };
    preparedOf.set(op, kept);
  }
  return kept;
}

/** A new call of `op` at `url`: it starts loading what judging its answer needs. */
function begin(r: Requesting, op: OperationCall, url: string, signal: AbortSignal | undefined): Call {
  const { config } = r;
  const kept = prepared(r, op);
  const { method } = op;
  const { headers } = kept;
  // A redirect is an answer to report, not to follow: following it would send the credentials on.
  const send = (signal: AbortSignal) =>
    config.fetch(url, { method, headers: { ...headers }, redirect: 'manual', signal });
  const answers = loadedAnswers ? undefined : loadAnswers();
  // A failed load is reported once the answer needs it (the validators': on a 2xx only).
  answers?.catch(noop);
  const validators = config.validate && kept.checks && !kept.success ? responseValidators() : undefined;
  validators?.catch(noop);
  return { op, prepared: kept, send, signal, answers, validators };
}

/** The answers, loaded: a NetworkError (in words of its own) when they cannot be. */
async function answersOf(call: Call, attempts: number): Promise<Answers> {
  if (loadedAnswers) return loadedAnswers;
  try {
    return await (call.answers ?? loadAnswers());
  } catch {
    const why = `Could not load the client's code that reads answers (attempt ${attempts})`;
    throw new NetworkError(why, { attempts }, undefined);
  }
}

/** The operation's successes with their validators, loaded if the answer is to be checked. */
async function successOf(r: Requesting, call: Call, answers: Answers, attempts: number) {
  const { prepared: kept, op, validators } = call;
  if (kept.success) return kept.success;
  try {
    const loaded = validators ? ((await validators) as Record<string, Validator>) : {};
    // Without validators only when none is wanted: the facts hold for every later call too.
    kept.success = answers.successFacts(op.success, loaded);
    return kept.success;
  } catch (error) {
    const { redact } = r.config;
    throw answers.unloaded({ what: 'the response validators', attempts, error, redact });
  }
}

/** A 2xx answer's result: its body, judged by the contract (`onViolation`'s promise awaited). */
async function succeed(
  r: Requesting,
  {
    call,
    result,
    attempts,
  }: { call: Call; result: Extract<Attempt, { answered: Answered }>; attempts: number },
): Promise<CallResult> {
  const answers = loadedAnswers ?? (await answersOf(call, attempts));
  const success = call.prepared.success ?? (await successOf(r, call, answers, attempts));
  const { answered, body: read } = result;
  const { onViolation, validate, redact } = r.config;
  let reported: unknown;
  const body = answers.successBody({
    success,
    answered,
    read,
    attempts,
    validate,
    redact,
    resourceField: call.op.resourceField,
    onViolation: onViolation && ((error) => (reported = onViolation(error))),
  });
  // The handler's promise, awaited: its rejection is the call's, as its throw is; the caller's signal
  // still ends the call at once (a handler that never settles must not hold it forever).
  if (reported !== undefined) await untilAborted(reported, call.signal);
  return { body, status: answered.status, attempts };
}

/** Why an attempt failed, whether it may be retried, and how long its answer says to wait before the next. */
async function failure(
  { config }: Requesting,
  { call, result, attempts }: { call: Call; result: Attempt; attempts: number },
): Promise<{ error: BindingsError; retry: boolean; wait: number | undefined }> {
  const answers = await answersOf(call, attempts);
  const { redact, timeoutMs, policy } = config;
  if (!('answered' in result)) {
    const tries = { attempts, maxAttempts: policy.maxAttempts, timeoutMs, redact };
    return { error: answers.unanswered(result, tries), retry: true, wait: undefined };
  }
  const { answered, body } = result;
  return {
    error: answers.apiErrorFromResponse(answered, body, attempts, redact),
    retry: isRetryableStatus(answered.status, call.prepared.retryAfter.statuses),
    wait: retryAfterMs(answered.retryAfter),
  };
}

/** Makes the function that calls operations with one configuration. */
export function requester(config: RequestConfig) {
  const r: Requesting = { config, preparedOf: new Map() };
  const { policy } = config;
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
    const call = begin(r, op, url, signal);
    let lost = false;
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(call.send, config, signal, call.prepared.retryAfter.header);
      if ('answered' in result) {
        const { status } = result.answered;
        if (isSuccess(status)) return succeed(r, { call, result, attempts });
        if (goneIsDone && lost && status === NOT_FOUND) return { body: undefined, status, attempts };
      } else lost = true;
      const { error, retry, wait } = await failure(r, { call, result, attempts });
      if (!retry || attempts >= policy.maxAttempts) throw error;
      await sleep(retryDelayMs(policy, attempts, wait), signal);
    }
  };
}

/** Calls an operation with one configuration: what requester() makes. */
export type Requester = ReturnType<typeof requester>;
