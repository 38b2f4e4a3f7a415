/**
 * Spreads the CPU-heavy half of an append (JSON parsing, key import, the signature check) over
 * worker threads, so the main thread keeps serving HTTP, signing SETs and committing batches.
 * Each entry goes to the worker with the fewest in flight. A failed entry is parsed again on the
 * main thread, which throws the very error (code, message) a single-threaded server would.
 */
import { Worker } from 'node:worker_threads';
import type { CanonicalEntry } from '../tlog/index.ts';
import type { ParseAnswer, ParseRequest } from './entry-parse-worker.ts';

/** Parses proposed entries on worker threads. */
export interface EntryParsePool {
  /** Canonicalizes request bytes as parseProposedEntry does, with the same errors. */
  parse(bytes: Uint8Array): Promise<CanonicalEntry>;
  /** Stops the workers; entries in flight are parsed on the main thread instead. */
  close(): Promise<void>;
}

interface Waiting { readonly bytes: Uint8Array; resolve(e: CanonicalEntry): void; reject(e: unknown): void }

interface Lane { readonly worker: Worker; readonly waiting: Map<number, Waiting> }

/**
 * Starts `threads` (>= 1) workers; `parseHere` is the main thread's own parser (used for
 * failures and after close).
 */
export function startEntryParsePool(threads: number, parseHere: (bytes: Uint8Array) => CanonicalEntry): EntryParsePool {
  let nextId = 0;
  let closed = false;
  const settleHere = (w: Waiting): void => {
    try { w.resolve(parseHere(w.bytes)); } catch (error) { w.reject(error); }
  };
  const lanes: Lane[] = Array.from({ length: threads }, () => {
    const lane: Lane = { worker: new Worker(new URL(import.meta.url.endsWith('.ts') ? './entry-parse-worker.ts' : './entry-parse-worker.mjs', import.meta.url)), waiting: new Map() };
    lane.worker.unref();
    lane.worker.on('message', (answer: ParseAnswer) => {
      const w = lane.waiting.get(answer.id);
      if (w === undefined) return;
      lane.waiting.delete(answer.id);
      if ('failed' in answer) settleHere(w);
      else w.resolve(answer.entry);
    });
    // a dead worker's entries are parsed here; later ones go to the other lanes or stay here
    const drain = (): void => { for (const w of lane.waiting.values()) settleHere(w); lane.waiting.clear(); lanes.splice(lanes.indexOf(lane), 1); };
    lane.worker.on('error', drain);
    lane.worker.on('exit', () => { if (lanes.includes(lane)) drain(); });
    return lane;
  });
  return {
    parse(bytes) {
      const lane = lanes.reduce<Lane | undefined>((best, l) => (best === undefined || l.waiting.size < best.waiting.size ? l : best), undefined);
      if (closed || lane === undefined) return Promise.resolve().then(() => parseHere(bytes));
      return new Promise<CanonicalEntry>((resolve, reject) => {
        const id = nextId++;
        lane.waiting.set(id, { bytes, resolve, reject });
        lane.worker.postMessage({ id, bytes } satisfies ParseRequest);
      });
    },
    async close() {
      closed = true;
      await Promise.all([...lanes].map((l) => l.worker.terminate()));
    },
  };
}
