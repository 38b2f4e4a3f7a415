/**
 * The SQLite log's writer thread: owns a second connection to the database and runs each batch
 * append there, answering only after COMMIT (and its fsync) returned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../core/index.ts';
import { unpackBatch, type PackedBatch } from './log-batch-wire.ts';
import { createBatchAppender, openLogDatabase } from './log-schema.ts';

/** A request to the writer. */
export interface WriteRequest { readonly id: number; readonly batch: PackedBatch }

/** The writer's answer: done, or why not (a sequence conflict, or a storage failure). */
export type WriteAnswer =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly conflict: string }
  | { readonly id: number; readonly failed: string };

const db = openLogDatabase(String((workerData as { path: string }).path));
const append = createBatchAppender(db);

parentPort?.on('message', (request: WriteRequest | 'close') => {
  if (request === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let answer: WriteAnswer;
  try {
    append(unpackBatch(request.batch));
    answer = { id: request.id, ok: true };
  } catch (error) {
    const conflict = isAppError(error) && error.code === 'ERR_TLOG_SEQUENCE_CONFLICT';
    const message = error instanceof Error ? error.message : String(error);
    const cause = isAppError(error) && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    answer = conflict ? { id: request.id, conflict: message } : { id: request.id, failed: `${message}${cause}` };
  }
  parentPort?.postMessage(answer);
});
