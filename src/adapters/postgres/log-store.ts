/**
 * The transparency log on PostgreSQL, for several stateless replicas: all of them read, and the
 * one holding a session advisory lock sequences. A batch commits in one transaction that checks
 * the stored size first, so a replica that lost the lease without noticing cannot fork the tree.
 */
import pg from 'pg';
import { ConflictError, InternalError, isAppError } from '../../core/index.ts';
import type { LogBatch, LogLeaf, LogStore, NodeId } from '../../tlog/ports.ts';
import { createLogRowReader, type Row } from '../log-rows.ts';
import { createAdvisoryLease } from './lease.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tlog_state (id INTEGER PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL);
INSERT INTO tlog_state (id, size) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS tlog_leaves (
  idx BIGINT PRIMARY KEY, leaf_hash BYTEA NOT NULL UNIQUE, body BYTEA NOT NULL, integrated_time BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tlog_nodes (
  level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx));
CREATE TABLE IF NOT EXISTS tlog_heads (
  size BIGINT PRIMARY KEY, root_hash BYTEA NOT NULL, checkpoint TEXT NOT NULL, created BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tlog_search (key TEXT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY (key, idx));
`;

/** Options of the PostgreSQL log store. */
export interface PostgresLogStoreOptions {
  readonly connectionString: string;
  /** advisory lock key shared by the replicas of one log */
  readonly lockKey?: number;
  readonly maxConnections?: number;
}

const { bytes, toLeaf, toHead } = createLogRowReader('bytea');

async function query(pool: pg.Pool, text: string, values: unknown[] = []): Promise<Row[]> {
  try {
    return (await pool.query(text, values)).rows as Row[];
  } catch (cause) {
    throw new InternalError('ERR_TLOG_STORAGE', 'a log database query failed', { cause });
  }
}

/**
 * Connects, creates the schema if needed, and returns the store.
 * @throws ERR_TLOG_STORAGE when the database cannot be reached
 */
export async function openPostgresLogStore(options: PostgresLogStoreOptions): Promise<LogStore> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 8 });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  await query(pool, SCHEMA);
  const lease = createAdvisoryLease(options.connectionString, options.lockKey ?? 0x5161);
  const headSql = 'SELECT size, root_hash, checkpoint, created FROM tlog_heads';
  const leafSql = 'SELECT idx, leaf_hash, body, integrated_time FROM tlog_leaves';
  return {
    lease,
    latestHead: async () => toHead((await query(pool, `${headSql} ORDER BY size DESC LIMIT 1`))[0]),
    headAt: async (size) => toHead((await query(pool, `${headSql} WHERE size = $1`, [size]))[0]),
    leafByIndex: async (index) => toLeaf((await query(pool, `${leafSql} WHERE idx = $1`, [index]))[0]),
    leafByHash: async (hash) => toLeaf((await query(pool, `${leafSql} WHERE leaf_hash = $1`, [Buffer.from(hash)]))[0]),
    leavesByHash: async (hashes) => hashes.length === 0 ? [] : (await query(pool, `${leafSql} WHERE leaf_hash = ANY($1::bytea[])`, [hashes.map((h) => Buffer.from(h))]))
      .map((r) => toLeaf(r) as LogLeaf),
    nodes: async (ids) => readNodes(pool, ids),
    search: async (key, limit) => (await query(pool, 'SELECT idx FROM tlog_search WHERE key = $1 ORDER BY idx LIMIT $2', [key, limit])).map((r) => Number(r['idx'])),
    appendBatch: async (batch) => appendBatch(pool, batch),
    close: async () => { await lease.release(); await pool.end(); },
  };
}

async function readNodes(pool: pg.Pool, ids: readonly NodeId[]): Promise<readonly Uint8Array[]> {
  if (ids.length === 0) return [];
  const rows = await query(pool, 'SELECT level, idx, hash FROM tlog_nodes WHERE (level, idx) IN (SELECT * FROM unnest($1::int[], $2::bigint[]))',
    [ids.map((i) => i.level), ids.map((i) => i.index)]);
  const found = new Map(rows.map((r) => [`${Number(r['level'])}/${Number(r['idx'])}`, bytes(r['hash'])]));
  return ids.map((id) => {
    const hash = found.get(`${id.level}/${id.index}`);
    if (!hash) throw new InternalError('ERR_TLOG_STORAGE', `tree node at level ${id.level} index ${id.index} is missing`);
    return hash;
  });
}

async function appendBatch(pool: pg.Pool, batch: LogBatch): Promise<void> {
  let client: pg.PoolClient;
  try { client = await pool.connect(); } catch (cause) { throw new InternalError('ERR_TLOG_STORAGE', 'cannot reach the log database', { cause }); }
  try {
    await client.query('BEGIN');
    const size = Number((await client.query('SELECT size FROM tlog_state WHERE id = 1 FOR UPDATE')).rows[0]?.size);
    if (size !== batch.previousSize) throw new ConflictError('ERR_TLOG_SEQUENCE_CONFLICT', `log size is ${size}, batch expected ${batch.previousSize}`);
    await insertRows(client, batch);
    await client.query('UPDATE tlog_state SET size = $1 WHERE id = 1', [batch.head.size]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (isAppError(error)) throw error;
    throw new InternalError('ERR_TLOG_STORAGE', 'appending a batch to the log database failed', { cause: error });
  } finally {
    client.release();
  }
}

async function insertRows(client: pg.PoolClient, batch: LogBatch): Promise<void> {
  const leaves = batch.leaves;
  await client.query('INSERT INTO tlog_leaves (idx, leaf_hash, body, integrated_time) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bigint[])',
    [leaves.map((l) => l.index), leaves.map((l) => Buffer.from(l.leafHash)), leaves.map((l) => Buffer.from(l.body)), leaves.map((l) => l.integratedTime)]);
  const keys = leaves.flatMap((l) => l.searchKeys.map((k) => [k, l.index] as const));
  if (keys.length > 0) {
    await client.query('INSERT INTO tlog_search (key, idx) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING',
      [keys.map((k) => k[0]), keys.map((k) => k[1])]);
  }
  const nodes = batch.nodes;
  await client.query('INSERT INTO tlog_nodes (level, idx, hash) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[]) ON CONFLICT (level, idx) DO UPDATE SET hash = EXCLUDED.hash',
    [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => Buffer.from(n.hash))]);
  const h = batch.head;
  await client.query('INSERT INTO tlog_heads (size, root_hash, checkpoint, created) VALUES ($1, $2, $3, $4)', [h.size, Buffer.from(h.rootHash), h.checkpoint, h.timestamp]);
}
