/**
 * The filesystem registry storage as one bundle of ports, plus the start-up scan.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryStorage } from '../../registry/ports.ts';
import { storageError } from './durable.ts';
import { createFsBlobStore } from './fs-blobs.ts';
import { createFsManifestStore, listDir } from './fs-manifests.ts';
import { createFsTagStore, createFsRepositoryLister } from './fs-tags.ts';
import { createFsUploads, readUploadInfo } from './fs-uploads.ts';
import { createRegistryLayout, type RegistryLayout } from './layout.ts';

/** Every storage port of the registry, with the on-disk layout they share. */
export interface FsRegistryStorage extends RegistryStorage {
  readonly layout: RegistryLayout;
}

/**
 * Opens (creating) the registry storage under `dataDir`, after the start-up scan: temp files
 * and half-created upload sessions (no info.json) are removed; they were never visible.
 * @throws ERR_REGISTRY_STORAGE
 */
export async function openFsRegistryStorage(dataDir: string): Promise<FsRegistryStorage> {
  const layout = createRegistryLayout(dataDir);
  try {
    await rm(layout.tmp, { recursive: true, force: true });
    for (const dir of [layout.tmp, layout.uploads, layout.repositories, layout.blobs]) await mkdir(dir, { recursive: true });
    for (const id of await listDir(layout.uploads)) {
      if ((await readUploadInfo(layout, id)) === undefined) await rm(join(layout.uploads, id), { recursive: true, force: true });
    }
  } catch (error) {
    throw storageError(`cannot prepare registry storage in ${layout.root}`, error);
  }
  const uploads = createFsUploads(layout);
  return {
    layout,
    blobs: createFsBlobStore(layout),
    sessions: uploads,
    content: uploads,
    manifests: createFsManifestStore(layout),
    tags: createFsTagStore(layout),
    listRepositories: createFsRepositoryLister(layout),
  };
}
