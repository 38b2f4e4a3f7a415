/**
 * The real clock and randomness; the only place that reads them (STYLE.md §5).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Random } from '../core/index.ts';

/** The system clock. */
export const systemClock: Clock = () => new Date();

/** The system's cryptographic randomness. */
export const systemRandom: Random = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  uuid: () => randomUUID(),
};
