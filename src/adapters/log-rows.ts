/**
 * Transparency-log rows as both SQL backends return them, mapped to the tlog ports' LogLeaf and
 * TreeHead: the SQLite and PostgreSQL schemas give the leaves and heads tables the same columns.
 */
import { InternalError } from '../core/index.ts';
import type { LogLeaf, TreeHead } from '../tlog/ports.ts';

/** One result row, by column name. */
export type Row = Record<string, unknown>;

/** Readers of one backend's log rows. */
export interface LogRowReader {
  /** A byte column's value. @throws ERR_TLOG_STORAGE when it is not bytes */
  bytes(v: unknown): Uint8Array;
  /** A `leaves` row (idx, leaf_hash, body, integrated_time); undefined for no row. */
  toLeaf(row: Row | undefined): LogLeaf | undefined;
  /** A `heads` row (size, root_hash, checkpoint, created); undefined for no row. */
  toHead(row: Row | undefined): TreeHead | undefined;
}

/** The row readers of a backend whose byte columns are `byteType` (`bytea`, `a blob`), as errors name it. */
export function createLogRowReader(byteType: string): LogRowReader {
  const bytes = (v: unknown): Uint8Array => {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    throw new InternalError('ERR_TLOG_STORAGE', `stored hash or body is not ${byteType}`);
  };
  return {
    bytes,
    toLeaf: (row) => row && { index: Number(row['idx']), leafHash: bytes(row['leaf_hash']), body: bytes(row['body']), integratedTime: Number(row['integrated_time']) },
    toHead: (row) => row && { size: Number(row['size']), rootHash: bytes(row['root_hash']), checkpoint: String(row['checkpoint']), timestamp: Number(row['created']) },
  };
}
