import { parseDate } from '../shared/date.js';

/**
 * When to try a failing feed again. Exponential backoff with "equal jitter" (AWS Architecture
 * Blog, "Exponential Backoff And Jitter", 2015): half the delay is fixed, half random, so a fleet
 * restarted together does not knock on the upstream in step. The first delay is a third of the
 * default refresh interval, so one failure costs no tick; the cap is a few hours, so a feed that
 * comes back is read again the same day.
 */
export const BACKOFF = {
  firstMs: 5 * 60_000,
  capMs: 6 * 60 * 60_000,
  /** Share of each delay that is random. */
  jitter: 0.5,
};

/** An upstream may ask us to wait (RFC 9110 §10.2.3), but not for longer than a day. */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60_000;

/** Milliseconds a Retry-After value (delay-seconds or an HTTP-date) asks for; undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MAX_MS);
  const at = parseDate(text);
  if (at === undefined) return undefined;
  return Math.min(Math.max(0, at - now), RETRY_AFTER_MAX_MS);
}

/** The backoff after `failures` failures in a row (1 for the first); `random` returns [0, 1). */
export function backoffDelay(failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const delay = Math.min(BACKOFF.capMs, BACKOFF.firstMs * 2 ** exponent);
  return Math.round(delay * (1 - BACKOFF.jitter) + random() * delay * BACKOFF.jitter);
}

/** The next attempt: our backoff, or later where the upstream's Retry-After says so. */
export function nextRetryAt(failures: number, now: number, random: () => number, retryAfter?: string): number {
  return now + Math.max(backoffDelay(failures, random), parseRetryAfter(retryAfter, now) ?? 0);
}
