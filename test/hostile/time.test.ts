// A hostile or broken service cannot hold a call past its bounds: a fetch that ignores its signal, a
// body that never ends, timers past setTimeout's range, adversarial text for the excerpt. Time is fake
// (Vitest's timers) or not measured at all: the tests count requests, reads and characters.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { MAX_TIMER_MS } from '../../src/client/bounds.ts';
import { createBindingsClient, TimeoutError } from '../../src/client/index.ts';
import { excerpt } from '../../src/client/response.ts';
import {
  bindingExample,
  errorExample,
  exampleAccountSid,
  exampleSids,
  jsonType,
  statusOf,
} from '../support/contract.ts';

const credentials = { username: exampleAccountSid, password: 'hostile-time-secret' };
afterEach(() => {
  vi.useRealTimers();
});

/** A fetch that never settles and never looks at its signal. */
const deaf = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
/** A fetch that answers at once with a body stream that never ends (and never looks at its signal). */
const endless = (async () =>
  new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"sid":')) }), {
    headers: { 'content-type': jsonType },
  })) as typeof globalThis.fetch;

/** Settles a promise's outcome after `ms` of fake time, without letting a rejection go unhandled. */
async function settleAfter<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value?: T; error?: unknown; settled: boolean }> {
  const outcome: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error) => Object.assign(outcome, { error, settled: true }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}

describe('a fetch that ignores the abort signal is still bounded by timeoutMs', () => {
  it.each([
    ['never answers', deaf],
    ['answers, but its body never ends', endless],
  ])('one that %s: TimeoutError at the deadline, not a moment before', async (_name, fetch) => {
    vi.useFakeTimers();
    const client = createBindingsClient({ ...credentials, fetch, timeoutMs: 1000, retry: false });
    const call = client.fetchBinding(exampleSids);
    expect((await settleAfter(call, 999)).settled).toBe(false);
    const { error } = await settleAfter(call, 1);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 1000, attempts: 1 });
  });

  it("and by the caller's signal: its reason, at once", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const client = createBindingsClient({ ...credentials, fetch: endless, timeoutMs: 60_000 });
    const call = client.fetchBinding(exampleSids, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('the caller gave up');
    controller.abort(reason);
    expect(await settleAfter(call, 0)).toMatchObject({ settled: true, error: reason });
  });

  it('every attempt of a retried call is bounded', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      calls++;
      return deaf(...args);
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({
      ...credentials,
      fetch: counting,
      timeoutMs: 100,
      retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const { error } = await settleAfter(client.fetchBinding(exampleSids), 1000);
    expect(error).toMatchObject({ name: 'TimeoutError', attempts: 3 });
    expect(calls).toBe(3);
  });

  it('and so is the raw client (openapi-fetch, loaded on its first call): a TimeoutError too', async () => {
    const client = createBindingsClient({ ...credentials, fetch: deaf, timeoutMs: 50 });
    const raw = client.raw.GET(operationFacts.FetchServiceBinding.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    const error = await raw.catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50, attempts: 1 });
  });
});

describe('timers stay within setTimeout range', () => {
  it.each([
    [{ timeoutMs: MAX_TIMER_MS + 1 }, 'timeoutMs'],
    [{ retry: { maxDelayMs: 2 ** 40 } }, 'retry.maxDelayMs'],
    [{ retry: { baseDelayMs: Number.MAX_SAFE_INTEGER } }, 'retry.baseDelayMs'],
  ])('%j is refused, naming the largest allowed', (bad, name) => {
    expect(() => createBindingsClient({ ...credentials, ...bad })).toThrow(
      new RegExp(`option ${name.replace('.', '\\.')} must be a number from \\d to ${MAX_TIMER_MS}`),
    );
  });

  it('a Retry-After of a million years waits maxDelayMs, not 1 ms', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const header = operationFacts.FetchServiceBinding.retryAfter.header;
    const fetch = (async () => {
      calls++;
      const [status, body, headers] =
        calls === 1
          ? [statusOf('TooManyRequests'), errorExample('TooManyRequests'), { [header]: String(3.2e13) }]
          : [200, bindingExample, {}];
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': jsonType, ...headers },
      });
    }) as typeof globalThis.fetch;
    const client = createBindingsClient({ ...credentials, fetch, retry: { maxDelayMs: 5000 } });
    const call = client.fetchBinding(exampleSids);
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await expect(call).resolves.toStrictEqual(bindingExample);
  });
});

describe('the excerpt of a hostile text body', () => {
  const adversarial = fc.oneof(
    fc.nat({ max: 200_000 }).map((n) => '<'.repeat(n)),
    fc.nat({ max: 200_000 }).map((n) => `${'<'.repeat(n)}>`),
    fc.nat({ max: 50_000 }).map((n) => '<a '.repeat(n)),
    fc.string({ unit: fc.constantFrom('<', '>', ' ', 'a', '\n'), maxLength: 10_000 }),
  );

  it('depends only on its first 4,096 characters: a body a million times longer costs no more', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4096, maxLength: 5000 }), adversarial, adversarial, (head, a, b) => {
        expect(excerpt(head + a)).toBe(excerpt(head + b));
      }),
      { numRuns: 50 },
    );
  });

  it('reads its prefix in one pass: each character at most a few times', () => {
    let reads = 0;
    const original = String.prototype.indexOf;
    // Count the characters indexOf walks over, the only scanning the excerpt does besides one replace.
    String.prototype.indexOf = function (this: string, search: string, from = 0) {
      const found = original.call(this, search, from);
      reads += (found < 0 ? this.length : found) - from;
      return found;
    };
    try {
      excerpt('<'.repeat(1_000_000));
      excerpt(`${'<'.repeat(1_000_000)}>`);
      excerpt('<a '.repeat(300_000));
    } finally {
      String.prototype.indexOf = original;
    }
    expect(reads).toBeLessThanOrEqual(3 * 2 * 4096);
  });
});
