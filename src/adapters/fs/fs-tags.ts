/**
 * Tags on disk (one file per tag, holding the digest, replaced atomically) and the repository
 * listing of `_catalog`.
 */
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from '../../core/index.ts';
import type { ListRepositories, TagStore } from '../../registry/ports.ts';
import { hasErrno, storageError, writeFileDurable } from './durable.ts';
import { sizeOf } from './fs-blobs.ts';
import { listDir, readOptional } from './fs-manifests.ts';
import type { RegistryLayout } from './layout.ts';

/** Creates the tag store over `layout`. */
export function createFsTagStore(layout: RegistryLayout): TagStore {
  return {
    async resolve(name, tag) {
      const bytes = await readOptional(join(layout.tags(name), tag));
      const digest = bytes?.toString('utf8').trim();
      return digest !== undefined && isDigest(digest) ? digest : undefined;
    },
    set: (name, tag, digest) => writeFileDurable(join(layout.tags(name), tag), digest, layout.tmp),
    async delete(name, tag) {
      try {
        await unlink(join(layout.tags(name), tag));
        return true;
      } catch (error) {
        if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return false;
        throw storageError(`cannot delete tag ${tag} of ${name}`, error);
      }
    },
    async list(name) {
      if ((await sizeOf(join(layout.repositories, name))) === undefined) return undefined;
      return (await listDir(layout.tags(name))).sort();
    },
  };
}

async function walk(dir: string, prefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return;
    throw storageError(`cannot list ${dir}`, error);
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    if (entry.name === '_manifests') out.push(prefix);
    else if (!entry.name.startsWith('_')) await walk(join(dir, entry.name), prefix === '' ? entry.name : `${prefix}/${entry.name}`, out);
  }
}

/** Lists repositories that hold manifests, sorted by code point. */
export function createFsRepositoryLister(layout: RegistryLayout): ListRepositories {
  return async () => {
    const out: string[] = [];
    await walk(layout.repositories, '', out);
    return out.sort();
  };
}
