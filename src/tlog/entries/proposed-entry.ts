/**
 * Parsing a Rekor v1 ProposedEntry `{"kind","apiVersion","spec"}` into its canonical entry.
 * Kinds: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.1 and 0.0.2.
 */
import { decodeUtf8 } from '../../core/index.ts';
import type { DigestSignatureVerifier } from '../../core/digest-signature.ts';
import { canonicalizeDsse } from './dsse.ts';
import { invalidEntry, isJsonObject, objectField, type JsonObject } from './fields.ts';
import { canonicalizeHashedRekord } from './hashedrekord.ts';
import { canonicalizeIntoto } from './intoto.ts';
import { canonicalizeIntotoV001 } from './intoto-v001.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey, type KeyParser } from './verifier-key.ts';

type Canonicalizer = (spec: JsonObject, parseKey: KeyParser, checkSignature?: DigestSignatureVerifier) => CanonicalEntry;

const KINDS: Readonly<Record<string, Readonly<Record<string, Canonicalizer>>>> = {
  hashedrekord: { '0.0.1': canonicalizeHashedRekord },
  dsse: { '0.0.1': canonicalizeDsse },
  intoto: { '0.0.1': canonicalizeIntotoV001, '0.0.2': canonicalizeIntoto },
};

/**
 * Validates a proposed entry (already parsed JSON) and canonicalizes it; signatures are verified.
 * `parseKey` reads hashedrekord keys (a caching parser on the server's hot path);
 * `checkSignature` checks hashedrekord signatures (default: isDigestSignatureValid).
 * @throws ERR_TLOG_ENTRY_INVALID for an unknown kind or version, or a malformed spec
 * @throws ERR_TLOG_ENTRY_SIGNATURE when a signature does not verify
 */
export function canonicalizeProposedEntry(value: unknown, parseKey: KeyParser = parseVerifierKey, checkSignature?: DigestSignatureVerifier): CanonicalEntry {
  if (!isJsonObject(value)) throw invalidEntry('the proposed entry must be a json object');
  const kind = value['kind'];
  const apiVersion = value['apiVersion'];
  if (typeof kind !== 'string' || !Object.hasOwn(KINDS, kind)) {
    throw invalidEntry(`unknown kind ${JSON.stringify(String(kind).slice(0, 40))}; supported: hashedrekord, dsse, intoto`);
  }
  const versions = KINDS[kind] ?? {};
  if (typeof apiVersion !== 'string' || !Object.hasOwn(versions, apiVersion)) {
    throw invalidEntry(`${kind} implementation for version '${String(apiVersion).slice(0, 20)}' not found; supported: ${Object.keys(versions).join(', ')}`);
  }
  return (versions[apiVersion] as Canonicalizer)(objectField(value['spec'], 'spec'), parseKey, checkSignature);
}

/**
 * Parses request bytes as a proposed entry and canonicalizes it.
 * @throws ERR_TLOG_ENTRY_INVALID when the bytes are not JSON, and as canonicalizeProposedEntry
 * @throws ERR_TLOG_ENTRY_SIGNATURE when a signature does not verify
 */
export function parseProposedEntry(bytes: Uint8Array, parseKey: KeyParser = parseVerifierKey, checkSignature?: DigestSignatureVerifier): CanonicalEntry {
  let json: unknown;
  try {
    json = JSON.parse(decodeUtf8(bytes));
  } catch {
    throw invalidEntry('the request body is not valid json');
  }
  return canonicalizeProposedEntry(json, parseKey, checkSignature);
}
