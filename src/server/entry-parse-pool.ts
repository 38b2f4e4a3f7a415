/**
 * Spreads the CPU-heavy half of an append (JSON parsing, key import, the signature check) over
 * worker threads, so the main thread keeps serving HTTP, signing SETs and committing batches.
 * Entries queue on the main thread and go to an idle worker together, in one message (their
 * bytes packed into one transferred buffer): a worker checks a message's signatures as a batch,
 * and entries that arrive while every worker is busy make the next batch. A failed entry is
 * parsed again on the main thread, which throws the very error (code, message) a
 * single-threaded server would.
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

interface Lane { readonly worker: Worker; readonly inFlight: Map<number, readonly Waiting[]> }

/** Most entries in one message to a worker. */
const MAX_BATCH_ENTRIES = 256;

function pack(batch: readonly Waiting[]): { bytes: Uint8Array; buffer: ArrayBuffer; ends: number[] } {
  const ends: number[] = [];
  let total = 0;
  for (const w of batch) ends.push(total += w.bytes.byteLength);
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  batch.forEach((w, i) => bytes.set(w.bytes, ends[i - 1] ?? 0));
  return { bytes, buffer, ends };
}

/**
 * Starts `threads` (>= 1) workers; `parseHere` is the main thread's own parser (used for
 * failures and after close).
 */
export function startEntryParsePool(threads: number, parseHere: (bytes: Uint8Array) => CanonicalEntry): EntryParsePool {
  let nextId = 0;
  let closed = false;
  let queue: Waiting[] = [];
  let scheduled = false;
  const settleHere = (w: Waiting): void => {
    try { w.resolve(parseHere(w.bytes)); } catch (error) { w.reject(error); }
  };
  const lanes: Lane[] = [];
  const flush = (): void => {
    scheduled = false;
    for (let lane = lanes.find((l) => l.inFlight.size === 0); lane !== undefined && queue.length > 0; lane = lanes.find((l) => l.inFlight.size === 0)) {
      const batch = queue.length <= MAX_BATCH_ENTRIES ? queue : queue.slice(0, MAX_BATCH_ENTRIES);
      queue = batch === queue ? [] : queue.slice(MAX_BATCH_ENTRIES);
      const id = nextId++;
      const { bytes, buffer, ends } = pack(batch);
      lane.inFlight.set(id, batch);
      lane.worker.postMessage({ id, bytes, ends } satisfies ParseRequest, [buffer]);
    }
    // every worker gone: what is left is parsed here
    if (lanes.length === 0) for (const w of queue.splice(0)) settleHere(w);
  };
  const schedule = (): void => {
    if (!scheduled) { scheduled = true; setImmediate(flush); }
  };
  for (let i = 0; i < threads; i++) lanes.push(startLane(settleHere, lanes, schedule));
  return {
    parse(bytes) {
      if (closed || lanes.length === 0) return Promise.resolve().then(() => parseHere(bytes));
      return new Promise<CanonicalEntry>((resolve, reject) => {
        queue.push({ bytes, resolve, reject });
        schedule();
      });
    },
    async close() {
      closed = true;
      await Promise.all([...lanes].map((l) => l.worker.terminate()));
      for (const w of queue.splice(0)) settleHere(w);
    },
  };
}

function startLane(settleHere: (w: Waiting) => void, lanes: Lane[], schedule: () => void): Lane {
  const url = new URL(import.meta.url.endsWith('.ts') ? './entry-parse-worker.ts' : './entry-parse-worker.mjs', import.meta.url);
  const lane: Lane = { worker: new Worker(url), inFlight: new Map() };
  lane.worker.unref();
  lane.worker.on('message', (answer: ParseAnswer) => {
    const batch = lane.inFlight.get(answer.id);
    if (batch === undefined) return;
    lane.inFlight.delete(answer.id);
    batch.forEach((w, i) => {
      const entry = answer.entries[i];
      if (entry === undefined) settleHere(w);
      else w.resolve(entry);
    });
    schedule();
  });
  // a dead worker's entries are parsed here; later ones go to the other lanes or stay here
  const drain = (): void => {
    for (const batch of lane.inFlight.values()) for (const w of batch) settleHere(w);
    lane.inFlight.clear();
    if (lanes.includes(lane)) lanes.splice(lanes.indexOf(lane), 1);
    schedule();
  };
  lane.worker.on('error', drain);
  lane.worker.on('exit', () => { if (lanes.includes(lane)) drain(); });
  return lane;
}
