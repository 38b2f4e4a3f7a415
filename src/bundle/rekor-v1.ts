/**
 * Rekor v1 wire objects as a client reads them (sigstore/rekor openapi.yaml): LogEntry, LogInfo
 * and ConsistencyProof. Untrusted JSON goes through these parsers into readonly types.
 */
import { InputError, UpstreamError, decodeBase64, decodeHex, encodeBase64, encodeHex } from '../core/index.ts';

/** The inclusion proof of a Rekor v1 entry (hex hashes, shard-local index). */
export interface RekorInclusionProof {
  readonly logIndex: number;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly hashes: readonly Uint8Array[];
  readonly checkpoint: string;
}

/** One Rekor v1 log entry. */
export interface RekorLogEntry {
  /** the 80-hex entry ID (or 64-hex UUID) the server keyed it by */
  readonly entryId: string;
  /** the 64-hex UUID: the leaf hash */
  readonly uuid: string;
  /** base64 of the canonical body, exactly as served (the SET signs this text) */
  readonly bodyBase64: string;
  readonly body: Uint8Array;
  readonly integratedTime: number;
  /** hex SHA-256 of the log's public key */
  readonly logId: string;
  /** the global index, which the SET signs */
  readonly logIndex: number;
  readonly signedEntryTimestamp?: Uint8Array;
  readonly inclusionProof?: RekorInclusionProof;
}

/** The tree state from `GET /api/v1/log`. */
export interface RekorLogInfo {
  readonly rootHash: Uint8Array;
  readonly treeSize: number;
  readonly signedTreeHead: string;
  readonly treeId: string;
}

type Json = Record<string, unknown>;

function bad(message: string): UpstreamError {
  return new UpstreamError('ERR_HTTP_RESPONSE_INVALID', message);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${where} must be a non-negative integer`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw bad(`${where} must be a string`);
  return v;
}

function hex(v: unknown, where: string): Uint8Array {
  try { return decodeHex(str(v, where)); } catch { throw bad(`${where} must be hex`); }
}

function parseProof(v: unknown): RekorInclusionProof {
  if (!isObject(v)) throw bad('inclusionProof must be an object');
  const hashes = v['hashes'];
  if (!Array.isArray(hashes)) throw bad('inclusionProof.hashes must be an array');
  return {
    logIndex: int(v['logIndex'], 'inclusionProof.logIndex'),
    treeSize: int(v['treeSize'], 'inclusionProof.treeSize'),
    rootHash: hex(v['rootHash'], 'inclusionProof.rootHash'),
    hashes: hashes.map((h, i) => hex(h, `inclusionProof.hashes[${i}]`)),
    checkpoint: str(v['checkpoint'], 'inclusionProof.checkpoint'),
  };
}

/** Parses one `{entryId: LogEntry}` value. @throws ERR_HTTP_RESPONSE_INVALID */
export function parseRekorLogEntry(entryId: string, value: unknown): RekorLogEntry {
  if (!/^([0-9a-f]{16})?[0-9a-f]{64}$/.test(entryId)) throw bad(`entry id ${JSON.stringify(entryId.slice(0, 100))} is not 64 or 80 hex characters`);
  if (!isObject(value)) throw bad('log entry must be an object');
  const bodyBase64 = str(value['body'], 'body');
  const body = decodeBase64(bodyBase64, () => bad('body must be base64'));
  const verification = value['verification'];
  const v = isObject(verification) ? verification : {};
  const set = v['signedEntryTimestamp'];
  return {
    entryId,
    uuid: entryId.slice(-64),
    bodyBase64,
    body,
    integratedTime: int(value['integratedTime'], 'integratedTime'),
    logId: str(value['logID'], 'logID'),
    logIndex: int(value['logIndex'], 'logIndex'),
    ...(set === undefined ? {} : { signedEntryTimestamp: decodeBase64(str(set, 'signedEntryTimestamp'), () => bad('signedEntryTimestamp must be base64')) }),
    ...(v['inclusionProof'] === undefined ? {} : { inclusionProof: parseProof(v['inclusionProof']) }),
  };
}

/** Parses a response that maps entry IDs to entries (one or many). @throws ERR_HTTP_RESPONSE_INVALID */
export function parseRekorLogEntries(json: unknown): readonly RekorLogEntry[] {
  const maps = Array.isArray(json) ? json : [json];
  const out: RekorLogEntry[] = [];
  for (const m of maps) {
    if (!isObject(m)) throw bad('log entry response must be an object keyed by entry id');
    for (const [id, value] of Object.entries(m)) out.push(parseRekorLogEntry(id, value));
  }
  return out;
}

/** Parses `GET /api/v1/log`. @throws ERR_HTTP_RESPONSE_INVALID */
export function parseRekorLogInfo(json: unknown): RekorLogInfo {
  if (!isObject(json)) throw bad('log info must be an object');
  return {
    rootHash: hex(json['rootHash'], 'rootHash'),
    treeSize: int(json['treeSize'], 'treeSize'),
    signedTreeHead: str(json['signedTreeHead'], 'signedTreeHead'),
    treeId: String(json['treeID'] ?? ''),
  };
}

/** Parses `GET /api/v1/log/proof`. @throws ERR_HTTP_RESPONSE_INVALID */
export function parseRekorConsistencyProof(json: unknown): { readonly rootHash: Uint8Array; readonly hashes: readonly Uint8Array[] } {
  if (!isObject(json) || !Array.isArray(json['hashes'])) throw bad('consistency proof must have hashes');
  return { rootHash: hex(json['rootHash'], 'rootHash'), hashes: (json['hashes'] as unknown[]).map((h, i) => hex(h, `hashes[${i}]`)) };
}

/**
 * Serializes an entry back to the `{entryId: LogEntry}` shape Rekor serves (for `--output json`
 * and for saving an entry to verify later offline).
 */
export function toRekorLogEntryJson(e: RekorLogEntry): Json {
  const hexOf = encodeHex;
  const verification: Json = {};
  if (e.signedEntryTimestamp) verification['signedEntryTimestamp'] = encodeBase64(e.signedEntryTimestamp);
  if (e.inclusionProof) {
    const p = e.inclusionProof;
    verification['inclusionProof'] = { checkpoint: p.checkpoint, hashes: p.hashes.map(hexOf), logIndex: p.logIndex, rootHash: hexOf(p.rootHash), treeSize: p.treeSize };
  }
  return { [e.entryId]: { body: e.bodyBase64, integratedTime: e.integratedTime, logID: e.logId, logIndex: e.logIndex, verification } };
}

/** Validates a user-given hash for search: `[sha256:|sha512:|sha1:]<hex>`, returns `alg:hex` lower-case. @throws ERR_INPUT_INVALID */
export function normalizeSearchHash(text: string): string {
  const m = /^(?:(sha256|sha512|sha1):)?([0-9a-fA-F]+)$/.exec(text.trim());
  const lengths: Record<number, string> = { 40: 'sha1', 64: 'sha256', 128: 'sha512' };
  const algorithm = m?.[1] ?? lengths[m?.[2]?.length ?? 0];
  if (!m || !algorithm || lengths[m[2]?.length ?? 0] !== algorithm) {
    throw new InputError('ERR_INPUT_INVALID', `hash ${JSON.stringify(text.slice(0, 140))} is not [sha256:|sha512:|sha1:]<hex> of the right length`);
  }
  return `${algorithm}:${(m[2] ?? '').toLowerCase()}`;
}
