// What bounds one attempt in time: its timeout and the caller's signal, even against a fetch that
// ignores the signal it is given (every await of the attempt is raced against both).

/** setTimeout's largest delay (2³¹−1 ms, about 24.8 days): past it, timers fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const noop = () => {};
const listeners = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `onAbort` when the signal aborts (at once when it already has: 'abort' fires only once); returns
 * the way to stop listening. However many calls share one signal, the signal gets one listener (so no
 * MaxListenersExceededWarning for a signal shared by many).
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  if (signal.aborted) {
    onAbort();
    return noop;
  }
  let waiting = listeners.get(signal);
  if (!waiting) {
    const set = new Set<() => void>();
    waiting = set;
    listeners.set(signal, set);
    signal.addEventListener('abort', () => {
      for (const callback of set) callback();
    });
  }
  waiting.add(onAbort);
  return () => waiting.delete(onAbort);
}

export interface Bounds {
  /** The signal to give fetch: aborted at the deadline or when the caller's signal aborts. */
  signal: AbortSignal;
  /** Whether the deadline passed. */
  readonly timedOut: boolean;
  /** The promise, or a rejection as soon as the deadline passes or the caller aborts, whichever comes first. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Clears the timer and stops listening to the caller's signal. */
  end(): void;
}

/**
 * The bounds of one attempt: `timeoutMs` from now, and the caller's signal. Its races run one at a time
 * (an attempt awaits the response, then each read of the body): a stop rejects the one in progress.
 * (A class, not a closure per member: an attempt makes one, and every request makes an attempt.)
 */
class AttemptBounds implements Bounds {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #off: () => void;
  #timedOut = false;
  #stopped = false;
  #reason: unknown;
  /** The race in progress: how to reject it. */
  #pending: ((reason: unknown) => void) | undefined;

  constructor(timeoutMs: number, caller: AbortSignal | undefined) {
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#stop(new Error(`No response within ${timeoutMs} ms`));
    }, timeoutMs);
    this.#off = caller ? whenAborted(caller, () => this.#stop(caller.reason)) : noop;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  #stop(why: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reason = why;
    this.#controller.abort(why);
    this.#pending?.(why);
  }

  // A field, not a method: callers hand `race` on as a function of its own (readBody's bound on each read).
  readonly race = <T>(promise: Promise<T>): Promise<T> => {
    // The loser may settle later (a fetch that ignored its signal): its rejection is nobody's business.
    if (this.#stopped) {
      promise.catch(noop);
      return Promise.reject(this.#reason);
    }
    // One promise and one reaction: cheaper than Promise.race, whose loser keeps a reaction per call.
    return new Promise<T>((resolve, reject) => {
      this.#pending = reject;
      promise.then(
        (value) => {
          this.#pending = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#pending = undefined;
          reject(error);
        },
      );
    });
  };

  end(): void {
    clearTimeout(this.#timer);
    this.#off();
  }
}

/** The bounds of one attempt: `timeoutMs` from now, and the caller's signal (see AttemptBounds). */
export const bounds = (timeoutMs: number, caller: AbortSignal | undefined): Bounds =>
  new AttemptBounds(timeoutMs, caller);

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let off = noop;
    const timer = setTimeout(
      () => {
        off();
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    if (signal)
      off = whenAborted(signal, () => {
        clearTimeout(timer);
        off();
        reject(signal.reason);
      });
  });
}

/** Settles as `value` does, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted(value: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) return Promise.resolve(value);
  return new Promise((resolve, reject) => {
    const off = whenAborted(signal, () => reject(signal.reason));
    Promise.resolve(value).then(
      (settled) => {
        off();
        resolve(settled);
      },
      (error: unknown) => {
        off();
        reject(error);
      },
    );
  });
}
