/**
 * Proof verification (RFC 9162 §2.1.3.2, §2.1.4.2): pure rehashing of proof hashes into roots.
 * Everything here treats its inputs as attacker-controlled claims: a proof that does not fit
 * its index and size is a failed proof, not bad input.
 */
import { encodeHex, equalBytes, VerificationError } from '../core/index.ts';
import { HASH_SIZE_BYTES, hashChildren } from './hasher.ts';
import { bitLength, countOnes, toTreeIndex, trailingZeros, type TreeIndex } from './node-id.ts';

/** How an inclusion proof splits: `inner` hashes below the right border, then `border` on it. */
export interface InclusionDecomposition {
  readonly inner: number;
  readonly border: number;
}

/**
 * Splits the inclusion proof for leaf `index` in a tree of `size` leaves.
 * Requires 0 <= index < size.
 */
export function decompInclProof(index: bigint, size: bigint): InclusionDecomposition {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: countOnes(index >> BigInt(inner)) };
}

/** Hashes `seed` up through `proof`, taking sides from the bits of `index` (bit i for proof[i]). */
export function chainInner(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  let hash = seed;
  proof.forEach((sibling, i) => {
    hash = ((index >> BigInt(i)) & 1n) === 0n ? hashChildren(hash, sibling) : hashChildren(sibling, hash);
  });
  return hash;
}

/** Like chainInner but only folds in left siblings (bit set): recomputes the older, smaller root. */
export function chainInnerRight(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  let hash = seed;
  proof.forEach((sibling, i) => {
    if (((index >> BigInt(i)) & 1n) === 1n) hash = hashChildren(sibling, hash);
  });
  return hash;
}

/** Hashes `seed` up the right border: every proof hash is a left sibling. */
export function chainBorderRight(seed: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  let hash = seed;
  for (const sibling of proof) hash = hashChildren(sibling, hash);
  return hash;
}

function checkHashSizes(hashes: readonly Uint8Array[], code: 'ERR_MERKLE_INCLUSION_PROOF' | 'ERR_MERKLE_CONSISTENCY_PROOF'): void {
  hashes.forEach((h, i) => {
    if (h.byteLength !== HASH_SIZE_BYTES) throw new VerificationError(code, `hash ${i} is ${h.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  });
}

/**
 * The root implied by an inclusion proof for leaf hash `leafHash` at `index` in a tree of `size`.
 * @throws ERR_MERKLE_INCLUSION_PROOF when index >= size or the proof has the wrong length or hash sizes
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when index or size is not a uint64
 */
export function rootFromInclusionProof(index: TreeIndex, size: TreeIndex, leafHash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  const i = toTreeIndex(index, 'index');
  const n = toTreeIndex(size, 'tree size');
  if (i >= n) throw new VerificationError('ERR_MERKLE_INCLUSION_PROOF', `index ${i} >= tree size ${n}`);
  checkHashSizes([leafHash, ...proof], 'ERR_MERKLE_INCLUSION_PROOF');
  const { inner, border } = decompInclProof(i, n);
  if (proof.length !== inner + border) {
    throw new VerificationError('ERR_MERKLE_INCLUSION_PROOF', `proof has ${proof.length} hashes, want ${inner + border} for index ${i} in tree size ${n}`);
  }
  return chainBorderRight(chainInner(leafHash, proof.slice(0, inner), i), proof.slice(inner));
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves with root `root`.
 * @throws ERR_MERKLE_INCLUSION_PROOF when it is not (or the proof is malformed)
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when index or size is not a uint64
 */
export function verifyInclusion(index: TreeIndex, size: TreeIndex, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!equalBytes(computed, root)) {
    throw new VerificationError('ERR_MERKLE_INCLUSION_PROOF', `computed root ${encodeHex(computed)} differs from root ${encodeHex(root)}`);
  }
}

function checkRoot(computed: Uint8Array, root: Uint8Array, which: string): void {
  if (!equalBytes(computed, root)) {
    throw new VerificationError('ERR_MERKLE_CONSISTENCY_PROOF', `computed ${which} ${encodeHex(computed)} differs from ${encodeHex(root)}`);
  }
}

/**
 * Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves
 * with root `root1`. Any tree extends the empty tree (size1 0, empty proof).
 * @throws ERR_MERKLE_CONSISTENCY_PROOF when it does not (or the proof is malformed)
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when a size is not a uint64
 */
export function verifyConsistency(size1: TreeIndex, size2: TreeIndex, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  const m = toTreeIndex(size1, 'tree size1');
  const n = toTreeIndex(size2, 'tree size2');
  if (m > n) throw new VerificationError('ERR_MERKLE_CONSISTENCY_PROOF', `tree size1 ${m} > tree size2 ${n}`);
  checkHashSizes([root1, root2, ...proof], 'ERR_MERKLE_CONSISTENCY_PROOF');
  if (m === n || m === 0n) {
    if (proof.length > 0) throw new VerificationError('ERR_MERKLE_CONSISTENCY_PROOF', `proof from size ${m} to ${n} must be empty, has ${proof.length} hashes`);
    if (m === n) checkRoot(root1, root2, 'root1');
    return;
  }
  // The proof is an inclusion path, from level `shift` up, of the old tree's rightmost perfect
  // subtree; that subtree's hash comes first unless it is the whole old tree.
  const shift = trailingZeros(m);
  const { inner, border } = decompInclProof(m - 1n, n);
  const innerAbove = inner - shift;
  const start = m === 1n << BigInt(shift) ? 0 : 1;
  if (proof.length !== start + innerAbove + border) {
    throw new VerificationError('ERR_MERKLE_CONSISTENCY_PROOF', `proof has ${proof.length} hashes, want ${start + innerAbove + border} from size ${m} to ${n}`);
  }
  const seed = start === 0 ? root1 : (proof[0] as Uint8Array);
  const path = proof.slice(start, start + innerAbove);
  const rest = proof.slice(start + innerAbove);
  const mask = (m - 1n) >> BigInt(shift);
  checkRoot(chainBorderRight(chainInnerRight(seed, path, mask), rest), root1, 'root1');
  checkRoot(chainBorderRight(chainInner(seed, path, mask), rest), root2, 'root2');
}
