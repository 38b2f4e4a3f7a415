/**
 * The SQLite writer thread of the transparency log (`tlog`) or the CT log (`ct`): owns a second
 * connection to the database and runs each batch append there, answering only after COMMIT (and
 * its fsync) returned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../core/index.ts';
import { createCtAppender, openCtDatabase, type CtBatch } from './ct-schema.ts';
import { unpackBatch, type PackedBatch } from './log-batch-wire.ts';
import { createBatchAppender, openLogDatabase } from './log-schema.ts';

/** Which database the writer appends to. */
export type WriterKind = 'tlog' | 'ct';

/** A request to the writer: a packed log batch (`tlog`) or a CT batch (`ct`), as the writer's kind. */
export interface WriteRequest { readonly id: number; readonly batch: PackedBatch | CtBatch }

/** The writer's answer: done, or why not (a sequence conflict, or a storage failure). */
export type WriteAnswer =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly conflict: string }
  | { readonly id: number; readonly failed: string };

const data = workerData as { path: string; kind: WriterKind };

const db = data.kind === 'ct' ? openCtDatabase(String(data.path)) : openLogDatabase(String(data.path));

/** The append of this writer's kind (the main thread sends only batches of that kind). */
function createAppend(): (batch: PackedBatch | CtBatch) => void {
  if (data.kind === 'ct') {
    const appendCt = createCtAppender(db);
    return (batch) => appendCt(batch as CtBatch);
  }
  const appendLog = createBatchAppender(db);
  return (batch) => appendLog(unpackBatch(batch as PackedBatch));
}

const append = createAppend();

parentPort?.on('message', (request: WriteRequest | 'close') => {
  if (request === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let answer: WriteAnswer;
  try {
    append(request.batch);
    answer = { id: request.id, ok: true };
  } catch (error) {
    const conflict = isAppError(error) && error.code === 'ERR_TLOG_SEQUENCE_CONFLICT';
    const message = error instanceof Error ? error.message : String(error);
    const cause = isAppError(error) && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    answer = conflict ? { id: request.id, conflict: message } : { id: request.id, failed: `${message}${cause}` };
  }
  parentPort?.postMessage(answer);
});
