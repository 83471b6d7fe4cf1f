// Faults the fake can be told to inject, for testing how consumers cope: rate limiting, server errors,
// slow or dropped answers, and bodies that break the contract on purpose.
import { statusCodes } from '../../generated/contract.js';
import { quoted } from '../client/quote.js';
import type { Binding } from '../client/types.js';

/** The IANA-registered server errors (RFC 9110 §15.6 and others): the 5xx a fault may answer. */
export type ServerErrorStatus = 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 510 | 511;
/** The statuses a fault may answer: the contract's rate limit (with its Retry-After), or a server error. */
export type FaultStatus = (typeof statusCodes)['TooManyRequests'] | ServerErrorStatus;

export type Fault =
  /** An error status instead of the answer, with an error body that fits it and says it was injected. */
  | { status: FaultStatus; retryAfter?: number | string | undefined }
  /**
   * The answer, this many milliseconds late (the request's signal still aborts the wait). A delay past
   * what a timer holds (2³¹−1 ms), `Infinity` included, never answers: the request waits for its signal.
   */
  | { delayMs: number }
  /** No answer: the fetch rejects, as with a dropped connection. */
  | { drop: true }
  /**
   * The answer with its JSON body changed by this function: a body that breaks the contract (not
   * checked). An answer without a body (a delete's) is given as `{}`.
   */
  | { breakContract: (body: Record<string, unknown>) => unknown }
  /**
   * Runs before the request is answered, then the request is answered as usual: a change another client
   * makes between two requests (a concurrent delete: `before: (fake) => fake.remove(sid)`).
   */
  | { before: (fake: FakeState) => void | Promise<void> };

/** What a `before` fault may change: the fake's bindings. */
export interface FakeState {
  bindings: Binding[];
  /** Deletes a binding as another client would; whether it was held. */
  remove(sid: string): boolean;
}

const FAULT_KINDS = ['status', 'delayMs', 'drop', 'breakContract', 'before'] as const;

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

/** What a fault may look at to decide whether it applies. */
export interface FakeRequest {
  method: string;
  /** The path and query, as requested. */
  url: string;
  /** The operation the request was routed to; undefined for an unknown path or method. */
  operation?: string;
  /** Which credentials it carried: never the credentials themselves. */
  credentials: 'valid' | 'wrong' | 'none';
  /** The status the fake answered (set once it has). */
  status?: number;
}

export interface FaultOptions {
  /** How many matching requests get it. Default 1. */
  times?: number | undefined;
  /** Which requests get it. Default: every request. */
  when?: ((request: FakeRequest) => boolean) | undefined;
}

interface Armed {
  fault: Fault;
  left: number;
  when: (request: FakeRequest) => boolean;
}

/** The faults waiting for requests, first armed first served. */
export class FaultQueue {
  private armed: Armed[] = [];

  add(fault: Fault, { times = 1, when = () => true }: FaultOptions = {}): void {
    const kinds = FAULT_KINDS.filter((kind) => typeof fault === 'object' && fault !== null && kind in fault);
    if (kinds.length !== 1)
      throw new TypeError(
        `inject: a fault has exactly one of ${FAULT_KINDS.join(', ')}, got ${kinds.length ? kinds.join(' and ') : quoted(fault)}`,
      );
    if ('status' in fault) checkStatus(fault.status);
    if ('breakContract' in fault || 'before' in fault) {
      const run = 'before' in fault ? fault.before : fault.breakContract;
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
    if (!(Number.isInteger(times) && times >= 1))
      throw new TypeError(`inject: times must be an integer ≥ 1, got ${times}`);
    this.armed.push({ fault, left: times, when });
  }

  /** The fault this request gets, if any (each use counts against its `times`). */
  take(request: FakeRequest): Fault | undefined {
    const armed = this.armed.find((a) => a.when(request));
    if (!armed) return undefined;
    if (--armed.left === 0) this.armed.splice(this.armed.indexOf(armed), 1);
    return armed.fault;
  }

  clear(): void {
    this.armed = [];
  }
}
