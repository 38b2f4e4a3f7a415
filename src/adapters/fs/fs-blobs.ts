/**
 * The filesystem blob store: content-addressed files, linked into repositories by empty files.
 */
import { stat, unlink } from 'node:fs/promises';
import type { BlobStore, ByteRange } from '../../registry/ports.ts';
import { createMarkerDurable, hasErrno, storageError } from './durable.ts';
import { createChunkPool, readFileChunks } from './file-chunks.ts';
import type { RegistryLayout } from './layout.ts';

/** Size of the file at `path`, else undefined when it does not exist. */
export async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    throw storageError(`cannot stat ${path}`, error);
  }
}

/** Links stored blob `digest` into `name` durably; false when the blob is not stored. */
export async function linkBlob(layout: RegistryLayout, name: string, digest: string): Promise<boolean> {
  if ((await sizeOf(layout.blob(digest))) === undefined) return false;
  if ((await sizeOf(layout.layerLink(name, digest))) === undefined) await createMarkerDurable(layout.layerLink(name, digest));
  return true;
}

/** Creates the blob store over `layout`. */
export function createFsBlobStore(layout: RegistryLayout): BlobStore {
  const pool = createChunkPool();
  return {
    async stat(name, digest) {
      if ((await sizeOf(layout.layerLink(name, digest))) === undefined) return undefined;
      return sizeOf(layout.blob(digest));
    },
    open: (digest: string, range?: ByteRange) => readFileChunks(layout.blob(digest), pool, range),
    link: (name, digest) => linkBlob(layout, name, digest),
    async unlink(name, digest) {
      try {
        await unlink(layout.layerLink(name, digest));
        return true;
      } catch (error) {
        if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return false;
        throw storageError(`cannot unlink blob ${digest} from ${name}`, error);
      }
    },
  };
}
