/**
 * The sequencer: group commit. Requests queue; a batch closes after `maxBatchEntries` entries or
 * `maxBatchDelayMs` (while one batch commits, the next one gathers). Each batch is deduplicated
 * (within itself and against storage), appended to the compact range, given a signed
 * checkpoint and written with one `appendBatch`; only then is any request in it answered.
 * Only the holder of the store's lease sequences: the others poll for it and refuse writes.
 */
import { encodeHex, type Clock, UpstreamError, isAppError } from '../core/index.ts';
import { appendLeafHash, compactRangeRoot, emptyCompactRange, signCheckpoint, type CompactRange, type NoteSigner } from '../merkle/index.ts';
import type { LogLeaf, LogStore, NewLogLeaf, TreeHead, TreeNode } from './ports.ts';
import { readCompactRange } from './proofs.ts';

/** A canonical entry to log. */
export interface LeafRequest {
  readonly leafHash: Uint8Array;
  readonly body: Uint8Array;
  readonly searchKeys: readonly string[];
}

/** The outcome: logged in the batch whose head is `head`, or already present as `existing`. */
export type SequenceResult =
  | { readonly logged: LogLeaf; readonly head: TreeHead }
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
  let range: CompactRange | undefined;
  let stopped = true;
  let queue: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let poller: ReturnType<typeof setInterval> | undefined;
  let flushing: Promise<void> | undefined;
  let polling: Promise<void> | undefined;

  async function load(): Promise<void> {
    const head = await deps.store.latestHead();
    range = head === undefined ? emptyCompactRange() : await readCompactRange(deps.store, head.size);
  }

  async function demote(): Promise<void> {
    range = undefined;
    await deps.store.lease.release().catch(() => undefined);
  }

  async function poll(): Promise<void> {
    try {
      if (range !== undefined) {
        if (!(await deps.store.lease.isHeld())) await demote();
        return;
      }
      if (!stopped && (await deps.store.lease.tryAcquire())) await load();
    } catch {
      // storage unreachable: stay a follower and try again at the next poll
      range = undefined;
    }
  }

  function pollOnce(): void {
    polling ??= poll().finally(() => { polling = undefined; });
  }

  function schedule(): void {
    if (queue.length >= deps.maxBatchEntries) flush();
    else timer ??= setTimeout(flush, deps.maxBatchDelayMs);
  }

  function flush(): void {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    // requests that arrive while a batch commits form the next batch (group commit)
    flushing ??= (async () => {
      while (queue.length > 0) await commit(queue.splice(0, deps.maxBatchEntries));
    })().finally(() => {
      flushing = undefined;
      if (queue.length > 0) schedule();
    });
  }

  async function commit(batch: Pending[]): Promise<void> {
    if (range === undefined || !(await deps.store.lease.isHeld().catch(() => false))) {
      await demote();
      for (const p of batch) p.reject(notSequencer());
      return;
    }
    let plan: BatchPlan;
    try {
      plan = await planBatch(deps, range, batch);
      if (plan.batch.leaves.length > 0) await deps.store.appendBatch(plan.batch);
    } catch (error) {
      const lost = isAppError(error) && error.code === 'ERR_TLOG_SEQUENCE_CONFLICT';
      // the tree on disk is the truth: reload it (or give up the lease) before the next batch
      if (lost) await demote(); else await load().catch(() => demote());
      for (const p of batch) p.reject(lost ? notSequencer() : error);
      return;
    }
    range = plan.range;
    plan.settle();
  }

  return {
    submit(request) {
      if (stopped || range === undefined) return Promise.reject(notSequencer());
      return new Promise<SequenceResult>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        schedule();
      });
    },
    isSequencing: () => !stopped && range !== undefined,
    async start() {
      stopped = false;
      await poll();
      poller = setInterval(pollOnce, deps.leasePollMs);
    },
    async stop() {
      stopped = true;
      if (poller !== undefined) clearInterval(poller);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await flushing;
      await polling;
      const left = queue;
      queue = [];
      for (const p of left) p.reject(notSequencer());
      await demote();
    },
  };
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
  let range = start;
  for (const { request } of batch) {
    const key = encodeHex(request.leafHash);
    if (storedByHash.has(key) || fresh.has(key)) continue;
    const leaf: LogLeaf = { index: Number(range.end), leafHash: request.leafHash, body: request.body, integratedTime };
    logged.set(key, leaf);
    fresh.set(key, { ...leaf, searchKeys: request.searchKeys });
    range = appendLeafHash(range, request.leafHash, (id, hash) => nodes.push({ level: id.level, index: Number(id.index), hash }));
  }
  const size = Number(range.end);
  const rootHash = compactRangeRoot(range);
  const checkpoint = signCheckpoint({ origin: deps.origin, size: BigInt(size), rootHash, extensions: [] }, [deps.checkpointSigner]);
  const head: TreeHead = { size, rootHash, checkpoint, timestamp: integratedTime };
  return {
    batch: { previousSize: Number(start.end), leaves: [...fresh.values()], nodes, head },
    range,
    settle() {
      const answered = new Set<string>();
      for (const p of batch) {
        const key = encodeHex(p.request.leafHash);
        const old = storedByHash.get(key);
        const leaf = logged.get(key);
        // a repeat inside the batch gets the 409 of the copy logged just before it
        if (old !== undefined) p.resolve({ existing: old });
        else if (leaf === undefined || answered.has(key)) p.resolve({ existing: leaf as LogLeaf });
        else { answered.add(key); p.resolve({ logged: leaf, head }); }
      }
    },
  };
}
