// Faults the fake can be told to inject, for testing how consumers cope: rate limiting, server errors,
// slow or dropped answers, and bodies that break the contract on purpose.
import { echo } from '../client/echo.js';

export type Fault =
  /** An error status instead of the answer: 429 (with Retry-After) or a 5xx, with the contract's error body. */
  | { status: number; retryAfter?: number | string }
  /**
   * The answer, this many milliseconds late (the request's signal still aborts the wait). A delay past
   * what a timer holds (2³¹−1 ms), `Infinity` included, never answers: the request waits for its signal.
   */
  | { delayMs: number }
  /** No answer: the fetch rejects, as with a dropped connection. */
  | { drop: true }
  /** The answer with its JSON body changed by this function: a body that breaks the contract (not checked). */
  | { breakContract: (body: unknown) => unknown };

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
  times?: number;
  /** Which requests get it. Default: every request. */
  when?: (request: FakeRequest) => boolean;
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
    if ('delayMs' in fault) {
      const ms: unknown = fault.delayMs;
      if (typeof ms !== 'number' || !(ms >= 0))
        throw new TypeError(
          `inject: delayMs must be a number ≥ 0 (Infinity: never answers), got ${echo(ms)}`,
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
