/**
 * What the transparency log needs from storage. Two adapters implement it (SQLite, the embedded
 * default; PostgreSQL, for replicas) and one contract test suite runs against both.
 */

/** One logged entry: its place in the tree and its canonical body. */
export interface LogLeaf {
  /** 0-based position in the tree */
  readonly index: number;
  /** RFC 6962 leaf hash of `body`; its hex is the entry UUID */
  readonly leafHash: Uint8Array;
  /** the canonical (JCS) entry body */
  readonly body: Uint8Array;
  /** unix seconds when the entry was sequenced */
  readonly integratedTime: number;
}

/** A leaf to append, with the search keys that find it. */
export interface NewLogLeaf extends LogLeaf {
  /** lower-case search keys: hashes (`sha256:<hex>`), emails, key fingerprints */
  readonly searchKeys: readonly string[];
}

/** Address of a perfect-subtree node: level 0 holds leaf hashes. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A perfect-subtree node hash. */
export interface TreeNode extends NodeId {
  readonly hash: Uint8Array;
}

/** A published tree state. */
export interface TreeHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** the signed checkpoint (signed note text) for this size */
  readonly checkpoint: string;
  /** unix seconds when this head was made */
  readonly timestamp: number;
}

/** One atomic append: leaves at `previousSize`.., the nodes they complete, and the new head. */
export interface LogBatch {
  readonly previousSize: number;
  readonly leaves: readonly NewLogLeaf[];
  readonly nodes: readonly TreeNode[];
  readonly head: TreeHead;
}

/** Read side of log storage; every replica serves these. */
export interface LogReader {
  /** The newest head, or undefined for an empty log. */
  latestHead(): Promise<TreeHead | undefined>;
  /** The head published at exactly `size`, if one was. */
  headAt(size: number): Promise<TreeHead | undefined>;
  leafByIndex(index: number): Promise<LogLeaf | undefined>;
  leafByHash(leafHash: Uint8Array): Promise<LogLeaf | undefined>;
  /** The stored leaves among `leafHashes` (any order; absent ones left out): one round trip for a batch. */
  leavesByHash(leafHashes: readonly Uint8Array[]): Promise<readonly LogLeaf[]>;
  /**
   * The hashes of `ids`, in order.
   * @throws ERR_TLOG_STORAGE when a node is missing (the tree is corrupt)
   */
  nodes(ids: readonly NodeId[]): Promise<readonly Uint8Array[]>;
  /** Leaf indexes whose search keys include `key` (exact, lower-case), ascending, at most `limit`. */
  search(key: string, limit: number): Promise<readonly number[]>;
}

/** Write side: only the current sequencer calls it. */
export interface LogWriter {
  /**
   * Appends a batch atomically and durably.
   * @throws ERR_TLOG_SEQUENCE_CONFLICT when the stored size is not `previousSize` (another sequencer wrote)
   */
  appendBatch(batch: LogBatch): Promise<void>;
}

/** The right to sequence: at most one holder across all replicas sharing a store. */
export interface SequencerLease {
  /** Tries to become the sequencer; true when this process holds the lease. */
  tryAcquire(): Promise<boolean>;
  /** True while the lease is still held (checked before each batch). */
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** Watches the log's writes (for metrics); each call must be cheap and must not throw. */
export interface LogObserver {
  /** A batch that added `appended` (>= 0) new entries is durable. */
  batchCommitted(appended: number): void;
  /** A proposed entry was refused as already logged (Rekor's 409). */
  duplicateRefused(): void;
}

/** A whole storage backend. */
export interface LogStore extends LogReader, LogWriter {
  readonly lease: SequencerLease;
  close(): Promise<void>;
}
