/**
 * Rekor v1 identifiers (rekor-fulcio research §2.5): the UUID is the 64-hex leaf hash; the entry
 * ID is the 16-hex tree ID followed by the UUID; the tree ID is decimal in log info and
 * checkpoint origins. Lookups accept a UUID, an entry ID or a decimal log index.
 */
import { decodeHex, encodeHex, InputError } from '../core/index.ts';

const MAX_TREE_ID = (1n << 63n) - 1n;

/**
 * A positive int64 tree ID derived from the log ID (its first 8 bytes), so every replica that
 * shares the log key agrees on it without coordination.
 */
export function treeIdFromLogId(logId: Uint8Array): bigint {
  let id = 0n;
  for (const b of logId.slice(0, 8)) id = (id << 8n) | BigInt(b);
  id &= MAX_TREE_ID;
  return id === 0n ? 1n : id;
}

/** The 80-hex entry ID of a leaf hash in tree `treeId`. */
export function entryIdOf(treeId: bigint, leafHash: Uint8Array): string {
  return treeId.toString(16).padStart(16, '0') + encodeHex(leafHash);
}

/** What a lookup names: a leaf by hash (from a UUID or entry ID), or a log index. */
export type EntryReference =
  | { readonly by: 'hash'; readonly leafHash: Uint8Array }
  | { readonly by: 'index'; readonly index: number }
  | { readonly by: 'other-tree' };

/**
 * Parses a 64-hex UUID, an 80-hex entry ID or a decimal log index (either hex case).
 * An entry ID of another tree is `other-tree` (Rekor answers 404 for it).
 * @throws ERR_TLOG_ENTRY_ID_INVALID for anything else, or a zero tree prefix
 */
export function parseEntryReference(text: string, treeId: bigint): EntryReference {
  const t = text.trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(t)) return { by: 'hash', leafHash: decodeHex(t) };
  if (/^[0-9a-f]{80}$/.test(t)) {
    const prefix = BigInt(`0x${t.slice(0, 16)}`);
    if (prefix === 0n) throw new InputError('ERR_TLOG_ENTRY_ID_INVALID', `entry id ${t} has a zero tree id`);
    return prefix === treeId ? { by: 'hash', leafHash: decodeHex(t.slice(16)) } : { by: 'other-tree' };
  }
  if (/^(0|[1-9][0-9]{0,15})$/.test(t)) return { by: 'index', index: Number(t) };
  throw new InputError('ERR_TLOG_ENTRY_ID_INVALID', `${JSON.stringify(text.slice(0, 100))} is not a 64-hex uuid, an 80-hex entry id or a log index`);
}

/**
 * Parses a log index given as a JSON number or decimal string.
 * @throws ERR_TLOG_ENTRY_ID_INVALID when it is not a non-negative safe integer
 */
export function parseLogIndex(value: unknown): number {
  const n = typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new InputError('ERR_TLOG_ENTRY_ID_INVALID', `logIndex ${JSON.stringify(value)} is not a non-negative integer`);
  }
  return n;
}
