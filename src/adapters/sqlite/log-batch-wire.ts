/**
 * A log batch as it crosses to the SQLite writer thread: every hash and body packed into one
 * transferred buffer and the numbers and strings in flat arrays, instead of a structured clone
 * of one small Uint8Array (and its ArrayBuffer) per hash and body.
 */
import { InternalError } from '../../core/index.ts';
import type { LogBatch, NewLogLeaf, TreeNode } from '../../tlog/ports.ts';

const HASH_BYTES = 32;

/** The packed form. */
export interface PackedBatch {
  readonly previousSize: number;
  readonly head: LogBatch['head'];
  /** leaf hashes, then node hashes (32 bytes each), then the leaf bodies back to back */
  readonly bytes: Uint8Array;
  /** per leaf: index, integrated time, body length, search key count */
  readonly leafNumbers: readonly number[];
  readonly searchKeys: readonly string[];
  /** per node: level, index */
  readonly nodeNumbers: readonly number[];
}

/**
 * Packs `batch`; the returned buffer is the one to transfer.
 * @throws ERR_TLOG_STORAGE when a hash is not 32 bytes
 */
export function packBatch(batch: LogBatch): { packed: PackedBatch; transfer: ArrayBuffer } {
  const hashes = [...batch.leaves.map((l) => l.leafHash), ...batch.nodes.map((n) => n.hash)];
  if (hashes.some((h) => h.byteLength !== HASH_BYTES)) throw new InternalError('ERR_TLOG_STORAGE', `a tree hash is not ${HASH_BYTES} bytes`);
  const bodyBytes = batch.leaves.reduce((sum, l) => sum + l.body.byteLength, 0);
  const transfer = new ArrayBuffer(hashes.length * HASH_BYTES + bodyBytes);
  const bytes = new Uint8Array(transfer);
  hashes.forEach((h, i) => bytes.set(h, i * HASH_BYTES));
  let at = hashes.length * HASH_BYTES;
  const leafNumbers: number[] = [];
  const searchKeys: string[] = [];
  for (const l of batch.leaves) {
    bytes.set(l.body, at);
    at += l.body.byteLength;
    leafNumbers.push(l.index, l.integratedTime, l.body.byteLength, l.searchKeys.length);
    searchKeys.push(...l.searchKeys);
  }
  const nodeNumbers = batch.nodes.flatMap((n) => [n.level, n.index]);
  return { packed: { previousSize: batch.previousSize, head: batch.head, bytes, leafNumbers, searchKeys, nodeNumbers }, transfer };
}

/** The batch `packBatch` packed (its arrays are views into the packed buffer). */
export function unpackBatch(packed: PackedBatch): LogBatch {
  const { bytes, leafNumbers, nodeNumbers } = packed;
  const leafCount = leafNumbers.length / 4;
  const hashAt = (i: number): Uint8Array => bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  const leaves: NewLogLeaf[] = [];
  let at = (leafCount + nodeNumbers.length / 2) * HASH_BYTES;
  let key = 0;
  for (let i = 0; i < leafCount; i++) {
    const [index, integratedTime, bodyLength, keyCount] = leafNumbers.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    leaves.push({ index, integratedTime, leafHash: hashAt(i), body: bytes.subarray(at, at + bodyLength), searchKeys: packed.searchKeys.slice(key, key + keyCount) });
    at += bodyLength;
    key += keyCount;
  }
  const nodes: TreeNode[] = [];
  for (let j = 0; j < nodeNumbers.length / 2; j++) {
    nodes.push({ level: nodeNumbers[2 * j] as number, index: nodeNumbers[2 * j + 1] as number, hash: hashAt(leafCount + j) });
  }
  return { previousSize: packed.previousSize, leaves, nodes, head: packed.head };
}
