/**
 * Manifests on disk: bytes in the blob store, a per-repository revision link holding the media
 * type, and a referrers index by subject (one descriptor file per referrer).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDigest } from '../../core/index.ts';
import { parseDescriptor, type Descriptor } from '../../oci/index.ts';
import type { ManifestStore, StoredManifest } from '../../registry/ports.ts';
import { hasErrno, storageError, writeFileDurable } from './durable.ts';
import { sizeOf } from './fs-blobs.ts';
import type { RegistryLayout } from './layout.ts';

/** Reads a whole file, else undefined when it does not exist. */
export async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    throw storageError(`cannot read ${path}`, error);
  }
}

/** Lists a directory, else [] when it does not exist. */
export async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return [];
    throw storageError(`cannot list ${path}`, error);
  }
}

function referrerFile(layout: RegistryLayout, name: string, subject: string, digest: string): string {
  const d = parseDigest(digest);
  return join(layout.referrers(name, subject), `${d.algorithm}-${d.hex}.json`);
}

async function readDescriptor(path: string): Promise<Descriptor | undefined> {
  const bytes = await readOptional(path);
  if (bytes === undefined) return undefined;
  try {
    return parseDescriptor(JSON.parse(bytes.toString('utf8')), 'referrer');
  } catch {
    // a torn or foreign file is skipped, never served
    return undefined;
  }
}

/** Creates the manifest store over `layout`. */
export function createFsManifestStore(layout: RegistryLayout): ManifestStore {
  return {
    async get(name, digest): Promise<StoredManifest | undefined> {
      const mediaType = await readOptional(layout.revision(name, digest));
      if (mediaType === undefined) return undefined;
      const bytes = await readOptional(layout.blob(digest));
      return bytes === undefined ? undefined : { digest, mediaType: mediaType.toString('utf8'), bytes: new Uint8Array(bytes) };
    },
    async put(name, manifest, referrer) {
      if ((await sizeOf(layout.blob(manifest.digest))) !== manifest.bytes.byteLength) {
        await writeFileDurable(layout.blob(manifest.digest), manifest.bytes, layout.tmp);
      }
      await writeFileDurable(layout.revision(name, manifest.digest), manifest.mediaType, layout.tmp);
      if (referrer !== undefined) {
        await writeFileDurable(referrerFile(layout, name, referrer.subject, manifest.digest), JSON.stringify(referrer.descriptor), layout.tmp);
      }
    },
    async delete(name, digest, subject) {
      if ((await sizeOf(layout.revision(name, digest))) === undefined) return false;
      try {
        if (subject !== undefined) await rm(referrerFile(layout, name, subject, digest), { force: true });
        await rm(layout.revision(name, digest), { force: true });
      } catch (error) {
        throw storageError(`cannot delete manifest ${digest} from ${name}`, error);
      }
      return true;
    },
    async listReferrers(name, subject) {
      const dir = layout.referrers(name, subject);
      const files = (await listDir(dir)).filter((f) => f.endsWith('.json'));
      const found = await Promise.all(files.map((f) => readDescriptor(join(dir, f))));
      return found.filter((d): d is Descriptor => d !== undefined);
    },
  };
}
