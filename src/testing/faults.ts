// Faults the fake can be told to inject, for testing how consumers cope: rate limiting, server errors
// (in either error media type the contract documents), slow or dropped answers, bodies changed within
// the contract or breaking it on purpose; and which requests get them, checked when they are injected.
import { operationFacts, type responses, statusCodes } from '../../generated/contract.js';
import { quoted } from '../client/quote.js';
import type { Binding, OperationId } from '../client/types.js';
import { documentedResponse } from './conformance.js';
import type { BindingFixture } from './fixtures.js';
import type { ResourceName } from './resources.js';
import type { ResourceHandle } from './state.js';

/** The IANA-registered server errors (RFC 9110 §15.6 and others): the 5xx a fault may answer. */
export type ServerErrorStatus = 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 510 | 511;
/** The statuses a fault may answer: the contract's rate limit (with its Retry-After), or a server error. */
export type FaultStatus = (typeof statusCodes)['TooManyRequests'] | ServerErrorStatus;
/** The media types the contract documents for an error (each operation's catch-all): a fault's `mediaType`. */
export type FaultMediaType = {
  [Id in OperationId]: keyof (typeof responses)[Id]['default']['content'];
}[OperationId] &
  string;

export type Fault =
  /**
   * An error status instead of the answer, with an error body that fits it and says it was injected, in
   * `mediaType` (one the contract documents for that status; default: the first it documents).
   */
  | { status: FaultStatus; retryAfter?: number | string | undefined; mediaType?: FaultMediaType | undefined }
  /**
   * The answer, this many milliseconds late (the request's signal still aborts the wait). A delay past
   * what a timer holds (2³¹−1 ms), `Infinity` included, never answers: the request waits for its signal.
   */
  | { delayMs: number }
  /** No answer: the fetch rejects, as with a dropped connection. */
  | { drop: true }
  /**
   * The answer with its JSON body changed by this function: a body that breaks the contract (not
   * checked, never counted as coverage). An answer without a body (a delete's) is given as `{}`. A
   * promise it returns is awaited (its value is the body; its rejection, the fake's 500 naming it).
   */
  | { breakContract: (body: Record<string, unknown>) => unknown }
  /**
   * The answer with its JSON body changed by this function within the contract (a field null, say): it
   * is checked like any answer and counts as coverage. A change that breaks the contract is the fake's
   * 500 naming it, as is a rejection of the promise it may return (awaited). An answer without a body
   * (a delete's) is sent as it is, the function not called.
   */
  | { alter: (body: Record<string, unknown>) => object | Promise<object> }
  /**
   * Runs before the request is answered, then the request is answered as usual: a change another client
   * makes between two requests (a concurrent delete: `before: (fake) => fake.remove(sid)`).
   */
  | { before: (fake: FakeState) => void | Promise<void> };

/** What a `before` fault may change: the fake's bindings, and the instances of any resource. */
export interface FakeState {
  /** The bindings it holds now (a copy); set it to replace them (checked like the fixtures). */
  get bindings(): Binding[];
  set bindings(value: readonly BindingFixture[]);
  /** Deletes a binding as another client would; whether it was held. */
  remove(sid: string): boolean;
  /**
   * A resource of the contract, by its component schema (`fake.resource('ServiceBinding')` holds what
   * `fake.bindings` does): its instances (a copy; assign to replace them, checked), and `remove(sid)`.
   * Any other name is a TypeError naming the contract's resources.
   */
  resource<R extends ResourceName>(name: R): ResourceHandle<R>;
}

const FAULT_KINDS = ['status', 'delayMs', 'drop', 'breakContract', 'alter', 'before'] as const;
const OPERATIONS = Object.keys(operationFacts) as OperationId[];

/** A fault's status, or why it cannot be one: a status the fake would answer outside the contract. */
function checkStatus(status: unknown): void {
  const allowed =
    status === statusCodes.TooManyRequests ||
    (Number.isInteger(status) && (status as number) >= 500 && (status as number) <= 599);
  if (!allowed)
    throw new TypeError(
      `inject: status must be ${statusCodes.TooManyRequests} (rate limited, with Retry-After) or a 5xx, got ${quoted(status)}`,
    );
}

/** A fault's media type: one each operation it may answer documents for its status. */
function checkMediaType(status: number, mediaType: unknown, operations: readonly OperationId[]): void {
  if (mediaType === undefined) return;
  for (const id of operations) {
    const documented = Object.keys(documentedResponse(id, status)?.content ?? {});
    if (typeof mediaType !== 'string' || !documented.includes(mediaType))
      throw new TypeError(
        `inject: mediaType must be a media type ${id} documents for status ${status} (${documented.join(', ')}), got ${quoted(mediaType)}`,
      );
  }
}

/**
 * What a fault may look at to decide whether it applies (`when`), and what `fake.requests` logs: never a
 * credential.
 */
export interface FakeRequest {
  /** The method, as sent (`GET`, `DELETE`, or one the contract does not document, answered 405). */
  method: string;
  /** The path and query as requested (`/v1/Services/IS…/Bindings?PageSize=2`): no origin, no fragment. */
  url: string;
  /** The contract operation the method and path were routed to; undefined for an unknown path or method. */
  operation?: OperationId;
  /** Which credentials it carried: never the credentials themselves. */
  credentials: 'valid' | 'wrong' | 'none';
  /** The status the fake answered: set once it has (so `when` never sees it). */
  status?: number;
}

export interface FaultOptions {
  /** How many matching requests get it. Default 1. */
  times?: number | undefined;
  /** Only requests routed to this operation get it (one of the contract's operation ids). Default: any. */
  operation?: OperationId | undefined;
  /** Which requests get it (of those `operation` picks). Default: every request. */
  when?: ((request: FakeRequest) => boolean) | undefined;
}

interface Armed {
  fault: Fault;
  left: number;
  operation: OperationId | undefined;
  when: ((request: FakeRequest) => boolean) | undefined;
}

/**
 * Something given to the fake threw, or the fake itself did: the fake answers a 500 naming `what`, and
 * `said` (how it failed) when it did not throw (a `when` that returned no boolean).
 */
export class FakeFailure extends Error {
  constructor(
    readonly what: string,
    cause: unknown,
    readonly said?: string,
  ) {
    super(what, { cause });
  }
}

const WHEN = 'the `when` function given to inject';

/** Whether a function is declared async: its answer is a promise, which a `when` cannot be. */
const isAsync = (run: unknown): boolean =>
  typeof run === 'function' &&
  /^Async(Generator)?Function$/.test(Object.prototype.toString.call(run).slice(8, -1));

/** What a `when` decided, or a FakeFailure: it must answer a boolean at once (a promise is none). */
function decided(when: (request: FakeRequest) => boolean, request: FakeRequest): boolean {
  let verdict: unknown;
  try {
    verdict = when(request);
  } catch (error) {
    throw new FakeFailure(WHEN, error);
  }
  if (typeof verdict === 'boolean') return verdict;
  const thenable = typeof (verdict as { then?: unknown } | null)?.then === 'function';
  // Its rejection is reported here, as the 500, so it must not also end the process unhandled.
  if (thenable) Promise.resolve(verdict).catch(() => undefined);
  const got = thenable ? 'a promise' : quoted(verdict);
  throw new FakeFailure(
    WHEN,
    undefined,
    `returned ${got}, not a boolean (a \`when\` decides at once; do async work in a \`before\`)`,
  );
}

/** The fault's kind, or a TypeError naming what is wrong with it. */
function checkFault(fault: Fault, operations: readonly OperationId[]): void {
  const kinds = FAULT_KINDS.filter((kind) => typeof fault === 'object' && fault !== null && kind in fault);
  if (kinds.length !== 1)
    throw new TypeError(
      `inject: a fault has exactly one of ${FAULT_KINDS.join(', ')}, got ${kinds.length ? kinds.join(' and ') : quoted(fault)}`,
    );
  if ('status' in fault) {
    checkStatus(fault.status);
    checkMediaType(fault.status, fault.mediaType, operations);
  }
  if ('breakContract' in fault || 'before' in fault || 'alter' in fault) {
    const run = 'before' in fault ? fault.before : 'alter' in fault ? fault.alter : fault.breakContract;
    if (typeof run !== 'function')
      throw new TypeError(`inject: ${kinds[0]} must be a function, got ${quoted(run)}`);
  }
  if ('delayMs' in fault) {
    const ms: unknown = fault.delayMs;
    if (typeof ms !== 'number' || !(ms >= 0))
      throw new TypeError(
        `inject: delayMs must be a number ≥ 0 (Infinity: never answers), got ${quoted(ms)}`,
      );
  }
}

/** The options of `inject`, or a TypeError naming the one that is wrong and the form it takes. */
function checkOptions(options: unknown): Omit<Armed, 'fault' | 'left'> & { times: number } {
  if (options === undefined) return { times: 1, operation: undefined, when: undefined };
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `inject: options must be an object { times?, operation?, when? }, got ${quoted(options)}`,
    );
  const { times = 1, operation, when } = options as FaultOptions;
  if (!(Number.isInteger(times) && times >= 1))
    throw new TypeError(`inject: times must be an integer ≥ 1, got ${quoted(times)}`);
  if (operation !== undefined && !OPERATIONS.includes(operation))
    throw new TypeError(
      `inject: operation must be one of the contract's operation ids (${OPERATIONS.join(', ')}), got ${quoted(operation)}`,
    );
  if (isAsync(when))
    throw new TypeError(
      'inject: when must be a synchronous function (request) => boolean, got an async function (its answer is a promise, which decides nothing at once; do async work in a `before` fault)',
    );
  if (when !== undefined && typeof when !== 'function') {
    const hint = OPERATIONS.includes(when as OperationId)
      ? `; to pick an operation, give { operation: '${when}' }`
      : '';
    throw new TypeError(
      `inject: when must be a function (request) => boolean over the request (method, url, operation, credentials), got ${quoted(when)}${hint}`,
    );
  }
  return { times, operation, when };
}

/** The faults waiting for requests, first armed first served. */
export class FaultQueue {
  private armed: Armed[] = [];

  add(fault: Fault, options?: FaultOptions): void {
    const { times, operation, when } = checkOptions(options);
    checkFault(fault, operation ? [operation] : OPERATIONS);
    this.armed.push({ fault, left: times, operation, when });
  }

  /**
   * The fault this request gets, if any (each use counts against its `times`). A `when` that throws, or
   * returns anything but a boolean, is a FakeFailure naming it: the fake answers it, the fault stays armed.
   */
  take(request: FakeRequest): Fault | undefined {
    const armed = this.armed.find((a) => {
      if (a.operation !== undefined && a.operation !== request.operation) return false;
      return a.when ? decided(a.when, request) : true;
    });
    if (!armed) return undefined;
    if (--armed.left === 0) this.armed.splice(this.armed.indexOf(armed), 1);
    return armed.fault;
  }

  clear(): void {
    this.armed = [];
  }
}
