/**
 * Crash-safe file writes: data is written to a temp file on the same filesystem, fsynced,
 * renamed into place and its directory fsynced, so a reader (or a restart after kill -9) sees
 * the old file or the whole new one, never a torn one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InternalError } from '../../core/index.ts';

/** Fsyncs a file or directory by path. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames `from` to `to` (same filesystem), creating `to`'s directory, and fsyncs that directory. */
export async function moveDurably(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
  await fsyncPath(dirname(to));
}

/**
 * Writes `data` to `path` atomically (through a temp file in `tmpDir`) and, unless `sync` is
 * false, durably (file and directory fsynced).
 * @throws ERR_REGISTRY_STORAGE
 */
export async function writeFileDurable(path: string, data: Uint8Array | string, tmpDir: string, sync = true): Promise<void> {
  const tmp = join(tmpDir, `${randomUUID()}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
    if (sync) {
      await moveDurably(tmp, path);
    } else {
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
    }
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw storageError(`cannot write ${path}`, cause);
  }
}

/**
 * Creates an empty marker file (creation is atomic: it exists or not) and fsyncs its directory.
 * @throws ERR_REGISTRY_STORAGE
 */
export async function createMarkerDurable(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await (await open(path, 'w')).close();
    await fsyncPath(dirname(path));
  } catch (cause) {
    throw storageError(`cannot create ${path}`, cause);
  }
}

/** Wraps a filesystem failure once, at the adapter boundary. */
export function storageError(message: string, cause: unknown): InternalError {
  return new InternalError('ERR_REGISTRY_STORAGE', message, { cause });
}

/** True when `error` is a Node error with errno code `code`. */
export function hasErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
