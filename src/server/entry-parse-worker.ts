/**
 * Worker thread of the entry parse pool: canonicalizes proposed entries (JSON, key, signature
 * check) off the main thread. An entry that fails comes back as `failed`; the main thread then
 * parses it itself, so the client gets exactly the error a single-threaded server gives.
 */
import { parentPort } from 'node:worker_threads';
import { createCachedKeyParser, parseProposedEntry } from '../tlog/index.ts';

/** A request to the worker. */
export interface ParseRequest { readonly id: number; readonly bytes: Uint8Array }

/** The worker's answer: the canonical entry's fields, or that it failed. */
export type ParseAnswer =
  | { readonly id: number; readonly entry: { kind: string; apiVersion: string; body: Uint8Array; searchKeys: readonly string[]; insertable: boolean } }
  | { readonly id: number; readonly failed: true };

const parseKey = createCachedKeyParser(1024);

parentPort?.on('message', (request: ParseRequest) => {
  let answer: ParseAnswer;
  try {
    const e = parseProposedEntry(request.bytes, parseKey);
    answer = { id: request.id, entry: { kind: e.kind, apiVersion: e.apiVersion, body: e.body, searchKeys: e.searchKeys, insertable: e.insertable } };
  } catch {
    answer = { id: request.id, failed: true };
  }
  parentPort?.postMessage(answer);
});
