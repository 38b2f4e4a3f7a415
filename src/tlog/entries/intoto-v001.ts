/**
 * intoto 0.0.1, what `cosign attest --rekor-entry-type intoto` (cosign 2.x) uploads: the DSSE
 * envelope JSON as one string under `spec.content.envelope` and the signer's key or certificate
 * under `spec.publicKey`. The log verifies the envelope with that key, computes both hashes
 * itself (the envelope text's and the payload's, ignoring any the client sent) and keeps only
 * them and the key (rekor pkg/types/intoto/v0.0.1).
 */
import { canonicalJsonBytes, encodeBase64, encodeUtf8, hashHex } from '../../core/index.ts';
import { parseDsseEnvelope, verifyEnvelope, type DsseEnvelopeFields } from './dsse-envelope.ts';
import {
  base64Field, hashField, invalidEntry, objectField, stringField, type JsonObject,
} from './fields.ts';
import { inTotoSearchKeys } from './in-toto-digests.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey } from './verifier-key.ts';

function parseEnvelope(text: string): DsseEnvelopeFields {
  const env = parseDsseEnvelope(text, 'content.envelope', 'content.envelope');
  if (env.sigs.length === 0) throw invalidEntry('content.envelope has no signatures');
  return env;
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
