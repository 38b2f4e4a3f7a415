/**
 * The SQLite log's schema and its one write, shared by the store (reads, and writes in tests)
 * and the writer thread (the server's writes, so a commit's fsync never blocks the event loop).
 * WAL with synchronous=FULL: COMMIT returns only once the batch is on disk.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ConflictError, InternalError } from '../../core/index.ts';
import type { LogBatch } from '../../tlog/ports.ts';

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

/**
 * Opens (creating if needed) the log database at `path` in WAL mode with synchronous=FULL.
 * @throws ERR_TLOG_STORAGE when the file cannot be opened
 */
export function openLogDatabase(path: string): DatabaseSync {
  try {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    db.exec(SCHEMA);
    return db;
  } catch (cause) {
    throw new InternalError('ERR_TLOG_STORAGE', `cannot open the log database ${path}`, { cause });
  }
}

/** Appends batches to one database. */
export type BatchAppender = (batch: LogBatch) => void;

/** Prepares the statements of a batch append on `db`. */
export function createBatchAppender(db: DatabaseSync): BatchAppender {
  const q = {
    latest: db.prepare('SELECT size FROM heads ORDER BY size DESC LIMIT 1'),
    insertLeaf: db.prepare('INSERT INTO leaves (idx, leaf_hash, body, integrated_time) VALUES (?, ?, ?, ?)'),
    insertNode: db.prepare('INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    insertHead: db.prepare('INSERT INTO heads (size, root_hash, checkpoint, created) VALUES (?, ?, ?, ?)'),
    insertKey: db.prepare('INSERT OR IGNORE INTO search (key, idx) VALUES (?, ?)'),
  } satisfies Record<string, StatementSync>;
  return (batch) => appendInTransaction(db, q, batch);
}

/**
 * One transaction: checks the stored size, inserts leaves, search keys, nodes and the head.
 * @throws ERR_TLOG_SEQUENCE_CONFLICT when the stored size is not batch.previousSize; ERR_TLOG_STORAGE otherwise
 */
function appendInTransaction(db: DatabaseSync, q: Record<'latest' | 'insertLeaf' | 'insertNode' | 'insertHead' | 'insertKey', StatementSync>, batch: LogBatch): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = (q.latest.get() as Record<string, unknown> | undefined)?.['size'];
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
