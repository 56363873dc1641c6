import { describe, expect, it } from 'vitest';
import { backoffDelay, BACKOFF, nextRetryAt, parseRetryAfter, RETRY_AFTER_MAX_MS } from '../../src/refresh/backoff.js';

const NOW = Date.UTC(2024, 9, 31, 12, 0, 0);
const MIN = 60_000;

describe('parseRetryAfter', () => {
  it.each([
    ['delay-seconds', '120', 120_000],
    ['delay-seconds with spaces', ' 30 ', 30_000],
    ['an HTTP-date ahead', 'Thu, 31 Oct 2024 12:10:00 GMT', 10 * MIN],
    ['an HTTP-date already past', 'Thu, 31 Oct 2024 11:00:00 GMT', 0],
    ['a week in seconds, capped at a day', '604800', RETRY_AFTER_MAX_MS],
    ['garbage', 'soon', undefined],
    ['a negative number', '-5', undefined],
    ['nothing', undefined, undefined],
  ] as const)('reads %s', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 0, 2.5 * MIN],
    [1, 0.999999, 5 * MIN],
    [2, 0, 5 * MIN],
    [3, 0.5, 15 * MIN],
    [10, 0, BACKOFF.capMs / 2],
    [200, 0.999999, BACKOFF.capMs],
  ])('after %i failure(s) with random %f', (failures, random, expected) => {
    expect(backoffDelay(failures, () => random)).toBeCloseTo(expected, -2);
  });

  it('grows with every failure until the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, () => 0.5));
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    expect(backoffDelay(30, () => 0.5)).toBe(backoffDelay(40, () => 0.5));
  });
});

describe('nextRetryAt', () => {
  it('waits out a Retry-After longer than the backoff', () => {
    expect(nextRetryAt(1, NOW, () => 0, '3600')).toBe(NOW + 3600_000);
  });

  it('keeps the backoff when Retry-After asks for less', () => {
    expect(nextRetryAt(3, NOW, () => 0, '1')).toBe(NOW + 10 * MIN);
  });
});
