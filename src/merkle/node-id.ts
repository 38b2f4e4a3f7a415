/**
 * Node addresses and the index arithmetic shared by proofs and compact ranges. Indices are
 * bigint inside: log indices are uint64 on the wire (Rekor v2) and JavaScript's bit operators
 * stop at 32 bits.
 */
import { InputError } from '../core/index.ts';

/** An index or size as callers hold it: a safe-integer number or a bigint. */
export type TreeIndex = number | bigint;

/**
 * The perfect subtree at `level` (0 = leaves) and `index` (from the left at that level);
 * it covers leaves [index * 2^level, (index + 1) * 2^level).
 */
export interface NodeId {
  readonly level: number;
  readonly index: bigint;
}

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * Converts an index or size to bigint. Requires an integer in [0, 2^64).
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE for negative, fractional, unsafe or too-large values
 */
export function toTreeIndex(value: TreeIndex, what: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new InputError('ERR_MERKLE_INDEX_OUT_OF_RANGE', `${what} ${value} is not a safe integer`);
  }
  const big = BigInt(value);
  if (big < 0n || big > MAX_UINT64) {
    throw new InputError('ERR_MERKLE_INDEX_OUT_OF_RANGE', `${what} ${big} is outside [0, 2^64)`);
  }
  return big;
}

/** Number of bits needed to write `x` (0 for 0). Requires x >= 0. */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Number of set bits of `x`. Requires x >= 0. */
export function countOnes(x: bigint): number {
  let n = 0;
  for (const c of x.toString(2)) if (c === '1') n++;
  return n;
}

/** Number of trailing zero bits of `x`; 0 for 0. Requires x >= 0. */
export function trailingZeros(x: bigint): number {
  if (x === 0n) return 0;
  let n = 0;
  while (((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

/** The first leaf index a node covers. */
export function nodeBegin(id: NodeId): bigint {
  return id.index << BigInt(id.level);
}

/** One past the last leaf index a node covers. */
export function nodeEnd(id: NodeId): bigint {
  return (id.index + 1n) << BigInt(id.level);
}

/**
 * The perfect subtrees, left to right, that exactly cover leaves [begin, end): sizes first grow,
 * then shrink. Requires begin <= end.
 */
export function decomposeRange(begin: bigint, end: bigint): NodeId[] {
  const ids: NodeId[] = [];
  let at = begin;
  while (at < end) {
    // the largest aligned power of two that starts at `at` and fits before `end`
    let level = at === 0n ? bitLength(end - at) - 1 : Math.min(trailingZeros(at), bitLength(end - at) - 1);
    while (at + (1n << BigInt(level)) > end) level--;
    ids.push({ level, index: at >> BigInt(level) });
    at += 1n << BigInt(level);
  }
  return ids;
}
