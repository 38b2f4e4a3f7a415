/**
 * intoto 0.0.1, what `cosign attest --rekor-entry-type intoto` (cosign 2.x) uploads: the DSSE
 * envelope JSON as one string under `spec.content.envelope` and the signer's key or certificate
 * under `spec.publicKey`. The log verifies the envelope with that key, computes both hashes
 * itself (the envelope text's and the payload's, ignoring any the client sent) and keeps only
 * them and the key (rekor pkg/types/intoto/v0.0.1).
 */
import { canonicalJsonBytes, encodeBase64, encodeUtf8, hashHex } from '../../core/index.ts';
import { decodeDsseBase64, verifyEnvelope } from './dsse-envelope.ts';
import {
  arrayField, base64Field, hashField, invalidEntry, objectField, optionalString, stringField, type JsonObject,
} from './fields.ts';
import { inTotoSearchKeys } from './in-toto-digests.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey } from './verifier-key.ts';

function parseEnvelope(text: string): { payloadType: string; payload: Uint8Array; sigs: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidEntry('content.envelope is not a json dsse envelope');
  }
  const env = objectField(json, 'content.envelope');
  const payloadType = stringField(env['payloadType'], 'content.envelope.payloadType');
  const payload = decodeDsseBase64(stringField(env['payload'], 'content.envelope.payload'), 'content.envelope.payload');
  const sigs = arrayField(env['signatures'], 'content.envelope.signatures').map((s, i) => {
    const sig = objectField(s, `content.envelope.signatures[${i}]`);
    optionalString(sig['keyid'], `content.envelope.signatures[${i}].keyid`);
    return stringField(sig['sig'], `content.envelope.signatures[${i}].sig`);
  });
  if (sigs.length === 0) throw invalidEntry('content.envelope has no signatures');
  return { payloadType, payload, sigs };
}

/**
 * Validates an intoto 0.0.1 spec, verifies the envelope with its key and builds the canonical
 * entry. Without an envelope (hashes given) the entry is only good for lookups.
 * @throws ERR_TLOG_ENTRY_INVALID for a malformed spec, envelope or key
 * @throws ERR_TLOG_ENTRY_SIGNATURE when the key verifies no signature of the envelope
 */
export function canonicalizeIntotoV001(spec: JsonObject): CanonicalEntry {
  const content = objectField(spec['content'], 'content');
  const key = parseVerifierKey(base64Field(spec['publicKey'], 'publicKey'));
  const envelopeText = content['envelope'];
  let hash: string;
  let payloadHash: string | undefined;
  let extraKeys: string[] = [];
  if (envelopeText === undefined || envelopeText === null || envelopeText === '') {
    if (content['hash'] === undefined) throw invalidEntry('missing hash value for envelope');
    hash = hashField(content['hash'], 'content.hash', ['sha256']).value;
    if (content['payloadHash'] !== undefined) payloadHash = hashField(content['payloadHash'], 'content.payloadHash', ['sha256']).value;
  } else {
    const text = stringField(envelopeText, 'content.envelope');
    const env = parseEnvelope(text);
    verifyEnvelope([key], env.payloadType, env.payload, env.sigs);
    hash = hashHex('sha256', encodeUtf8(text));
    payloadHash = hashHex('sha256', env.payload);
    extraKeys = inTotoSearchKeys(env.payloadType, env.payload);
  }
  const canonical = {
    apiVersion: '0.0.1',
    kind: 'intoto',
    spec: {
      content: {
        hash: { algorithm: 'sha256', value: hash },
        ...(payloadHash === undefined ? {} : { payloadHash: { algorithm: 'sha256', value: payloadHash } }),
      },
      publicKey: encodeBase64(encodeUtf8(key.canonicalPem)),
    },
  };
  const searchKeys = [key.fingerprint, ...key.subjects, ...(payloadHash === undefined ? [] : [`sha256:${payloadHash}`]), ...extraKeys];
  return { kind: 'intoto', apiVersion: '0.0.1', body: canonicalJsonBytes(canonical), searchKeys: [...new Set(searchKeys)], insertable: envelopeText !== undefined && envelopeText !== null && envelopeText !== '' };
}
