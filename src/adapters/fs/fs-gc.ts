/**
 * What `sigil registry gc` reads and deletes on disk.
 */
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from '../../core/index.ts';
import type { GcSink, GcSource, StoredBlob } from '../../registry/ports.ts';
import { hasErrno, storageError } from './durable.ts';
import { sizeOf } from './fs-blobs.ts';
import { listDir, readOptional } from './fs-manifests.ts';
import { createFsRepositoryLister } from './fs-tags.ts';
import { listFsUploads } from './fs-uploads.ts';
import type { RegistryLayout } from './layout.ts';

async function listDigests(dir: string, sharded: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const algorithm of await listDir(dir)) {
    const shards = sharded ? await listDir(join(dir, algorithm)) : [''];
    for (const shard of shards) {
      for (const hex of await listDir(join(dir, algorithm, shard))) {
        const digest = `${algorithm}:${hex}`;
        if (isDigest(digest)) out.push(digest);
      }
    }
  }
  return out;
}

/** Creates the gc source and sink over `layout`; `now` dates sessions without readable info. */
export function createFsGcStore(layout: RegistryLayout, now: Date): GcSource & GcSink {
  const listRepositories = createFsRepositoryLister(layout);
  return {
    listRepositories,
    listRevisions: (name) => listDigests(layout.revisions(name), false),
    async readBlob(digest) {
      const bytes = await readOptional(layout.blob(digest));
      return bytes === undefined ? undefined : new Uint8Array(bytes);
    },
    async listBlobs() {
      const out: StoredBlob[] = [];
      for (const digest of await listDigests(layout.blobs, true)) out.push({ digest, sizeBytes: (await sizeOf(layout.blob(digest))) ?? 0 });
      return out;
    },
    async deleteBlob(digest) {
      try {
        // links first: a link without its blob must never be left to answer 200 to HEAD
        for (const name of await listAllRepositoryDirs(layout)) {
          await unlink(layout.layerLink(name, digest)).catch((error: unknown) => { if (!hasErrno(error, 'ENOENT')) throw error; });
        }
        await rm(layout.blob(digest), { force: true });
      } catch (error) {
        throw storageError(`cannot delete blob ${digest}`, error);
      }
    },
    listUploads: async () => listFsUploads(layout, await listDir(layout.uploads), now),
    async deleteUpload(session) {
      await rm(layout.upload(session.id), { recursive: true, force: true });
    },
  };
}

/** Every repository folder, also those holding only blob links. */
async function listAllRepositoryDirs(layout: RegistryLayout): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await listDir(dir)) {
      if (entry === '_layers') out.push(prefix);
      else if (!entry.startsWith('_')) await walk(join(dir, entry), prefix === '' ? entry : `${prefix}/${entry}`);
    }
  };
  await walk(layout.repositories, '');
  return out;
}
