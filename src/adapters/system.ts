/**
 * The real clock and randomness, the only place they are made; everything else takes them injected.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Random } from '../core/index.ts';

/** The system clock. */
export const systemClock: Clock = () => new Date();

/** The operating system's CSPRNG. */
export const systemRandom: Random = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  uuid: () => randomUUID(),
};
