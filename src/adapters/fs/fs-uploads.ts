/**
 * Upload sessions on disk: `uploads/<id>/info.json` (repository, start time) and
 * `uploads/<id>/data` (the bytes so far). Finishing fsyncs the data and renames it into the
 * blob store, so a blob exists only whole and verified.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadContent, UploadSession, UploadSessions } from '../../registry/ports.ts';
import { appendChunks } from './file-append.ts';
import { fsyncPath, hasErrno, moveDurably, storageError, writeFileDurable } from './durable.ts';
import { linkBlob, sizeOf } from './fs-blobs.ts';
import type { RegistryLayout } from './layout.ts';

/** The parsed info.json of a session, else undefined when missing or malformed. */
export async function readUploadInfo(layout: RegistryLayout, id: string): Promise<{ name: string; createdAt: Date } | undefined> {
  let text: string;
  try {
    text = await readFile(join(layout.upload(id), 'info.json'), 'utf8');
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    throw storageError(`cannot read upload ${id}`, error);
  }
  let value: unknown;
  try { value = JSON.parse(text); } catch { return undefined; }
  if (typeof value !== 'object' || value === null) return undefined;
  const name: unknown = Reflect.get(value, 'name');
  const createdAt: unknown = Reflect.get(value, 'createdAt');
  if (typeof name !== 'string' || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return undefined;
  return { name, createdAt: new Date(createdAt) };
}

async function createSession(layout: RegistryLayout, name: string, id: string, createdAt: Date): Promise<UploadSession> {
  try {
    await mkdir(layout.upload(id), { recursive: true });
    await writeFile(join(layout.upload(id), 'data'), '');
  } catch (error) {
    throw storageError(`cannot create upload ${id}`, error);
  }
  // info.json is written last and atomically: a session without it is start-up garbage. Not
  // fsynced: a session lost to a power cut only makes the client start its upload again
  await writeFileDurable(join(layout.upload(id), 'info.json'), JSON.stringify({ name, createdAt: createdAt.toISOString() }), layout.tmp, false);
  return { id, name, sizeBytes: 0, createdAt };
}

/** Moves verified upload data into the blob store: fsync, rename, fsync the directory. */
async function storeBlob(layout: RegistryLayout, data: string, digest: string): Promise<void> {
  const target = layout.blob(digest);
  try {
    if ((await sizeOf(target)) !== undefined) return;
    await fsyncPath(data);
    await moveDurably(data, target);
  } catch (error) {
    throw storageError(`cannot store blob ${digest}`, error);
  }
}

/** Creates the session store and the session content store over `layout`. */
export function createFsUploads(layout: RegistryLayout): UploadSessions & UploadContent {
  const dataOf = (id: string): string => join(layout.upload(id), 'data');
  const remove = async (id: string): Promise<void> => {
    try { await rm(layout.upload(id), { recursive: true, force: true }); } catch (error) { throw storageError(`cannot remove upload ${id}`, error); }
  };
  return {
    create: (name, id, createdAt) => createSession(layout, name, id, createdAt),
    async get(name, id) {
      const info = await readUploadInfo(layout, id);
      if (info === undefined || info.name !== name) return undefined;
      const sizeBytes = await sizeOf(dataOf(id));
      return sizeBytes === undefined ? undefined : { id, name, sizeBytes, createdAt: info.createdAt };
    },
    async delete(name, id) {
      const info = await readUploadInfo(layout, id);
      if (info === undefined || info.name !== name) return false;
      await remove(id);
      return true;
    },
    async append(_name, id, chunks, chunksOwned) {
      // errors here are the client's (a dropped connection) or the disk's; both end the request
      await appendChunks(dataOf(id), chunks, { releaseWritten: chunksOwned === true });
      return (await sizeOf(dataOf(id))) ?? 0;
    },
    read: (_name, id) => createReadStream(dataOf(id), { highWaterMark: 1024 * 1024 }),
    async commit(name, id, digest) {
      await storeBlob(layout, dataOf(id), digest);
      await linkBlob(layout, name, digest);
      await remove(id);
    },
  };
}

/** Lists every session on disk (for gc); sessions without readable info count as created at `fallback`. */
export async function listFsUploads(layout: RegistryLayout, ids: readonly string[], fallback: Date): Promise<UploadSession[]> {
  const out: UploadSession[] = [];
  for (const id of ids) {
    const info = await readUploadInfo(layout, id);
    const sizeBytes = (await sizeOf(join(layout.upload(id), 'data'))) ?? 0;
    out.push({ id, name: info?.name ?? '', sizeBytes, createdAt: info?.createdAt ?? fallback });
  }
  return out;
}
