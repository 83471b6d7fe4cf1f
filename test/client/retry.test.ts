// The retry policy as properties: Retry-After in both forms, the cap, full-jitter bounds, and which
// statuses are retried (the contract's rate-limit status and transient server faults).
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import {
  DEFAULT_RETRY,
  isRetryableStatus,
  MAX_RETRY_AFTER,
  retryAfterMs,
  retryDelayMs,
} from '../../src/client/retry.ts';

const now = Date.parse('2026-11-26T12:00:00Z');
const policy = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  baseDelayMs: fc.integer({ min: 0, max: 60_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 600_000 }),
});
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retryAfterMs', () => {
  it('reads delay-seconds, surrounding spaces allowed', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.constantFrom('', ' ', '  '), (seconds, pad) => {
        expect(retryAfterMs(`${pad}${seconds}${pad}`, now)).toBe(seconds * 1000);
      }),
    );
  });

  it('reads an HTTP-date: the time until it, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (seconds) => {
        const header = new Date(now + seconds * 1000).toUTCString();
        expect(retryAfterMs(header, now)).toBe(Math.max(0, seconds * 1000));
      }),
    );
  });

  it('ignores what is neither: negative or fractional numbers, words, nothing', () => {
    const junk = fc.oneof(
      fc.integer({ min: -1e6, max: -1 }).map(String),
      fc
        .double({ min: 0.01, max: 1e6, noNaN: true })
        .filter((n) => !Number.isInteger(n))
        .map(String),
      fc.constantFrom('soon', 'later', '', 'NaN'),
    );
    fc.assert(
      fc.property(junk, (header) => {
        expect(retryAfterMs(header, now)).toBeUndefined();
      }),
    );
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('retryAfterMs against a hostile header', () => {
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  /** The two obsolete HTTP-date forms RFC 9110 §5.6.7 says a recipient must accept too. */
  const obsolete = (d: Date) => {
    const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    const day = days[d.getUTCDay()] as string;
    const month = months[d.getUTCMonth()];
    return {
      rfc850: `${day}, ${two(d.getUTCDate())}-${month}-${two(d.getUTCFullYear() % 100)} ${time} GMT`,
      asctime: `${day.slice(0, 3)} ${month} ${String(d.getUTCDate()).padStart(2)} ${time} ${d.getUTCFullYear()}`,
    };
  };

  it('reads the obsolete HTTP-date forms too', () => {
    const later = new Date(now + 90_000);
    for (const header of Object.values(obsolete(later))) expect(retryAfterMs(header, now)).toBe(90_000);
  });

  it.each(['abc 1', 'Retry 5', 'soon 12', 'later 2030', 'due 2/3'])(
    '%j, which Date.parse would read as some date, is no date: absent, so backoff applies',
    (header) => {
      expect(retryAfterMs(header, now)).toBeUndefined();
      expect(retryDelayMs(DEFAULT_RETRY, 1, retryAfterMs(header, now), () => 0)).toBe(0);
    },
  );

  it('reads at most a short prefix: no regex and no Date.parse sees more, however long the value', () => {
    const seen: number[] = [];
    const test = vi.spyOn(RegExp.prototype, 'test').mockImplementation(function (this: RegExp, s: string) {
      seen.push(String(s).length);
      return RegExp.prototype.exec.call(this, s) !== null;
    });
    const parse = vi.spyOn(Date, 'parse');
    try {
      const date = new Date(now).toUTCString();
      for (const header of [
        `${date}${' '.repeat(1_000_000)}x`,
        '9'.repeat(1_000_000),
        `${'a '.repeat(500_000)}1`,
      ])
        retryAfterMs(header, now);
      for (const [text] of parse.mock.calls) seen.push(String(text).length);
    } finally {
      test.mockRestore();
      parse.mockRestore();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(MAX_RETRY_AFTER);
  });
});

describe('retryDelayMs', () => {
  it('full jitter: every backoff is within [0, min(maxDelayMs, baseDelayMs · 2^(attempt − 1)))', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 60 }), unit, (p, attempt, random) => {
        const delay = retryDelayMs(p, attempt, undefined, () => random);
        const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.max(0, ceiling - 1));
      }),
    );
  });

  it('full jitter spans its range: the smallest draw waits 0, the largest just under the ceiling', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 20 }), (p, attempt) => {
        const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
        expect(retryDelayMs(p, attempt, undefined, () => 0)).toBe(0);
        const top = retryDelayMs(p, attempt, undefined, () => 1 - 2 ** -40);
        expect(top).toBe(Math.max(0, Math.ceil(ceiling) - 1));
      }),
    );
  });

  it('Retry-After wins over backoff whatever the draw, capped at maxDelayMs', () => {
    fc.assert(
      fc.property(
        policy,
        fc.integer({ min: 1, max: 60 }),
        fc.nat(10_000_000),
        unit,
        (p, attempt, wait, r) => {
          expect(retryDelayMs(p, attempt, wait, () => r)).toBe(Math.min(wait, p.maxDelayMs));
        },
      ),
    );
    expect(retryDelayMs(DEFAULT_RETRY, 1, 60 * 60 * 1000)).toBe(DEFAULT_RETRY.maxDelayMs);
  });
});

describe('isRetryableStatus', () => {
  it('retries the statuses the contract documents with Retry-After, and 500, 502, 503, 504; nothing else', () => {
    const { statuses } = operationFacts.FetchServiceBinding.retryAfter;
    const retryable = Array.from({ length: 500 }, (_, i) => i + 100).filter((s) =>
      isRetryableStatus(s, statuses),
    );
    expect(retryable).toEqual([...new Set([...statuses, 500, 502, 503, 504])].sort((a, b) => a - b));
  });
});
