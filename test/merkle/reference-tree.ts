// A naive Merkle tree that recomputes everything straight from RFC 6962 §2.1's recursive
// definitions (MTH, PATH, PROOF/SUBPROOF). It lives only in tests, to cross-check src/merkle.
import { createHash } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Largest power of two strictly less than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A recompute-everything tree over a list of leaves (memoised by range only for speed). */
export class ReferenceTree {
  readonly #leaves: Uint8Array[] = [];
  readonly #memo = new Map<string, Uint8Array>();

  constructor(leaves: readonly Uint8Array[] = []) {
    for (const leaf of leaves) this.append(leaf);
  }

  append(leaf: Uint8Array): void {
    this.#leaves.push(leaf);
  }

  get size(): number {
    return this.#leaves.length;
  }

  leafHash(index: number): Uint8Array {
    return this.mth(index, index + 1);
  }

  /** MTH(D[begin:end]). */
  mth(begin: number, end: number): Uint8Array {
    const key = `${begin}:${end}`;
    const hit = this.#memo.get(key);
    if (hit) return hit;
    let out: Uint8Array;
    const n = end - begin;
    if (n === 0) out = sha256();
    else if (n === 1) out = sha256(new Uint8Array([0]), this.#leaves[begin] as Uint8Array);
    else {
      const k = splitPoint(n);
      out = sha256(new Uint8Array([1]), this.mth(begin, begin + k), this.mth(begin + k, end));
    }
    this.#memo.set(key, out);
    return out;
  }

  /** Root of the tree made of the first `size` leaves. */
  root(size = this.size): Uint8Array {
    return this.mth(0, size);
  }

  /** Hash of the perfect node (level, index), which must lie within the tree. */
  nodeHash(level: number, index: number): Uint8Array {
    const width = 2 ** level;
    return this.mth(index * width, (index + 1) * width);
  }

  /** PATH(m, D[0:size]), leaf to root. */
  inclusionProof(m: number, size = this.size): Uint8Array[] {
    return this.#path(m, 0, size);
  }

  #path(m: number, begin: number, end: number): Uint8Array[] {
    const n = end - begin;
    if (n <= 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...this.#path(m, begin, begin + k), this.mth(begin + k, end)];
    return [...this.#path(m - k, begin + k, end), this.mth(begin, begin + k)];
  }

  /** PROOF(m, D[0:size]). */
  consistencyProof(m: number, size = this.size): Uint8Array[] {
    if (m === 0 || m === size) return [];
    return this.#subproof(m, 0, size, true);
  }

  #subproof(m: number, begin: number, end: number, b: boolean): Uint8Array[] {
    const n = end - begin;
    if (m === n) return b ? [] : [this.mth(begin, end)];
    const k = splitPoint(n);
    if (m <= k) return [...this.#subproof(m, begin, begin + k, b), this.mth(begin + k, end)];
    return [...this.#subproof(m - k, begin + k, end, false), this.mth(begin, begin + k)];
  }
}

/** Deterministic leaf `i`: a few bytes derived from the index, of varying length. */
export function testLeaf(i: number): Uint8Array {
  const text = `leaf-${i}-${'x'.repeat(i % 7)}`;
  return new TextEncoder().encode(text);
}

/** Seeded PRNG (mulberry32) so property loops are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
