/**
 * The log's operations, transport-free: create an entry (through the sequencer), read entries
 * with proofs against the latest head, retrieve in bulk, search, log info and consistency proofs.
 * Reads work on every replica, straight from storage.
 */
import { ConflictError, encodeHex, InputError, type Clock } from '../core/index.ts';
import { emptyRoot, hashLeaf, signCheckpoint, type NoteSigner } from '../merkle/index.ts';
import { canonicalizeProposedEntry } from './entries/proposed-entry.ts';
import { invalidEntry } from './entries/fields.ts';
import type { CanonicalEntry } from './entries/types.ts';
import { entryIdOf, type EntryReference } from './identifiers.ts';
import { encodeLogEntry, type EntryContext, type LogEntryJson } from './log-entry.ts';
import type { LogLeaf, LogObserver, LogReader, TreeHead } from './ports.ts';
import { readConsistencyProof, readInclusionProof, readRootAt } from './proofs.ts';
import { runSearch, type SearchQuery } from './search.ts';
import type { KnownNode, Sequencer } from './sequencer.ts';

/** A LogEntry answer: one key, the entry ID. */
export type LogEntryMap = Record<string, LogEntryJson>;

/** Rekor's LogInfo. */
export interface LogInfoJson {
  readonly rootHash: string;
  readonly signedTreeHead: string;
  readonly treeID: string;
  readonly treeSize: number;
}

/** What the operations need. */
export interface LogApiDeps {
  readonly reader: LogReader;
  readonly sequencer: Sequencer;
  readonly context: EntryContext;
  readonly checkpointSigner: NoteSigner;
  readonly origin: string;
  readonly clock: Clock;
  readonly maxSearchResults: number;
  readonly observer?: LogObserver;
}

/** The operations behind the Rekor v1 routes. */
export interface LogApi {
  /**
   * Logs a canonical entry and answers once it is durable.
   * @throws ERR_TLOG_ENTRY_EXISTS (with details.entryId) for a duplicate; ERR_TLOG_NOT_SEQUENCER; ERR_TLOG_ENTRY_INVALID when not insertable
   */
  createEntry(entry: CanonicalEntry): Promise<{ readonly entryId: string; readonly entry: LogEntryMap }>;
  /** The entry a reference names, proven against the latest head; undefined when absent. */
  getEntry(ref: EntryReference): Promise<LogEntryMap | undefined>;
  /** Entries for proposed entries (canonicalized and looked up by leaf hash); absent ones skipped. */
  findProposed(proposed: readonly unknown[]): Promise<LogEntryMap[]>;
  /** Entry IDs matching a search query. */
  search(query: SearchQuery): Promise<string[]>;
  logInfo(): Promise<LogInfoJson>;
  /** @throws ERR_TLOG_TREE_SIZE_INVALID when firstSize > lastSize or lastSize is beyond the tree */
  consistencyProof(firstSize: number, lastSize: number): Promise<{ readonly rootHash: string; readonly hashes: readonly string[] }>;
}

async function prove(deps: LogApiDeps, leaf: LogLeaf, head: TreeHead, knownNode?: KnownNode): Promise<LogEntryMap> {
  const reader = knownNode === undefined ? deps.reader : withKnownNodes(deps.reader, knownNode);
  return encodeLogEntry(deps.context, leaf, head, await readInclusionProof(reader, leaf.index, head.size));
}

// Node reads answered from the batch that just committed, and from storage only when one is not
// there (a fresh entry's proof never needs storage: see KnownNode).
function withKnownNodes(reader: LogReader, knownNode: KnownNode): Pick<LogReader, 'nodes'> {
  return {
    async nodes(ids) {
      const hashes: Uint8Array[] = [];
      for (const id of ids) {
        const hash = knownNode(id.level, id.index);
        if (hash === undefined) return reader.nodes(ids);
        hashes.push(hash);
      }
      return hashes;
    },
  };
}

// The leaf was read first, so the head read now covers it (they are committed together).
async function proveLatest(deps: LogApiDeps, leaf: LogLeaf | undefined): Promise<LogEntryMap | undefined> {
  if (leaf === undefined) return undefined;
  const head = await deps.reader.latestHead();
  return head === undefined ? undefined : prove(deps, leaf, head);
}

function duplicate(deps: LogApiDeps, leaf: LogLeaf): ConflictError {
  deps.observer?.duplicateRefused();
  const entryId = entryIdOf(deps.context.treeId, leaf.leafHash);
  return new ConflictError('ERR_TLOG_ENTRY_EXISTS', `an equivalent entry already exists in the transparency log with UUID ${entryId}`, { details: { entryId } });
}

async function createEntry(deps: LogApiDeps, entry: CanonicalEntry): Promise<{ readonly entryId: string; readonly entry: LogEntryMap }> {
  if (!entry.insertable) throw invalidEntry(`a ${entry.kind} entry in this form can be searched for but not inserted`);
  const leafHash = hashLeaf(entry.body);
  // a replica that does not sequence looks first, so a repeat gets its 409 even where writes are
  // refused; the sequencer checks every batch against storage itself
  if (!deps.sequencer.isSequencing()) {
    const known = await deps.reader.leafByHash(leafHash);
    if (known !== undefined) throw duplicate(deps, known);
  }
  const result = await deps.sequencer.submit({ leafHash, body: entry.body, searchKeys: entry.searchKeys });
  if ('existing' in result) throw duplicate(deps, result.existing);
  return { entryId: entryIdOf(deps.context.treeId, leafHash), entry: await prove(deps, result.logged, result.head, result.knownNode) };
}

async function consistencyProof(deps: LogApiDeps, firstSize: number, lastSize: number): Promise<{ readonly rootHash: string; readonly hashes: readonly string[] }> {
  const size = (await deps.reader.latestHead())?.size ?? 0;
  if (firstSize > lastSize) throw new InputError('ERR_TLOG_TREE_SIZE_INVALID', `firstSize(${firstSize}) must be less than lastSize(${lastSize})`);
  if (lastSize > size) throw new InputError('ERR_TLOG_TREE_SIZE_INVALID', `the tree size requested(${lastSize}) was greater than what is currently observable(${size})`);
  const hashes = await readConsistencyProof(deps.reader, firstSize, lastSize);
  return { rootHash: encodeHex(await readRootAt(deps.reader, lastSize)), hashes: hashes.map(encodeHex) };
}

/** Creates the operations over a store reader and a sequencer. */
export function createLogApi(deps: LogApiDeps): LogApi {
  const { reader, context } = deps;
  return {
    createEntry: (entry) => createEntry(deps, entry),
    async getEntry(ref) {
      if (ref.by === 'other-tree') return undefined;
      return proveLatest(deps, ref.by === 'index' ? await reader.leafByIndex(ref.index) : await reader.leafByHash(ref.leafHash));
    },
    async findProposed(proposed) {
      const out: LogEntryMap[] = [];
      for (const p of proposed) {
        const found = await proveLatest(deps, await reader.leafByHash(hashLeaf(canonicalizeProposedEntry(p).body)));
        if (found) out.push(found);
      }
      return out;
    },
    async search(query) {
      const indexes = await runSearch(reader, query, deps.maxSearchResults);
      const leaves = await Promise.all(indexes.map((i) => reader.leafByIndex(i)));
      return leaves.flatMap((l) => (l ? [entryIdOf(context.treeId, l.leafHash)] : []));
    },
    async logInfo() {
      const head = await reader.latestHead() ?? emptyHead(deps);
      return { rootHash: encodeHex(head.rootHash), signedTreeHead: head.checkpoint, treeID: context.treeId.toString(), treeSize: head.size };
    },
    consistencyProof: (firstSize, lastSize) => consistencyProof(deps, firstSize, lastSize),
  };
}

// An empty log has no stored head: sign the size-0 checkpoint on demand.
function emptyHead(deps: LogApiDeps): TreeHead {
  const rootHash = emptyRoot();
  const checkpoint = signCheckpoint({ origin: deps.origin, size: 0n, rootHash, extensions: [] }, [deps.checkpointSigner]);
  return { size: 0, rootHash, checkpoint, timestamp: Math.floor(deps.clock().getTime() / 1000) };
}
