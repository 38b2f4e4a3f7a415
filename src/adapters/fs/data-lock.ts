/**
 * An exclusive lock on a data directory (`<data>/sigil.lock`, holding the owner's pid), taken
 * by `sigil server` and by `sigil registry gc` so gc never sweeps under a writing server. A
 * lock whose process is gone (kill -9) is stale and taken over.
 */
import { open, readFile, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '../../core/index.ts';
import { hasErrno, storageError } from './durable.ts';

/** A held lock. */
export interface DataLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrno(error, 'EPERM');
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try { await handle.writeFile(String(process.pid)); } finally { await handle.close(); }
    return true;
  } catch (error) {
    if (hasErrno(error, 'EEXIST')) return false;
    throw storageError(`cannot create lock ${path}`, error);
  }
}

/**
 * Takes the lock of `dataDir`, creating the directory.
 * @throws ERR_DATA_DIR_LOCKED when a live process holds it
 */
export async function acquireDataLock(dataDir: string): Promise<DataLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'sigil.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await tryCreate(path)) return { release: () => unlink(path).catch(() => undefined) };
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new ConflictError('ERR_DATA_DIR_LOCKED', `data directory ${dataDir} is in use by process ${pid}`, { details: { pid } });
    }
    await unlink(path).catch(() => undefined);
  }
  throw new ConflictError('ERR_DATA_DIR_LOCKED', `data directory ${dataDir} is in use (lock ${path} keeps reappearing)`);
}
