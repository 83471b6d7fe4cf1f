// The retry policy's arithmetic: Retry-After in both forms, the cap, and full-jitter backoff bounds.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryableStatus, retryAfterMs, retryDelayMs } from '../../src/client/retry.ts';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 26 Nov 2026 12:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [null, undefined],
  ])('%j → %j ms', (header, want) => {
    expect(retryAfterMs(header, now)).toBe(want);
  });
});

describe('retryDelayMs', () => {
  it('caps Retry-After at maxDelayMs', () => {
    expect(retryDelayMs(DEFAULT_RETRY, 1, 60_000)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(retryDelayMs(DEFAULT_RETRY, 1, 1500)).toBe(1500);
  });

  it.each([1, 2, 3, 4, 10])('attempt %i: full jitter within [0, min(max, base·2^(n-1)))', (attempt) => {
    const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
    expect(retryDelayMs(DEFAULT_RETRY, attempt, undefined, () => 0)).toBe(0);
    expect(retryDelayMs(DEFAULT_RETRY, attempt, undefined, () => 0.999999)).toBe(
      Math.floor(0.999999 * ceiling),
    );
  });
});

describe('isRetryableStatus', () => {
  it('retries 429, 500, 502, 503, 504 and nothing else', () => {
    const retryable = Array.from({ length: 500 }, (_, i) => i + 100).filter(isRetryableStatus);
    expect(retryable).toEqual([429, 500, 502, 503, 504]);
  });
});
