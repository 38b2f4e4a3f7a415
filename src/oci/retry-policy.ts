/**
 * When to retry a registry request and how long to wait: exponential backoff with jitter,
 * honouring `Retry-After` (RFC 9110 §10.2.3), with a bounded number of attempts.
 */

/** The knobs of the retry policy. */
export interface RetryPolicy {
  /** total attempts including the first; 1 disables retries */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** a Retry-After longer than this ends the retries instead of waiting */
  readonly maxRetryAfterMs: number;
}

/** Five attempts, 250 ms doubling to at most 8 s, Retry-After honoured up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 60_000 });

/** True for statuses worth retrying: 408, 429 and the transient 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Parses `Retry-After` as delay-seconds or an HTTP date, into milliseconds from `nowMs`
 * (never negative); undefined when absent or malformed.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The delay before attempt `failures + 1`, or undefined to stop. `failures` counts failed
 * attempts so far (>= 1); `jitter` is a number in [0, 1) (equal jitter: half fixed, half random).
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, retryAfterMs: number | undefined, jitter: number): number | undefined {
  if (failures >= policy.maxAttempts) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(jitter, 0), 1));
}
