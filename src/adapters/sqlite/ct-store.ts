/**
 * The CT log's embedded storage: one SQLite file (node:sqlite), WAL with synchronous=FULL, so an
 * entry is on disk before its SCT is handed out; one transaction per batch. With `writerThread`
 * the appends run on a worker thread with its own connection (log-writer.ts), so a commit's fsync
 * does not stall the CA's other requests and the next batch gathers meanwhile.
 */
import type { StatementSync } from 'node:sqlite';
import type { CtLeaf, CtStore, SignedTreeHead } from '../../ct/ports.ts';
import { createCtAppender, ctStorageError, openCtDatabase } from './ct-schema.ts';
import { startSqliteWriter } from './log-writer.ts';

/** Options of the SQLite CT store. */
export interface SqliteCtStoreOptions {
  /** append on a worker thread (not for `:memory:`) */
  readonly writerThread?: boolean;
}

type Row = Record<string, unknown>;

function blob(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  throw ctStorageError('a stored hash or entry is not a blob');
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
export function openSqliteCtStore(path: string, options: SqliteCtStoreOptions = {}): CtStore {
  const db = openCtDatabase(path);
  const writer = options.writerThread === true && path !== ':memory:' ? startSqliteWriter(path, 'ct') : undefined;
  const appendHere = writer === undefined ? createCtAppender(db) : undefined;
  const q = {
    latest: db.prepare('SELECT size, timestamp_ms, root_hash, signature FROM heads ORDER BY size DESC LIMIT 1'),
    leaves: db.prepare('SELECT idx, leaf_hash, leaf_input, extra_data FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx'),
    byHash: db.prepare('SELECT idx FROM leaves WHERE leaf_hash = ? ORDER BY idx LIMIT 1'),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?'),
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
      if (!row) throw ctStorageError(`tree node at level ${id.level} index ${id.index} is missing`);
      return blob(row['hash']);
    }),
    append: async (leaves, nodes, head) => {
      if (writer !== undefined) await writer.append({ leaves, nodes, head });
      else appendHere?.({ leaves, nodes, head });
    },
    close: async () => {
      await writer?.close();
      db.close();
    },
  };
}

