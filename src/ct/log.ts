/**
 * The Certificate Transparency log (RFC 6962): takes chains, signs SCTs, appends each entry to
 * the Merkle tree before answering (a maximum merge delay of zero) under a new signed tree head,
 * and serves heads, proofs and entries. The tree's right border (a compact range) stays in
 * memory and the store receives every node a batch completes.
 */
import { InputError, NotFoundError, type Clock } from '../core/index.ts';
import {
  appendLeafHash, compactRangeRoot, consistencyNodes, emptyCompactRange, hashLeaf, inclusionNodes, rehashProof,
  toCompactRange, compactRangeNodes, type CompactRange, type ProofNodes,
} from '../merkle/index.ts';
import { createChainMemo, encodeTimestampedEntry, parseSubmission, type CtSubmission } from './entry.ts';
import type { CtLeaf, CtNode, CtSigner, CtStore, SignedTreeHead } from './ports.ts';
import { encodeTreeHeadInput, logIdOf, signDigitally } from './signing.ts';

/** An SCT as add-chain returns it. */
export interface CtSct {
  readonly logId: Uint8Array;
  readonly timestampMs: number;
  readonly extensions: Uint8Array;
  /** TLS DigitallySigned */
  readonly signature: Uint8Array;
}

/** What the log is built from. */
export interface CtLogDeps {
  readonly store: CtStore;
  readonly signer: CtSigner;
  /** the roots submissions must chain to (DER) */
  readonly roots: readonly Uint8Array[];
  readonly clock: Clock;
}

/** The log's operations. */
export interface CtLog {
  readonly logId: Uint8Array;
  readonly roots: readonly Uint8Array[];
  /** add-chain (`precert` false) or add-pre-chain; resolves once the entry is stored */
  add(chain: readonly Uint8Array[], precert: boolean): Promise<CtSct>;
  /** the latest signed tree head (the signed empty tree before the first entry) */
  latestHead(): Promise<SignedTreeHead>;
  consistency(first: number, second: number): Promise<Uint8Array[]>;
  proofByHash(leafHash: Uint8Array, treeSize: number): Promise<{ leafIndex: number; auditPath: Uint8Array[] }>;
  /** entries [start, end] (inclusive, as get-entries), at most `limit` */
  entries(start: number, end: number, limit: number): Promise<readonly CtLeaf[]>;
}

function paramError(message: string): InputError {
  return new InputError('ERR_CT_PARAM_INVALID', message);
}

async function readProof(store: CtStore, nodes: ProofNodes): Promise<Uint8Array[]> {
  const ids = nodes.ids.map((id) => ({ level: id.level, index: Number(id.index) }));
  return rehashProof(nodes, await store.nodes(ids));
}

/**
 * Opens the log over `deps.store`, loading the tree's right border.
 * @throws ERR_CT_STORAGE when stored nodes are missing
 */
export async function openCtLog(deps: CtLogDeps): Promise<CtLog> {
  const head = await deps.store.latestHead();
  let range: CompactRange = emptyCompactRange();
  if (head !== undefined && head.treeSize > 0) {
    const ids = compactRangeNodes(0, head.treeSize).map((id) => ({ level: id.level, index: Number(id.index) }));
    range = toCompactRange(0, head.treeSize, await deps.store.nodes(ids));
  }
  return new BatchingCtLog(deps, range, head);
}

interface Pending {
  readonly submission: CtSubmission;
  resolve(sct: CtSct): void;
  reject(error: unknown): void;
}

/** Most entries one commit takes. */
const MAX_BATCH_ENTRIES = 256;

/**
 * Group commit: submissions are checked on arrival, queue, and are appended in batches (one
 * durable write and one tree head per batch; while a batch commits, the next one gathers). An
 * SCT is handed out only after its batch is stored.
 */
class BatchingCtLog implements CtLog {
  readonly logId: Uint8Array;
  readonly roots: readonly Uint8Array[];
  readonly #deps: CtLogDeps;
  readonly #memo = createChainMemo();
  #range: CompactRange;
  #head: SignedTreeHead | undefined;
  #queue: Pending[] = [];
  #draining = false;

  constructor(deps: CtLogDeps, range: CompactRange, head: SignedTreeHead | undefined) {
    this.#deps = deps;
    this.#range = range;
    this.#head = head;
    this.logId = logIdOf(deps.signer);
    this.roots = deps.roots;
  }

  add(chain: readonly Uint8Array[], precert: boolean): Promise<CtSct> {
    let submission: CtSubmission;
    try {
      submission = parseSubmission(chain, this.#deps.roots, precert, this.#memo);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<CtSct>((resolve, reject) => {
      this.#queue.push({ submission, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, MAX_BATCH_ENTRIES));
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    let range = this.#range;
    const leaves: CtLeaf[] = [];
    const nodes: CtNode[] = [];
    const scts: CtSct[] = [];
    for (const { submission } of batch) {
      const timestampMs = this.#deps.clock().getTime();
      const extensions = new Uint8Array(0);
      const entry = encodeTimestampedEntry(submission, timestampMs, extensions);
      const leafHash = hashLeaf(entry);
      leaves.push({ index: Number(range.end), leafHash, leafInput: entry, extraData: submission.extraData });
      range = appendLeafHash(range, leafHash, (id, hash) => nodes.push({ level: id.level, index: Number(id.index), hash }));
      // the SCT signs the same bytes the tree logs (RFC 6962 §3.2 and §3.4 share the layout)
      scts.push({ logId: this.logId, timestampMs, extensions, signature: signDigitally(this.#deps.signer, entry) });
    }
    const head = this.#signHead(Number(range.end), compactRangeRoot(range));
    try {
      await this.#deps.store.append(leaves, nodes, head);
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    this.#range = range;
    this.#head = head;
    batch.forEach((p, i) => p.resolve(scts[i] as CtSct));
  }

  #signHead(size: number, rootHash: Uint8Array): SignedTreeHead {
    const timestampMs = this.#deps.clock().getTime();
    return { treeSize: size, timestampMs, rootHash, signature: signDigitally(this.#deps.signer, encodeTreeHeadInput(timestampMs, size, rootHash)) };
  }

  async latestHead(): Promise<SignedTreeHead> {
    this.#head ??= this.#signHead(0, compactRangeRoot(this.#range));
    return this.#head;
  }

  async consistency(first: number, second: number): Promise<Uint8Array[]> {
    const size = Number(this.#range.end);
    if (first > second || second > size) throw paramError(`consistency from ${first} to ${second} is not within the tree of ${size} leaves`);
    if (first === 0) return [];
    return readProof(this.#deps.store, consistencyNodes(first, second));
  }

  async proofByHash(leafHash: Uint8Array, treeSize: number): Promise<{ leafIndex: number; auditPath: Uint8Array[] }> {
    const size = Number(this.#range.end);
    if (treeSize < 1 || treeSize > size) throw paramError(`tree_size ${treeSize} is not within 1..${size}`);
    const index = await this.#deps.store.indexOfLeafHash(leafHash);
    if (index === undefined || index >= treeSize) throw new NotFoundError('ERR_CT_NOT_FOUND', `no leaf with that hash in the tree of ${treeSize} leaves`);
    return { leafIndex: index, auditPath: await readProof(this.#deps.store, inclusionNodes(index, treeSize)) };
  }

  async entries(start: number, end: number, limit: number): Promise<readonly CtLeaf[]> {
    const size = Number(this.#range.end);
    if (start < 0 || end < start || start >= size) throw paramError(`entries ${start} to ${end} are not within the tree of ${size} leaves`);
    return this.#deps.store.leaves(start, Math.min(end + 1, start + limit, size));
  }
}
