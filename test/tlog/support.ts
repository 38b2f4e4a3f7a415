// Test support for the log service: keys, signed proposed entries, an in-process server on
// 127.0.0.1, and checks of what the log answers (SET, checkpoint, inclusion proof).
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { canonicalJsonBytes, decodeHex, encodePem, verifySignature } from '../../src/core/index.ts';
import { createHttpServer, drainServer } from '../../src/http/index.ts';
import { createNoteVerifier, hashLeaf, verifyCheckpoint, verifyCheckpointMatches, verifyInclusion } from '../../src/merkle/index.ts';
import { createLogService, createLogSigner, type LogEntryJson, type LogService, type LogServiceOptions, type LogStore } from '../../src/tlog/index.ts';

/** A fresh ECDSA P-256 log key. */
export function makeLogKey(): { pkcs8Der: Uint8Array; spkiDer: Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { pkcs8Der: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })), spkiDer: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

/** An artifact signer that makes hashedrekord proposed entries. */
export function makeArtifactSigner(): { publicKeyPem: string; entry(artifact: string): unknown; digestOf(artifact: string): string } {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = encodePem('PUBLIC KEY', new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
  const digestOf = (artifact: string): string => createHash('sha256').update(artifact).digest('hex');
  // ECDSA signatures are randomized: sign each artifact once so a repeat is the same entry
  const signatures = new Map<string, string>();
  const signatureOf = (artifact: string): string => {
    if (!signatures.has(artifact)) signatures.set(artifact, sign('sha256', Buffer.from(artifact), privateKey).toString('base64'));
    return signatures.get(artifact)!;
  };
  return {
    publicKeyPem,
    digestOf,
    entry: (artifact) => ({
      kind: 'hashedrekord', apiVersion: '0.0.1',
      spec: {
        data: { hash: { algorithm: 'sha256', value: digestOf(artifact) } },
        signature: { content: signatureOf(artifact), publicKey: { content: Buffer.from(publicKeyPem).toString('base64') } },
      },
    }),
  };
}

/** A running log on an ephemeral loopback port. */
export interface RunningLog {
  readonly url: string;
  readonly service: LogService;
  readonly spkiDer: Uint8Array;
  stop(): Promise<void>;
}

let tick = 0;
/** A clock that starts at a fixed instant and moves one second per call. */
export const testClock = (): Date => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++);

/** Starts a log service over `store` on 127.0.0.1; `stop` stops the service and the server (not the store). */
export async function startLog(store: LogStore, key = makeLogKey(), options: Partial<LogServiceOptions> = {}): Promise<RunningLog> {
  let url = '';
  const service = createLogService({ store, signer: createLogSigner(key.pkcs8Der, key.spkiDer), publicUrl: 'http://127.0.0.1', clock: testClock, ...options });
  const server = createHttpServer({ routes: service.routes, baseUrl: () => url, fallbackDialect: 'rekor' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await service.start();
  return { url, service, spkiDer: key.spkiDer, stop: async () => { await service.stop(); await drainServer(server, 1000); } };
}

/** The log's JSON answers (an entry map, an error, log info or a proof), typed loosely for assertions. */
export interface ResponseJson {
  readonly code: number;
  readonly message: string;
  readonly treeSize: number;
  readonly treeID: string;
  readonly rootHash: string;
  readonly signedTreeHead: string;
  readonly hashes: readonly string[];
  readonly [entryId: string]: unknown;
}

/** A response: `json` for an object body, `array` for an array body. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: ResponseJson;
  readonly array: readonly unknown[];
}

async function toTestResponse(res: Response): Promise<TestResponse> {
  const text = await res.text();
  const parsed: unknown = text !== '' && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {};
  return { status: res.status, headers: res.headers, text, json: (Array.isArray(parsed) ? {} : parsed) as ResponseJson, array: Array.isArray(parsed) ? parsed : [] };
}

/** POSTs JSON (or raw text). */
export async function post(url: string, body: unknown, raw = false): Promise<TestResponse> {
  return toTestResponse(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? String(body) : JSON.stringify(body) }));
}

/** GETs. */
export async function get(url: string): Promise<TestResponse> {
  return toTestResponse(await fetch(url));
}

/** Checks one LogEntry map: one key (the entry ID), SET, checkpoint signature and inclusion proof. */
export function verifyLogEntry(log: RunningLog, map: Readonly<Record<string, unknown>>): { entryId: string; logIndex: number; treeSize: number; rootHash: string } {
  const keys = Object.keys(map);
  assert.equal(keys.length, 1);
  const entryId = keys[0]!;
  const e = map[entryId] as LogEntryJson;
  const body = Buffer.from(e.body, 'base64');
  assert.equal(entryId, log.service.treeId.toString(16).padStart(16, '0') + Buffer.from(hashLeaf(body)).toString('hex'));
  assert.equal(e.logID, log.service.logIdHex);
  const set = canonicalJsonBytes({ body: e.body, integratedTime: e.integratedTime, logID: e.logID, logIndex: e.logIndex });
  verifySignature('ecdsa-p256-sha256', log.spkiDer, set, Buffer.from(e.verification.signedEntryTimestamp, 'base64'), ['ecdsa-p256-sha256']);
  const p = e.verification.inclusionProof;
  const verifier = createNoteVerifier({ name: '127.0.0.1', algorithm: 'ecdsa-p256-sha256', spkiDer: log.spkiDer, keyIdStyle: 'spki-sha256' });
  const checkpoint = verifyCheckpoint(p.checkpoint, [verifier]);
  verifyCheckpointMatches(checkpoint, { origin: log.service.origin, size: p.treeSize, rootHash: decodeHex(p.rootHash) });
  verifyInclusion(p.logIndex, p.treeSize, hashLeaf(body), p.hashes.map((h) => decodeHex(h)), decodeHex(p.rootHash));
  assert.equal(p.logIndex, e.logIndex);
  return { entryId, logIndex: e.logIndex, treeSize: p.treeSize, rootHash: p.rootHash };
}
