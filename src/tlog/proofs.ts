/**
 * Proofs read from storage: merkle/proof.ts names the nodes, the LogReader reads them, and
 * merkle rehashes them (transparency-dev/merkle's Inclusion, storage, Rehash).
 */
import {
  compactRangeNodes, compactRangeRoot, consistencyNodes, inclusionNodes, rehashProof, toCompactRange,
  type CompactRange, type NodeId,
} from '../merkle/index.ts';
import type { LogReader, NodeId as StoredNodeId } from './ports.ts';

function toStored(ids: readonly NodeId[]): StoredNodeId[] {
  return ids.map((id) => ({ level: id.level, index: Number(id.index) }));
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves, leaf to root.
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when index >= size; ERR_TLOG_STORAGE when a node is missing
 */
export async function readInclusionProof(reader: Pick<LogReader, 'nodes'>, index: number, size: number): Promise<Uint8Array[]> {
  const nodes = inclusionNodes(index, size);
  return rehashProof(nodes, await reader.nodes(toStored(nodes.ids)));
}

/**
 * The consistency proof from tree size `size1` to `size2`.
 * @throws ERR_MERKLE_INDEX_OUT_OF_RANGE when size1 > size2; ERR_TLOG_STORAGE when a node is missing
 */
export async function readConsistencyProof(reader: LogReader, size1: number, size2: number): Promise<Uint8Array[]> {
  const nodes = consistencyNodes(size1, size2);
  return rehashProof(nodes, await reader.nodes(toStored(nodes.ids)));
}

/**
 * The compact range [0, size): the right border a sequencer appends to.
 * @throws ERR_TLOG_STORAGE when a node is missing
 */
export async function readCompactRange(reader: LogReader, size: number): Promise<CompactRange> {
  const ids = compactRangeNodes(0, size);
  return toCompactRange(0, size, await reader.nodes(toStored(ids)));
}

/**
 * The root hash of the tree of `size` leaves (any size up to the log's, not only published heads).
 * @throws ERR_TLOG_STORAGE when a node is missing
 */
export async function readRootAt(reader: LogReader, size: number): Promise<Uint8Array> {
  const head = await reader.headAt(size);
  return head ? head.rootHash : compactRangeRoot(await readCompactRange(reader, size));
}
