/**
 * Which nodes make up an inclusion or consistency proof (RFC 6962 §2.1.1, §2.1.2). The functions
 * here only name node addresses; storage reads their hashes and `rehashProof` turns them into the
 * proof, in the order the verifier consumes (closest to the leaf first).
 */
import { InputError } from '../core/index.ts';
import { hashChildren } from './hasher.ts';
import { bitLength, decomposeRange, toTreeIndex, trailingZeros, type NodeId, type TreeIndex } from './node-id.ts';

/**
 * Node addresses to read for a proof. All are perfect subtrees. When the proof needs a node on
 * the right border that is not a perfect subtree (an ephemeral node), `ids[begin, end)` are
 * the perfect subtrees covering it, left to right, and `ephem` is its address; otherwise
 * `begin === end`.
 */
export interface ProofNodes {
  readonly ids: readonly NodeId[];
  readonly begin: number;
  readonly end: number;
  readonly ephem: NodeId | undefined;
}

/**
 * The sibling path of node (level, index) in a tree of `size` leaves, bottom up.
 * Requires the node to start before `size`.
 */
function pathNodes(level: number, index: bigint, size: bigint): ProofNodes {
  const first = index << BigInt(level);
  const last = size - 1n;
  const inner = Math.max(bitLength(first ^ last), level);
  const ids: NodeId[] = [];
  for (let l = level; l < inner - 1; l++) ids.push({ level: l, index: (first >> BigInt(l)) ^ 1n });
  let begin = 0;
  let end = 0;
  let ephem: NodeId | undefined;
  if (inner > level) {
    // the sibling at level inner-1 holds the last leaf and may be cut off by the tree's right edge
    const l = inner - 1;
    const sibling: NodeId = { level: l, index: last >> BigInt(l) };
    const parts = decomposeRange(sibling.index << BigInt(l), size);
    begin = ids.length;
    ids.push(...parts);
    end = ids.length;
    if (parts.length === 1) begin = end = 0;
    else ephem = sibling;
  }
  for (let l = inner; (last >> BigInt(l)) > 0n; l++) {
    const at = first >> BigInt(l);
    if ((at & 1n) === 1n) ids.push({ level: l, index: at - 1n });
  }
  return { ids, begin, end, ephem };
}

/**
 * Nodes of the inclusion proof (audit path) for leaf `index` in a tree of `size` leaves.
 * Requires 0 <= index < size.
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when index >= size
 */
export function inclusionNodes(index: TreeIndex, size: TreeIndex): ProofNodes {
  const i = toTreeIndex(index, 'index');
  const n = toTreeIndex(size, 'tree size');
  if (i >= n) throw new InputError('ERR_MERKLE_INDEX_OUT_OF_RANGE', `index ${i} >= tree size ${n}`);
  return pathNodes(0, i, n);
}

/**
 * Nodes of the consistency proof from tree size `size1` to `size2`; empty when size1 is 0 or
 * equals size2. Requires 0 <= size1 <= size2.
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when size1 > size2
 */
export function consistencyNodes(size1: TreeIndex, size2: TreeIndex): ProofNodes {
  const m = toTreeIndex(size1, 'tree size1');
  const n = toTreeIndex(size2, 'tree size2');
  if (m > n) throw new InputError('ERR_MERKLE_INDEX_OUT_OF_RANGE', `tree size1 ${m} > tree size2 ${n}`);
  if (m === 0n || m === n) return { ids: [], begin: 0, end: 0, ephem: undefined };
  // The old tree's rightmost perfect subtree; its path in the new tree links both roots.
  const level = trailingZeros(m);
  const index = (m >> BigInt(level)) - 1n;
  const path = pathNodes(level, index, n);
  // A power-of-two old tree is that subtree itself: the verifier already holds its root.
  if (index === 0n) return path;
  const shift = path.begin === path.end ? 0 : 1;
  return { ids: [{ level, index }, ...path.ids], begin: path.begin + shift, end: path.end + shift, ephem: path.ephem };
}

/**
 * Turns the hashes read for `nodes.ids` (same order) into the proof, folding the ephemeral
 * node's parts right to left as RFC 6962's MTH does.
 * @throws ERR_INPUT_INVALID when the number of hashes differs from the number of ids
 */
export function rehashProof(nodes: ProofNodes, hashes: readonly Uint8Array[]): Uint8Array[] {
  if (hashes.length !== nodes.ids.length) {
    throw new InputError('ERR_INPUT_INVALID', `got ${hashes.length} node hashes for ${nodes.ids.length} node ids`);
  }
  if (nodes.end - nodes.begin < 2) return [...hashes];
  const parts = hashes.slice(nodes.begin, nodes.end);
  let folded = parts[parts.length - 1] as Uint8Array;
  for (let j = parts.length - 2; j >= 0; j--) folded = hashChildren(parts[j] as Uint8Array, folded);
  return [...hashes.slice(0, nodes.begin), folded, ...hashes.slice(nodes.end)];
}
