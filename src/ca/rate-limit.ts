/**
 * A per-identity rate limit on certificates: a token bucket per key (issuer + SAN) holding up to
 * `perMinute` certificates and refilling continuously at that rate.
 */
import { UpstreamError, type Clock } from '../core/index.ts';

/** Takes one certificate from a key's allowance. */
export interface RateLimiter {
  /** @throws ERR_CA_RATE_LIMITED (with `retryAfterSeconds`) when the key's bucket is empty */
  take(key: string): void;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets kept before full ones are forgotten (a full bucket holds no information). */
const MAX_BUCKETS = 10_000;

/** A limiter allowing `perMinute` certificates per key (bursts up to `perMinute`). Requires perMinute > 0. */
export function createRateLimiter(perMinute: number, clock: Clock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const ratePerMs = perMinute / 60_000;
  const refill = (bucket: Bucket, nowMs: number): void => {
    bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * ratePerMs);
    bucket.updatedMs = nowMs;
  };
  const prune = (nowMs: number): void => {
    for (const [key, bucket] of buckets) {
      refill(bucket, nowMs);
      if (bucket.tokens >= perMinute) buckets.delete(key);
    }
  };
  return {
    take(key) {
      const nowMs = clock().getTime();
      if (buckets.size >= MAX_BUCKETS) prune(nowMs);
      const bucket = buckets.get(key) ?? { tokens: perMinute, updatedMs: nowMs };
      refill(bucket, nowMs);
      if (bucket.tokens < 1) {
        const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
        throw new UpstreamError('ERR_CA_RATE_LIMITED', `too many certificates for this identity: the limit is ${perMinute} per minute; retry in ${retryAfterSeconds}s`, { details: { retryAfterSeconds } });
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
    },
  };
}
