// A deterministic Random for tests: bytes come from SHA-256 of a seed and a counter.
import { createHash } from 'node:crypto';
import type { Random } from '../../src/core/index.ts';

/** A Random whose output depends only on `seed`. */
export function createSeededRandom(seed: string): Random {
  let counter = 0;
  const next = (): Buffer => createHash('sha256').update(`${seed}:${counter++}`).digest();
  return {
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 32) out.set(next().subarray(0, Math.min(32, n - i)), i);
      return out;
    },
    uuid() {
      const h = next().toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
