/**
 * The main-thread side of the SQLite writer thread: node:sqlite is synchronous, so a COMMIT's
 * fsync on the event loop would stall every request for its duration. Batches go to a worker
 * with its own connection (WAL lets the main connection keep reading meanwhile).
 */
import { Worker } from 'node:worker_threads';
import { ConflictError, InternalError } from '../../core/index.ts';
import type { LogBatch } from '../../tlog/ports.ts';
import { packBatch } from './log-batch-wire.ts';
import type { WriteAnswer, WriteRequest } from './log-writer-worker.ts';

/** Appends batches on the writer thread. */
export interface SqliteWriter {
  /**
   * Appends a batch durably; resolves after COMMIT returned on the writer thread.
   * @throws ERR_TLOG_SEQUENCE_CONFLICT, ERR_TLOG_STORAGE (also when the thread is gone)
   */
  append(batch: LogBatch): Promise<void>;
  /** Lets pending appends finish, then closes the writer's connection and ends the thread. */
  close(): Promise<void>;
}

interface Pending { readonly resolve: () => void; readonly reject: (error: unknown) => void }

function gone(): InternalError {
  return new InternalError('ERR_TLOG_STORAGE', 'the log database writer thread is not running');
}

/** Starts the writer thread for the database at `path` (already created by the caller). */
export function startSqliteWriter(path: string): SqliteWriter {
  const worker = new Worker(new URL(import.meta.url.endsWith('.ts') ? './log-writer-worker.ts' : './log-writer-worker.mjs', import.meta.url), { workerData: { path } });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let alive = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (): void => {
    alive = false;
    for (const p of pending.values()) p.reject(gone());
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', failAll);
  worker.on('message', (answer: WriteAnswer) => {
    const p = pending.get(answer.id);
    if (p === undefined) return;
    pending.delete(answer.id);
    if ('ok' in answer) p.resolve();
    else if ('conflict' in answer) p.reject(new ConflictError('ERR_TLOG_SEQUENCE_CONFLICT', answer.conflict));
    else p.reject(new InternalError('ERR_TLOG_STORAGE', `appending a batch to the log database failed: ${answer.failed}`));
  });
  return {
    append(batch) {
      if (!alive) return Promise.reject(gone());
      let packed: ReturnType<typeof packBatch>;
      try {
        packed = packBatch(batch);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, batch: packed.packed } satisfies WriteRequest, [packed.transfer]);
      });
    },
    async close() {
      // the worker handles messages in order: appends already sent finish (and are answered) first
      if (alive) worker.postMessage('close');
      await exited;
    },
  };
}
