/**
 * The CT log's embedded storage: one SQLite file (node:sqlite), WAL with synchronous=FULL, so an
 * entry is on disk before its SCT is handed out; one transaction per batch.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { InternalError } from '../../core/index.ts';
import type { CtLeaf, CtNode, CtStore, SignedTreeHead } from '../../ct/ports.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leaves (
  idx INTEGER PRIMARY KEY, leaf_hash BLOB NOT NULL, leaf_input BLOB NOT NULL, extra_data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS leaves_by_hash ON leaves (leaf_hash);
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS heads (
  size INTEGER PRIMARY KEY, timestamp_ms INTEGER NOT NULL, root_hash BLOB NOT NULL, signature BLOB NOT NULL);
`;

type Row = Record<string, unknown>;

function storageError(message: string, cause?: unknown): InternalError {
  return new InternalError('ERR_CT_STORAGE', message, cause === undefined ? {} : { cause });
}

function blob(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  throw storageError('a stored hash or entry is not a blob');
}

function toHead(row: Row | undefined): SignedTreeHead | undefined {
  if (!row) return undefined;
  return { treeSize: Number(row['size']), timestampMs: Number(row['timestamp_ms']), rootHash: blob(row['root_hash']), signature: blob(row['signature']) };
}

function toLeaf(row: Row): CtLeaf {
  return { index: Number(row['idx']), leafHash: blob(row['leaf_hash']), leafInput: blob(row['leaf_input']), extraData: blob(row['extra_data']) };
}

/**
 * Opens (creating if needed) the CT store at `path` (`:memory:` for tests).
 * @throws ERR_CT_STORAGE when the file cannot be opened
 */
export function openSqliteCtStore(path: string): CtStore {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    db.exec(SCHEMA);
  } catch (cause) {
    throw storageError(`cannot open the CT log database ${path}`, cause);
  }
  const q = {
    latest: db.prepare('SELECT size, timestamp_ms, root_hash, signature FROM heads ORDER BY size DESC LIMIT 1'),
    leaves: db.prepare('SELECT idx, leaf_hash, leaf_input, extra_data FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx'),
    byHash: db.prepare('SELECT idx FROM leaves WHERE leaf_hash = ? ORDER BY idx LIMIT 1'),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?'),
    insertLeaf: db.prepare('INSERT INTO leaves (idx, leaf_hash, leaf_input, extra_data) VALUES (?, ?, ?, ?)'),
    insertNode: db.prepare('INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    insertHead: db.prepare('INSERT INTO heads (size, timestamp_ms, root_hash, signature) VALUES (?, ?, ?, ?)'),
  } satisfies Record<string, StatementSync>;
  return {
    latestHead: async () => toHead(q.latest.get() as Row | undefined),
    leaves: async (start, end) => (q.leaves.all(start, end) as Row[]).map(toLeaf),
    indexOfLeafHash: async (hash) => {
      const row = q.byHash.get(hash) as Row | undefined;
      return row === undefined ? undefined : Number(row['idx']);
    },
    nodes: async (ids) => ids.map((id) => {
      const row = q.node.get(id.level, id.index) as Row | undefined;
      if (!row) throw storageError(`tree node at level ${id.level} index ${id.index} is missing`);
      return blob(row['hash']);
    }),
    append: async (leaves, nodes, head) => { appendInTransaction(db, q, leaves, nodes, head); },
    close: async () => { db.close(); },
  };
}

function appendInTransaction(
  db: DatabaseSync, q: Record<'latest' | 'insertLeaf' | 'insertNode' | 'insertHead', StatementSync>,
  leaves: readonly CtLeaf[], nodes: readonly CtNode[], head: SignedTreeHead,
): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const size = Number((q.latest.get() as Row | undefined)?.['size'] ?? 0);
    const first = leaves[0]?.index ?? size;
    if (size !== first) throw storageError(`the CT log holds ${size} leaves, the append expected ${first}`);
    for (const leaf of leaves) q.insertLeaf.run(leaf.index, leaf.leafHash, leaf.leafInput, leaf.extraData);
    for (const n of nodes) q.insertNode.run(n.level, n.index, n.hash);
    q.insertHead.run(head.treeSize, head.timestampMs, head.rootHash, head.signature);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error instanceof InternalError ? error : storageError('appending to the CT log database failed', error);
  }
}
