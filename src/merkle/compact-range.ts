/**
 * Compact ranges: the O(log n) perfect-subtree hashes that summarise leaves [begin, end). A log
 * keeps the range [0, size) as its right border, appends leaf hashes to it and computes each new
 * root without reading old nodes. Values are immutable; every operation returns a new range.
 */
import { InputError } from '../core/index.ts';
import { emptyRoot, HASH_SIZE_BYTES, hashChildren } from './hasher.ts';
import { decomposeRange, toTreeIndex, type NodeId, type TreeIndex } from './node-id.ts';

/** Leaves [begin, end) summarised by the hashes of `compactRangeNodes(begin, end)`, left to right. */
export interface CompactRange {
  readonly begin: bigint;
  readonly end: bigint;
  readonly hashes: readonly Uint8Array[];
}

/** Called for every node a merge creates or receives (leaves included), e.g. to store it. */
export type NodeVisitor = (id: NodeId, hash: Uint8Array) => void;

/**
 * The perfect subtrees, left to right, whose hashes make up the compact range [begin, end):
 * the nodes storage must read to rebuild it. Requires begin <= end.
 * @throws ERR_MERKLE_RANGE_INVALID when begin > end
 */
export function compactRangeNodes(begin: TreeIndex, end: TreeIndex): NodeId[] {
  const b = toTreeIndex(begin, 'range begin');
  const e = toTreeIndex(end, 'range end');
  if (b > e) throw new InputError('ERR_MERKLE_RANGE_INVALID', `range begin ${b} > end ${e}`);
  return decomposeRange(b, e);
}

/** The empty range starting (and ending) at leaf `begin`. */
export function emptyCompactRange(begin: TreeIndex = 0n): CompactRange {
  const b = toTreeIndex(begin, 'range begin');
  return { begin: b, end: b, hashes: [] };
}

/**
 * A range from node hashes read for `compactRangeNodes(begin, end)`, in that order.
 * @throws ERR_MERKLE_RANGE_INVALID when the count or a hash size does not fit
 */
export function toCompactRange(begin: TreeIndex, end: TreeIndex, hashes: readonly Uint8Array[]): CompactRange {
  const ids = compactRangeNodes(begin, end);
  if (ids.length !== hashes.length) {
    throw new InputError('ERR_MERKLE_RANGE_INVALID', `range [${begin}, ${end}) has ${ids.length} nodes, got ${hashes.length} hashes`);
  }
  for (const h of hashes) {
    if (h.byteLength !== HASH_SIZE_BYTES) throw new InputError('ERR_MERKLE_RANGE_INVALID', `node hash is ${h.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  }
  return { begin: BigInt(begin), end: BigInt(end), hashes: [...hashes] };
}

/**
 * Appends one leaf hash at position `range.end`, merging completed subtrees.
 * @throws ERR_MERKLE_RANGE_INVALID when the hash is not HASH_SIZE_BYTES long
 */
export function appendLeafHash(range: CompactRange, leafHash: Uint8Array, visit?: NodeVisitor): CompactRange {
  const single = toCompactRange(range.end, range.end + 1n, [leafHash]);
  return mergeCompactRanges(range, single, visit);
}

/**
 * Appends leaf hashes at positions range.end, range.end + 1, ...: what appendLeafHash once per
 * hash gives (the same range, the same nodes visited in the same order), with the range
 * decomposed once rather than once per leaf (a sequencer appends whole batches).
 * @throws ERR_MERKLE_RANGE_INVALID when a hash is not HASH_SIZE_BYTES long
 */
export function appendLeafHashes(range: CompactRange, leafHashes: readonly Uint8Array[], visit?: NodeVisitor): CompactRange {
  for (const h of leafHashes) {
    if (h.byteLength !== HASH_SIZE_BYTES) throw new InputError('ERR_MERKLE_RANGE_INVALID', `node hash is ${h.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  }
  const stack: { id: NodeId; hash: Uint8Array }[] = decomposeRange(range.begin, range.end)
    .map((id, i) => ({ id, hash: range.hashes[i] as Uint8Array }));
  let end = range.end;
  for (const leafHash of leafHashes) {
    pushNode(stack, { id: { level: 0, index: end }, hash: leafHash }, visit);
    end += 1n;
  }
  return { begin: range.begin, end, hashes: stack.map((n) => n.hash) };
}

// Visits `node`, then joins it with left siblings on top of the stack (visiting each parent) and pushes the result.
function pushNode(stack: { id: NodeId; hash: Uint8Array }[], start: { id: NodeId; hash: Uint8Array }, visit?: NodeVisitor): void {
  let node = start;
  visit?.(node.id, node.hash);
  // while the node is a right child whose left sibling is on top of the stack, join them
  for (let top = stack.at(-1); top && isLeftSibling(top.id, node.id); top = stack.at(-1)) {
    stack.pop();
    node = { id: { level: node.id.level + 1, index: node.id.index >> 1n }, hash: hashChildren(top.hash, node.hash) };
    visit?.(node.id, node.hash);
  }
  stack.push(node);
}

/**
 * Joins two adjacent ranges, `left` then `right`. Requires left.end === right.begin.
 * @throws ERR_MERKLE_RANGE_INVALID when they are not adjacent
 */
export function mergeCompactRanges(left: CompactRange, right: CompactRange, visit?: NodeVisitor): CompactRange {
  if (left.end !== right.begin) {
    throw new InputError('ERR_MERKLE_RANGE_INVALID', `ranges [${left.begin}, ${left.end}) and [${right.begin}, ${right.end}) are not adjacent`);
  }
  const stack: { id: NodeId; hash: Uint8Array }[] = decomposeRange(left.begin, left.end)
    .map((id, i) => ({ id, hash: left.hashes[i] as Uint8Array }));
  decomposeRange(right.begin, right.end).forEach((id, i) => pushNode(stack, { id, hash: right.hashes[i] as Uint8Array }, visit));
  return { begin: left.begin, end: right.end, hashes: stack.map((n) => n.hash) };
}

function isLeftSibling(a: NodeId, b: NodeId): boolean {
  return a.level === b.level && (b.index & 1n) === 1n && a.index === b.index - 1n;
}

/**
 * The root of the tree of `range.end` leaves; the empty root for an empty range. Folds right to
 * left, as RFC 6962 §2.1's MTH splits. Requires range.begin === 0.
 * @throws ERR_MERKLE_RANGE_INVALID when the range does not start at leaf 0
 */
export function compactRangeRoot(range: CompactRange): Uint8Array {
  const { hashes } = range;
  if (range.begin !== 0n) throw new InputError('ERR_MERKLE_RANGE_INVALID', `range starts at ${range.begin}, a root needs it to start at 0`);
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1] as Uint8Array;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i] as Uint8Array, root);
  return root;
}
