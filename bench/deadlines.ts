// Three ways to bound one attempt in time while honouring the caller's signal, each as small as it can
// be: measurements for section 8, not product code. Each runs `work` with the signal it must obey.
export type Bound = <T>(work: (signal: AbortSignal) => Promise<T>, caller: AbortSignal) => Promise<T>;

const timeoutReason = (ms: number) => new DOMException(`No response within ${ms} ms`, 'TimeoutError');

/** (a) An AbortController and a timer per attempt, cleared when it settles (what src/client/request.ts does). */
export function perAttemptTimer(ms: number): Bound {
  return async (work, caller) => {
    if (caller.aborted) throw caller.reason;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeoutReason(ms)), ms);
    const onAbort = () => controller.abort(caller.reason);
    caller.addEventListener('abort', onAbort, { once: true });
    try {
      return await work(controller.signal);
    } finally {
      clearTimeout(timer);
      caller.removeEventListener('abort', onAbort);
    }
  };
}

/** (b) The platform's timeout signal joined to the caller's: nothing to clear, its timer outlives the attempt. */
export function timeoutSignalAny(ms: number): Bound {
  return (work, caller) => work(AbortSignal.any([caller, AbortSignal.timeout(ms)]));
}

/**
 * (c) One timer for every attempt in flight: each deadline rounded up into a bucket of `granularityMs`,
 * and a single timer that aborts the due buckets; it runs only while some bucket is left.
 */
export function sharedDeadline(ms: number, granularityMs = 100): Bound {
  const buckets = new Map<number, Set<AbortController>>();
  let armed = false;
  const sweep = () => {
    const now = Date.now();
    for (const [at, due] of buckets) {
      if (at > now && due.size) continue;
      buckets.delete(at);
      for (const controller of due) controller.abort(timeoutReason(ms));
    }
    armed = buckets.size > 0;
    if (armed) setTimeout(sweep, granularityMs).unref();
  };
  return async (work, caller) => {
    if (caller.aborted) throw caller.reason;
    const controller = new AbortController();
    const at = Math.ceil((Date.now() + ms) / granularityMs) * granularityMs;
    const due = buckets.get(at) ?? new Set();
    buckets.set(at, due);
    due.add(controller);
    if (!armed) {
      armed = true;
      setTimeout(sweep, granularityMs).unref();
    }
    const onAbort = () => controller.abort(caller.reason);
    caller.addEventListener('abort', onAbort, { once: true });
    try {
      return await work(controller.signal);
    } finally {
      due.delete(controller);
      caller.removeEventListener('abort', onAbort);
    }
  };
}
