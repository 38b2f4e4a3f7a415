/**
 * Worker thread of the entry parse pool: canonicalizes proposed entries (JSON, key, signature
 * check) off the main thread, a message's entries together so that their ECDSA checks share
 * their inversions (parseProposedEntries). An entry that fails comes back as undefined; the main
 * thread then parses it itself, so the client gets exactly the error a single-threaded server gives.
 */
import { parentPort } from 'node:worker_threads';
import { createCachedKeyParser, parseProposedEntries } from '../tlog/index.ts';

/** A request to the worker: entries packed back to back in `bytes`, `ends[i]` where entry i ends. */
export interface ParseRequest { readonly id: number; readonly bytes: Uint8Array; readonly ends: readonly number[] }

/** A canonical entry's fields as they cross threads. */
export interface ParsedFields { kind: string; apiVersion: string; body: Uint8Array; searchKeys: readonly string[]; insertable: boolean }

/** The worker's answer: per entry of the request, its fields, or undefined when it failed. */
export interface ParseAnswer { readonly id: number; readonly entries: readonly (ParsedFields | undefined)[] }

const parseKey = createCachedKeyParser(1024);

parentPort?.on('message', (request: ParseRequest) => {
  const bodies = request.ends.map((end, i) => request.bytes.subarray(request.ends[i - 1] ?? 0, end));
  const entries = parseProposedEntries(bodies, parseKey).map((e) => e && (
    { kind: e.kind, apiVersion: e.apiVersion, body: e.body, searchKeys: e.searchKeys, insertable: e.insertable }
  ));
  parentPort?.postMessage({ id: request.id, entries } satisfies ParseAnswer);
});
