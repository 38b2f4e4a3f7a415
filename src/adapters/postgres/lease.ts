/**
 * The sequencer lease on PostgreSQL: a session-level advisory lock held on a dedicated
 * connection. When the holder dies its connection drops, the server releases the lock, and a
 * waiting replica's next tryAcquire succeeds: takeover within one poll interval.
 */
import pg from 'pg';
import type { SequencerLease } from '../../tlog/ports.ts';

/** Creates a lease on advisory lock `lockKey` of the database at `connectionString`. */
export function createAdvisoryLease(connectionString: string, lockKey: number): SequencerLease {
  let client: pg.Client | undefined;
  let held = false;
  const drop = (): void => { held = false; client = undefined; };
  return {
    async tryAcquire() {
      if (held && client) return true;
      try {
        client ??= await connect(connectionString, drop);
        const rows = (await client.query('SELECT pg_try_advisory_lock($1) AS ok', [lockKey])).rows as { ok: boolean }[];
        held = rows[0]?.ok === true;
      } catch {
        drop();
      }
      return held;
    },
    async isHeld() {
      if (!held || !client) return false;
      try {
        await client.query('SELECT 1');
        return held;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      const c = client;
      drop();
      if (c) await c.end().catch(() => undefined);
    },
  };
}

async function connect(connectionString: string, onLost: () => void): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on('error', onLost);
  client.on('end', onLost);
  await client.connect();
  return client;
}
