/**
 * In-memory helpers of upload sessions: a running sha256 per session so finishing an upload
 * needs no second read, and a per-session lock so two requests never write one session at once.
 * The state on disk stays the truth: a missing or stale hash (after a restart, an aborted
 * chunk, or a sha512 digest) means the data is hashed again from disk.
 */
import { createDigester, type Digester, type Digest } from '../core/index.ts';
import { createLru } from './lru.ts';
import type { UploadContent } from './ports.ts';

interface LiveHash {
  readonly digester: Digester;
  /** bytes hashed so far, counted from the start of the session data */
  offset: number;
}

/** In-memory state of the upload sessions. */
export interface UploadState {
  /** Runs `fn` alone for session `id`. */
  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** The hasher to feed for bytes appended at `offset`, else undefined (it then hashes at the end). */
  hasherAt(id: string, offset: number): ((chunk: Uint8Array) => void) | undefined;
  /** Forgets the running hash of `id` (after an error or at the end). */
  forget(id: string): void;
  /** The digest of the whole session data, from the running hash when it is current, else from disk. */
  digestOf(name: string, id: string, sizeBytes: number, algorithm: Digest['algorithm']): Promise<string>;
}

/** Creates the upload state; at most `maxLive` running hashes are kept. */
export function createUploadState(content: UploadContent, maxLive = 4096): UploadState {
  const live = createLru<LiveHash>({ maxEntries: maxLive });
  const locks = new Map<string, Promise<unknown>>();
  return {
    async exclusive(id, fn) {
      const before = locks.get(id) ?? Promise.resolve();
      const run = before.then(fn, fn);
      const settled = run.catch(() => undefined);
      locks.set(id, settled);
      try { return await run; } finally { if (locks.get(id) === settled) locks.delete(id); }
    },
    hasherAt(id, offset) {
      let entry = live.get(id);
      if (entry === undefined && offset === 0) { entry = { digester: createDigester('sha256'), offset: 0 }; live.set(id, entry); }
      if (entry === undefined || entry.offset !== offset) { live.delete(id); return undefined; }
      const current = entry;
      return (chunk) => { current.digester.update(chunk); current.offset += chunk.byteLength; };
    },
    forget(id) { live.delete(id); },
    async digestOf(name, id, sizeBytes, algorithm) {
      const entry = live.get(id);
      live.delete(id);
      if (entry !== undefined && algorithm === 'sha256' && entry.offset === sizeBytes) return entry.digester.digest();
      const digester = createDigester(algorithm);
      for await (const chunk of content.read(name, id)) digester.update(chunk);
      return digester.digest();
    },
  };
}
