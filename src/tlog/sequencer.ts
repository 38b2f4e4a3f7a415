/**
 * The sequencer: group commit. Requests queue; a batch closes after `maxBatchEntries` entries or
 * `maxBatchDelayMs` (while one batch commits, the next one gathers). Each batch is deduplicated
 * (within itself and against storage), appended to the compact range, given a signed
 * checkpoint and written with one `appendBatch`; only then is any request in it answered.
 * Only the holder of the store's lease sequences: the others poll for it and refuse writes.
 */
import { encodeHex, type Clock, UpstreamError, isAppError } from '../core/index.ts';
import {
  appendLeafHashes, compactRangeNodes, compactRangeRoot, emptyCompactRange, signCheckpoint, type CompactRange, type NoteSigner,
} from '../merkle/index.ts';
import type { LogLeaf, LogObserver, LogStore, NewLogLeaf, TreeHead, TreeNode } from './ports.ts';
import { readCompactRange } from './proofs.ts';

/** A canonical entry to log. */
export interface LeafRequest {
  readonly leafHash: Uint8Array;
  readonly body: Uint8Array;
  readonly searchKeys: readonly string[];
}

/**
 * The hash of the perfect subtree (level, index) when the batch that made `head` knows it, else
 * undefined: the batch's new nodes and the range it was appended to hold every node of the
 * inclusion proof of a leaf it logged, so its answers need not read them back from storage.
 */
export type KnownNode = (level: number, index: number) => Uint8Array | undefined;

/** The outcome: logged in the batch whose head is `head`, or already present as `existing`. */
export type SequenceResult =
  | { readonly logged: LogLeaf; readonly head: TreeHead; readonly knownNode: KnownNode }
  | { readonly existing: LogLeaf };

/** What the sequencer needs. */
export interface SequencerDeps {
  readonly store: LogStore;
  readonly clock: Clock;
  readonly checkpointSigner: NoteSigner;
  /** the checkpoint origin line, e.g. `<host> - <tree ID>` */
  readonly origin: string;
  readonly maxBatchEntries: number;
  readonly maxBatchDelayMs: number;
  /** how often a replica that is not the sequencer tries to become it */
  readonly leasePollMs: number;
  readonly observer?: LogObserver;
}

/** The running sequencer. */
export interface Sequencer {
  /**
   * Queues a leaf; resolves once its batch is durable.
   * @throws ERR_TLOG_NOT_SEQUENCER when this replica does not hold the lease (or loses it)
   * @throws ERR_TLOG_STORAGE when the batch could not be written
   */
  submit(request: LeafRequest): Promise<SequenceResult>;
  /** True while this replica holds the lease and has loaded the tree. */
  isSequencing(): boolean;
  /** Starts competing for the lease. */
  start(): Promise<void>;
  /** Stops, lets a running batch finish, refuses queued requests and releases the lease. */
  stop(): Promise<void>;
}

interface Pending {
  readonly request: LeafRequest;
  resolve(result: SequenceResult): void;
  reject(error: unknown): void;
}

function notSequencer(): UpstreamError {
  return new UpstreamError('ERR_TLOG_NOT_SEQUENCER', 'this log replica is not the sequencer; retry shortly', { details: { retryAfterSeconds: 1 } });
}

/** Creates a sequencer over `deps.store`; call start() before submitting. */
export function createSequencer(deps: SequencerDeps): Sequencer {
  return new GroupCommitSequencer(deps);
}

class GroupCommitSequencer implements Sequencer {
  readonly #deps: SequencerDeps;
  /** the tree's right border while this replica sequences; undefined while it follows */
  #range: CompactRange | undefined;
  #stopped = true;
  #queue: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #poller: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;
  #polling: Promise<void> | undefined;

  constructor(deps: SequencerDeps) {
    this.#deps = deps;
  }

  submit(request: LeafRequest): Promise<SequenceResult> {
    if (this.#stopped || this.#range === undefined) return Promise.reject(notSequencer());
    return new Promise<SequenceResult>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  isSequencing(): boolean {
    return !this.#stopped && this.#range !== undefined;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await this.#poll();
    this.#poller = setInterval(() => {
      this.#polling ??= this.#poll().finally(() => { this.#polling = undefined; });
    }, this.#deps.leasePollMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#poller !== undefined) clearInterval(this.#poller);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    await this.#polling;
    const left = this.#queue;
    this.#queue = [];
    for (const p of left) p.reject(notSequencer());
    await this.#demote();
  }

  async #load(): Promise<void> {
    const head = await this.#deps.store.latestHead();
    this.#range = head === undefined ? emptyCompactRange() : await readCompactRange(this.#deps.store, head.size);
  }

  async #demote(): Promise<void> {
    this.#range = undefined;
    await this.#deps.store.lease.release().catch(() => undefined);
  }

  async #poll(): Promise<void> {
    const { lease } = this.#deps.store;
    try {
      if (this.#range !== undefined) {
        if (!(await lease.isHeld())) await this.#demote();
      } else if (!this.#stopped && (await lease.tryAcquire())) {
        await this.#load();
      }
    } catch {
      // storage unreachable: stay a follower and try again at the next poll
      this.#range = undefined;
    }
  }

  #schedule(): void {
    if (this.#queue.length >= this.#deps.maxBatchEntries) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#deps.maxBatchDelayMs);
  }

  #flush(): void {
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined; }
    // requests that arrive while a batch commits form the next batch (group commit)
    this.#flushing ??= (async () => {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.#deps.maxBatchEntries));
    })().finally(() => {
      this.#flushing = undefined;
      if (this.#queue.length > 0) this.#schedule();
    });
  }

  async #commit(batch: Pending[]): Promise<void> {
    const range = this.#range;
    if (range === undefined || !(await this.#deps.store.lease.isHeld().catch(() => false))) {
      await this.#demote();
      for (const p of batch) p.reject(notSequencer());
      return;
    }
    let plan: BatchPlan;
    try {
      plan = await planBatch(this.#deps, range, batch);
      if (plan.batch.leaves.length > 0) await this.#deps.store.appendBatch(plan.batch);
    } catch (error) {
      const lost = isAppError(error) && error.code === 'ERR_TLOG_SEQUENCE_CONFLICT';
      // the tree on disk is the truth: reload it (or give up the lease) before the next batch
      if (lost) await this.#demote(); else await this.#load().catch(() => this.#demote());
      for (const p of batch) p.reject(lost ? notSequencer() : error);
      return;
    }
    this.#range = plan.range;
    this.#deps.observer?.batchCommitted(plan.batch.leaves.length);
    plan.settle();
  }
}

interface BatchPlan {
  readonly batch: { previousSize: number; leaves: NewLogLeaf[]; nodes: TreeNode[]; head: TreeHead };
  readonly range: CompactRange;
  settle(): void;
}

// Dedupes the batch, extends the range and signs the new head; settle() answers every request.
async function planBatch(deps: SequencerDeps, start: CompactRange, batch: readonly Pending[]): Promise<BatchPlan> {
  const stored = await deps.store.leavesByHash(batch.map((p) => p.request.leafHash));
  const storedByHash = new Map(stored.map((l) => [encodeHex(l.leafHash), l]));
  const fresh = new Map<string, NewLogLeaf>();
  const logged = new Map<string, LogLeaf>();
  const integratedTime = Math.floor(deps.clock().getTime() / 1000);
  const nodes: TreeNode[] = [];
  // node hashes by index·64 + level (an index below 2^47 keeps this a safe integer)
  const known = new Map<number, Uint8Array>();
  compactRangeNodes(0, start.end).forEach((id, i) => known.set(Number(id.index) * 64 + id.level, start.hashes[i] as Uint8Array));
  let next = Number(start.end);
  for (const { request } of batch) {
    const key = encodeHex(request.leafHash);
    if (storedByHash.has(key) || fresh.has(key)) continue;
    const leaf: LogLeaf = { index: next++, leafHash: request.leafHash, body: request.body, integratedTime };
    logged.set(key, leaf);
    fresh.set(key, { ...leaf, searchKeys: request.searchKeys });
  }
  const range = appendLeafHashes(start, [...fresh.values()].map((l) => l.leafHash), (id, hash) => {
    nodes.push({ level: id.level, index: Number(id.index), hash });
    known.set(Number(id.index) * 64 + id.level, hash);
  });
  const size = Number(range.end);
  const rootHash = compactRangeRoot(range);
  const checkpoint = signCheckpoint({ origin: deps.origin, size: BigInt(size), rootHash, extensions: [] }, [deps.checkpointSigner]);
  const head: TreeHead = { size, rootHash, checkpoint, timestamp: integratedTime };
  return {
    batch: { previousSize: Number(start.end), leaves: [...fresh.values()], nodes, head },
    range,
    settle: () => settleBatch(batch, storedByHash, logged, head, (level, index) => known.get(index * 64 + level)),
  };
}

// Answers every request of a committed batch; a repeat inside the batch gets the 409 of the
// copy logged just before it.
function settleBatch(
  batch: readonly Pending[], stored: ReadonlyMap<string, LogLeaf>, logged: ReadonlyMap<string, LogLeaf>, head: TreeHead, knownNode: KnownNode,
): void {
  const answered = new Set<string>();
  for (const p of batch) {
    const key = encodeHex(p.request.leafHash);
    const old = stored.get(key);
    const leaf = logged.get(key);
    if (old !== undefined) p.resolve({ existing: old });
    else if (leaf === undefined || answered.has(key)) p.resolve({ existing: leaf as LogLeaf });
    else { answered.add(key); p.resolve({ logged: leaf, head, knownNode }); }
  }
}
