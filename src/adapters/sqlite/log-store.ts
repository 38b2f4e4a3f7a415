/**
 * The transparency log's embedded storage: one SQLite file (node:sqlite) in WAL mode with
 * synchronous=FULL, so a batch is on disk before any entry in it is acknowledged.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ConflictError, InternalError } from '../../core/index.ts';
import type { LogBatch, LogLeaf, LogStore, NodeId, SequencerLease, TreeHead } from '../../tlog/ports.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leaves (
  idx INTEGER PRIMARY KEY, leaf_hash BLOB NOT NULL UNIQUE, body BLOB NOT NULL, integrated_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS heads (
  size INTEGER PRIMARY KEY, root_hash BLOB NOT NULL, checkpoint TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS search (
  key TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (key, idx)) WITHOUT ROWID;
`;

type Row = Record<string, unknown>;

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  throw new InternalError('ERR_TLOG_STORAGE', 'stored hash or body is not a blob');
}

function toLeaf(row: Row | undefined): LogLeaf | undefined {
  if (!row) return undefined;
  return { index: Number(row['idx']), leafHash: toBytes(row['leaf_hash']), body: toBytes(row['body']), integratedTime: Number(row['integrated_time']) };
}

function toHead(row: Row | undefined): TreeHead | undefined {
  if (!row) return undefined;
  return { size: Number(row['size']), rootHash: toBytes(row['root_hash']), checkpoint: String(row['checkpoint']), timestamp: Number(row['created']) };
}

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
export function openSqliteLogStore(path: string): LogStore {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    db.exec(SCHEMA);
  } catch (cause) {
    throw new InternalError('ERR_TLOG_STORAGE', `cannot open the log database ${path}`, { cause });
  }
  const q = {
    latest: db.prepare('SELECT size, root_hash, checkpoint, created FROM heads ORDER BY size DESC LIMIT 1'),
    headAt: db.prepare('SELECT size, root_hash, checkpoint, created FROM heads WHERE size = ?'),
    leafByIndex: db.prepare('SELECT idx, leaf_hash, body, integrated_time FROM leaves WHERE idx = ?'),
    leafByHash: db.prepare('SELECT idx, leaf_hash, body, integrated_time FROM leaves WHERE leaf_hash = ?'),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?'),
    search: db.prepare('SELECT idx FROM search WHERE key = ? ORDER BY idx LIMIT ?'),
    insertLeaf: db.prepare('INSERT INTO leaves (idx, leaf_hash, body, integrated_time) VALUES (?, ?, ?, ?)'),
    insertNode: db.prepare('INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    insertHead: db.prepare('INSERT INTO heads (size, root_hash, checkpoint, created) VALUES (?, ?, ?, ?)'),
    insertKey: db.prepare('INSERT OR IGNORE INTO search (key, idx) VALUES (?, ?)'),
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
    appendBatch: async (batch) => { appendInTransaction(db, q, batch); },
    close: async () => { db.close(); },
  };
}

function readNode(stmt: StatementSync, id: NodeId): Uint8Array {
  const row = stmt.get(id.level, id.index) as Row | undefined;
  if (!row) throw new InternalError('ERR_TLOG_STORAGE', `tree node at level ${id.level} index ${id.index} is missing`);
  return toBytes(row['hash']);
}

function appendInTransaction(db: DatabaseSync, q: Record<'latest' | 'insertLeaf' | 'insertNode' | 'insertHead' | 'insertKey', StatementSync>, batch: LogBatch): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = (q.latest.get() as Row | undefined)?.['size'];
    const size = current === undefined ? 0 : Number(current);
    if (size !== batch.previousSize) {
      throw new ConflictError('ERR_TLOG_SEQUENCE_CONFLICT', `log size is ${size}, batch expected ${batch.previousSize}`);
    }
    for (const leaf of batch.leaves) {
      q.insertLeaf.run(leaf.index, leaf.leafHash, leaf.body, leaf.integratedTime);
      for (const key of leaf.searchKeys) q.insertKey.run(key, leaf.index);
    }
    for (const node of batch.nodes) q.insertNode.run(node.level, node.index, node.hash);
    q.insertHead.run(batch.head.size, batch.head.rootHash, batch.head.checkpoint, batch.head.timestamp);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    if (error instanceof ConflictError) throw error;
    throw new InternalError('ERR_TLOG_STORAGE', 'appending a batch to the log database failed', { cause: error });
  }
}
