/**
 * The main-thread side of the SQLite writer thread: node:sqlite is synchronous, so a COMMIT's
 * fsync on the event loop would stall every request for its duration. Batches go to a worker
 * with its own connection (WAL lets the main connection keep reading meanwhile). One worker
 * script serves both databases: the transparency log's (`tlog`) and the CT log's (`ct`).
 */
import { Worker } from 'node:worker_threads';
import { ConflictError, InternalError } from '../../core/index.ts';
import type { LogBatch } from '../../tlog/ports.ts';
import type { CtBatch } from './ct-schema.ts';
import { packBatch } from './log-batch-wire.ts';
import type { WriteAnswer, WriteRequest, WriterKind } from './log-writer-worker.ts';

/** Appends batches on the writer thread. */
export interface SqliteWriter<B = LogBatch> {
  /**
   * Appends a batch durably; resolves after COMMIT returned on the writer thread.
   * @throws ERR_TLOG_SEQUENCE_CONFLICT, ERR_TLOG_STORAGE (ERR_CT_STORAGE for the CT log; also when the thread is gone)
   */
  append(batch: B): Promise<void>;
  /** Lets pending appends finish, then closes the writer's connection and ends the thread. */
  close(): Promise<void>;
}

interface Pending { readonly resolve: () => void; readonly reject: (error: unknown) => void }

function storageError(kind: WriterKind, message: string): InternalError {
  return kind === 'ct' ? new InternalError('ERR_CT_STORAGE', message) : new InternalError('ERR_TLOG_STORAGE', message);
}

function gone(kind: WriterKind): InternalError {
  return storageError(kind, `the ${kind === 'ct' ? 'CT log' : 'log'} database writer thread is not running`);
}

function toMessage(id: number, kind: WriterKind, batch: LogBatch | CtBatch): { request: WriteRequest; transfer: ArrayBuffer[] } {
  if (kind === 'ct') return { request: { id, batch: batch as CtBatch }, transfer: [] };
  const packed = packBatch(batch as LogBatch);
  return { request: { id, batch: packed.packed }, transfer: [packed.transfer] };
}

/** Starts the writer thread for the log database at `path` (already created by the caller). */
export function startSqliteWriter(path: string): SqliteWriter<LogBatch>;
/** Starts the writer thread for the CT log database at `path` (already created by the caller). */
export function startSqliteWriter(path: string, kind: 'ct'): SqliteWriter<CtBatch>;
export function startSqliteWriter(path: string, kind: WriterKind = 'tlog'): SqliteWriter<LogBatch> | SqliteWriter<CtBatch> {
  const worker = new Worker(new URL(import.meta.url.endsWith('.ts') ? './log-writer-worker.ts' : './log-writer-worker.mjs', import.meta.url), { workerData: { path, kind } });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let alive = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (): void => {
    alive = false;
    for (const p of pending.values()) p.reject(gone(kind));
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
    else p.reject(storageError(kind, `appending a batch to the ${kind === 'ct' ? 'CT log' : 'log'} database failed: ${answer.failed}`));
  });
  return {
    append(batch: LogBatch | CtBatch) {
      if (!alive) return Promise.reject(gone(kind));
      // a log batch crosses packed into one transferred buffer; a CT batch (a few entries) is cloned
      let message: { request: WriteRequest; transfer: ArrayBuffer[] };
      try {
        message = toMessage(nextId, kind, batch);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        pending.set(nextId++, { resolve, reject });
        worker.postMessage(message.request, message.transfer);
      });
    },
    async close() {
      // the worker handles messages in order: appends already sent finish (and are answered) first
      if (alive) worker.postMessage('close');
      await exited;
    },
  };
}
