/**
 * Composition root of `sigil registry gc`: takes the data-dir lock (so no server is writing),
 * then runs the registry's mark and sweep over the filesystem storage.
 */
import { acquireDataLock } from '../adapters/fs/data-lock.ts';
import { createFsGcStore } from '../adapters/fs/fs-gc.ts';
import { openFsRegistryStorage } from '../adapters/fs/fs-registry.ts';
import { systemClock } from '../adapters/system.ts';
import { collectGarbage, type GcReport } from '../registry/index.ts';

/**
 * Collects the garbage of the registry under `dataDir`.
 * @throws ERR_DATA_DIR_LOCKED while a server (or another gc) uses the directory
 */
export async function runRegistryGc(dataDir: string, dryRun: boolean): Promise<GcReport> {
  const lock = await acquireDataLock(dataDir);
  try {
    const storage = await openFsRegistryStorage(dataDir);
    const store = createFsGcStore(storage.layout, systemClock());
    return await collectGarbage(store, store, { dryRun, clock: systemClock });
  } finally {
    await lock.release();
  }
}
