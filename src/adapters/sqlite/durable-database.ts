/** Opening a SQLite database the way every sigil store keeps it: WAL, synchronous=FULL, a busy timeout. */
import { DatabaseSync } from 'node:sqlite';

/**
 * Opens (creating if needed) the database at `path` in WAL mode with synchronous=FULL and runs
 * `schema` (idempotent CREATE … IF NOT EXISTS statements).
 * @throws the error SQLite gives; callers wrap it in their own storage code
 */
export function openDurableDatabase(path: string, schema: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    db.exec(schema);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
