/**
 * The SQLite log's schema and its one write, shared by the store (reads, and writes in tests)
 * and the writer thread (the server's writes, so a commit's fsync never blocks the event loop).
 * WAL with synchronous=FULL: COMMIT returns only once the batch is on disk.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { ConflictError, InternalError } from '../../core/index.ts';
import type { LogBatch } from '../../tlog/ports.ts';
import { openDurableDatabase } from './durable-database.ts';

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
    return openDurableDatabase(path, SCHEMA);
  } catch (cause) {
    throw new InternalError('ERR_TLOG_STORAGE', `cannot open the log database ${path}`, { cause });
  }
}

/** Appends batches to one database. */
export type BatchAppender = (batch: LogBatch) => void;

/** Most rows one INSERT statement writes (its parameters stay far below SQLite's limit). */
const ROWS_PER_INSERT = 64;

type RowInserter = (rows: readonly (readonly SQLInputValue[])[]) => void;

/**
 * Inserts rows `ROWS_PER_INSERT` at a time with multi-row INSERTs (one statement call, not one
 * per row), preparing each row count's statement once.
 */
function createRowInserter(db: DatabaseSync, head: string, columns: number): RowInserter {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  const statements = new Map<number, StatementSync>();
  const statementFor = (rows: number): StatementSync => {
    let s = statements.get(rows);
    if (s === undefined) statements.set(rows, s = db.prepare(`${head} VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`));
    return s;
  };
  return (rows) => {
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const chunk = rows.slice(at, at + ROWS_PER_INSERT);
      statementFor(chunk.length).run(...chunk.flat());
    }
  };
}

interface Statements {
  readonly latest: StatementSync;
  readonly insertHead: StatementSync;
  readonly leaves: RowInserter;
  readonly nodes: RowInserter;
  readonly keys: RowInserter;
}

/** Prepares the statements of a batch append on `db`. */
export function createBatchAppender(db: DatabaseSync): BatchAppender {
  const q: Statements = {
    latest: db.prepare('SELECT size FROM heads ORDER BY size DESC LIMIT 1'),
    insertHead: db.prepare('INSERT INTO heads (size, root_hash, checkpoint, created) VALUES (?, ?, ?, ?)'),
    leaves: createRowInserter(db, 'INSERT INTO leaves (idx, leaf_hash, body, integrated_time)', 4),
    nodes: createRowInserter(db, 'INSERT OR REPLACE INTO nodes (level, idx, hash)', 3),
    keys: createRowInserter(db, 'INSERT OR IGNORE INTO search (key, idx)', 2),
  };
  return (batch) => appendInTransaction(db, q, batch);
}

/**
 * One transaction: checks the stored size, inserts leaves, search keys, nodes and the head.
 * @throws ERR_TLOG_SEQUENCE_CONFLICT when the stored size is not batch.previousSize; ERR_TLOG_STORAGE otherwise
 */
function appendInTransaction(db: DatabaseSync, q: Statements, batch: LogBatch): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = (q.latest.get() as Record<string, unknown> | undefined)?.['size'];
    const size = current === undefined ? 0 : Number(current);
    if (size !== batch.previousSize) {
      throw new ConflictError('ERR_TLOG_SEQUENCE_CONFLICT', `log size is ${size}, batch expected ${batch.previousSize}`);
    }
    q.leaves(batch.leaves.map((l) => [l.index, l.leafHash, l.body, l.integratedTime]));
    q.keys(batch.leaves.flatMap((l) => l.searchKeys.map((key) => [key, l.index])));
    q.nodes(batch.nodes.map((n) => [n.level, n.index, n.hash]));
    q.insertHead.run(batch.head.size, batch.head.rootHash, batch.head.checkpoint, batch.head.timestamp);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    if (error instanceof ConflictError) throw error;
    throw new InternalError('ERR_TLOG_STORAGE', 'appending a batch to the log database failed', { cause: error });
  }
}
