/**
 * The CT log database's schema and its one write, shared by the store (reads, and writes in
 * tests) and the writer thread (the server's writes, so a commit's fsync never blocks the event
 * loop). WAL with synchronous=FULL: COMMIT returns only once the batch is on disk.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { InternalError } from '../../core/index.ts';
import type { CtLeaf, CtNode, SignedTreeHead } from '../../ct/ports.ts';
import { openDurableDatabase } from './durable-database.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leaves (
  idx INTEGER PRIMARY KEY, leaf_hash BLOB NOT NULL, leaf_input BLOB NOT NULL, extra_data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS leaves_by_hash ON leaves (leaf_hash);
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS heads (
  size INTEGER PRIMARY KEY, timestamp_ms INTEGER NOT NULL, root_hash BLOB NOT NULL, signature BLOB NOT NULL);
`;

/** One atomic append: consecutive leaves, the nodes they complete, the new head. */
export interface CtBatch {
  readonly leaves: readonly CtLeaf[];
  readonly nodes: readonly CtNode[];
  readonly head: SignedTreeHead;
}

/** An ERR_CT_STORAGE error. */
export function ctStorageError(message: string, cause?: unknown): InternalError {
  return new InternalError('ERR_CT_STORAGE', message, cause === undefined ? {} : { cause });
}

/**
 * Opens (creating if needed) the CT database at `path` in WAL mode with synchronous=FULL.
 * @throws ERR_CT_STORAGE when the file cannot be opened
 */
export function openCtDatabase(path: string): DatabaseSync {
  try {
    return openDurableDatabase(path, SCHEMA);
  } catch (cause) {
    throw ctStorageError(`cannot open the CT log database ${path}`, cause);
  }
}

/** Appends batches to one database. @throws ERR_CT_STORAGE */
export type CtAppender = (batch: CtBatch) => void;

/** Prepares the statements of a batch append on `db`. */
export function createCtAppender(db: DatabaseSync): CtAppender {
  const q = {
    latest: db.prepare('SELECT size FROM heads ORDER BY size DESC LIMIT 1'),
    insertLeaf: db.prepare('INSERT INTO leaves (idx, leaf_hash, leaf_input, extra_data) VALUES (?, ?, ?, ?)'),
    insertNode: db.prepare('INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    insertHead: db.prepare('INSERT INTO heads (size, timestamp_ms, root_hash, signature) VALUES (?, ?, ?, ?)'),
  } satisfies Record<string, StatementSync>;
  return (batch) => appendInTransaction(db, q, batch);
}

function appendInTransaction(db: DatabaseSync, q: Record<'latest' | 'insertLeaf' | 'insertNode' | 'insertHead', StatementSync>, batch: CtBatch): void {
  const { leaves, nodes, head } = batch;
  db.exec('BEGIN IMMEDIATE');
  try {
    const size = Number((q.latest.get() as Record<string, unknown> | undefined)?.['size'] ?? 0);
    const first = leaves[0]?.index ?? size;
    if (size !== first) throw ctStorageError(`the CT log holds ${size} leaves, the append expected ${first}`);
    for (const leaf of leaves) q.insertLeaf.run(leaf.index, leaf.leafHash, leaf.leafInput, leaf.extraData);
    for (const n of nodes) q.insertNode.run(n.level, n.index, n.hash);
    q.insertHead.run(head.treeSize, head.timestampMs, head.rootHash, head.signature);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error instanceof InternalError ? error : ctStorageError('appending to the CT log database failed', error);
  }
}
