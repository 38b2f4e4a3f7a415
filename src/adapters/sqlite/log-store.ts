/**
 * The transparency log's embedded storage: one SQLite file (node:sqlite) in WAL mode with
 * synchronous=FULL, so a batch is on disk before any entry in it is acknowledged. With
 * `writerThread` the appends run on a worker thread with its own connection (log-writer.ts).
 */
import type { StatementSync } from 'node:sqlite';
import { InternalError } from '../../core/index.ts';
import type { LogStore, NodeId, SequencerLease } from '../../tlog/ports.ts';
import { createBatchAppender, openLogDatabase } from './log-schema.ts';
import { createLogRowReader, type Row } from '../log-rows.ts';
import { startSqliteWriter } from './log-writer.ts';

/** Options of the SQLite log store. */
export interface SqliteLogStoreOptions {
  /** append on a worker thread, so a commit's fsync does not block the event loop (not for `:memory:`) */
  readonly writerThread?: boolean;
}

const { bytes: toBytes, toLeaf, toHead } = createLogRowReader('a blob');

/** A process-local lease: one SQLite file has one writer process (the server holds the data dir). */
function createLocalLease(): SequencerLease {
  let held = false;
  return {
    tryAcquire: async () => { held = true; return true; },
    isHeld: async () => held,
    release: async () => { held = false; },
  };
}

/**
 * Opens (creating if needed) the SQLite log store at `path` (`:memory:` for tests).
 * @throws ERR_TLOG_STORAGE when the file cannot be opened
 */
export function openSqliteLogStore(path: string, options: SqliteLogStoreOptions = {}): LogStore {
  const db = openLogDatabase(path);
  const writer = options.writerThread === true && path !== ':memory:' ? startSqliteWriter(path) : undefined;
  const appendHere = writer === undefined ? createBatchAppender(db) : undefined;
  const q = {
    latest: db.prepare('SELECT size, root_hash, checkpoint, created FROM heads ORDER BY size DESC LIMIT 1'),
    headAt: db.prepare('SELECT size, root_hash, checkpoint, created FROM heads WHERE size = ?'),
    leafByIndex: db.prepare('SELECT idx, leaf_hash, body, integrated_time FROM leaves WHERE idx = ?'),
    leafByHash: db.prepare('SELECT idx, leaf_hash, body, integrated_time FROM leaves WHERE leaf_hash = ?'),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?'),
    search: db.prepare('SELECT idx FROM search WHERE key = ? ORDER BY idx LIMIT ?'),
  } satisfies Record<string, StatementSync>;
  const lease = createLocalLease();
  return {
    lease,
    latestHead: async () => toHead(q.latest.get() as Row | undefined),
    headAt: async (size) => toHead(q.headAt.get(size) as Row | undefined),
    leafByIndex: async (index) => toLeaf(q.leafByIndex.get(index) as Row | undefined),
    leafByHash: async (hash) => toLeaf(q.leafByHash.get(hash) as Row | undefined),
    leavesByHash: async (hashes) => hashes.flatMap((h) => toLeaf(q.leafByHash.get(h) as Row | undefined) ?? []),
    nodes: async (ids) => ids.map((id) => readNode(q.node, id)),
    search: async (key, limit) => (q.search.all(key, limit) as Row[]).map((r) => Number(r['idx'])),
    appendBatch: async (batch) => { if (writer !== undefined) await writer.append(batch); else appendHere?.(batch); },
    close: async () => { await writer?.close(); db.close(); },
  };
}

function readNode(stmt: StatementSync, id: NodeId): Uint8Array {
  const row = stmt.get(id.level, id.index) as Row | undefined;
  if (!row) throw new InternalError('ERR_TLOG_STORAGE', `tree node at level ${id.level} index ${id.index} is missing`);
  return toBytes(row['hash']);
}
