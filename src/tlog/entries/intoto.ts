/**
 * intoto 0.0.2: a DSSE envelope nested under `spec.content`, each signature with its own key.
 * Quirk: `payload` and `sig` are base64 of the envelope's own base64 text (double base64). The
 * log drops the payload, keeps the client's envelope `hash`, computes `payloadHash`, and stores
 * each key as canonical PEM (rekor pkg/types/intoto/v0.0.2, with the PEM fix of rekor#1170).
 */
import { canonicalJsonBytes, decodeUtf8, encodeBase64, encodeUtf8, hashHex } from '../../core/index.ts';
import { decodeDsseBase64, verifyEnvelope } from './dsse-envelope.ts';
import {
  arrayField, base64Field, hashField, invalidEntry, objectField, optionalString, stringField, type JsonObject,
} from './fields.ts';
import { inTotoSearchKeys } from './in-toto-digests.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey, type VerifierKey } from './verifier-key.ts';

interface Signature {
  readonly keyid: string | undefined;
  /** the envelope's signature text (base64), from one level of base64 */
  readonly sigText: string;
  readonly key: VerifierKey;
}

function parseSignature(value: unknown, i: number): Signature {
  const sig = objectField(value, `content.envelope.signatures[${i}]`);
  const keyid = optionalString(sig['keyid'], `content.envelope.signatures[${i}].keyid`);
  const sigText = decodeUtf8(base64Field(sig['sig'], `content.envelope.signatures[${i}].sig`));
  const key = parseVerifierKey(base64Field(sig['publicKey'], `content.envelope.signatures[${i}].publicKey`));
  return { keyid: keyid === '' ? undefined : keyid, sigText, key };
}

function payloadOf(envelope: JsonObject): Uint8Array | undefined {
  const field = envelope['payload'];
  if (field === undefined || field === null || field === '') return undefined;
  const payloadText = decodeUtf8(base64Field(field, 'content.envelope.payload'));
  return decodeDsseBase64(payloadText, 'content.envelope.payload');
}

/**
 * Validates an intoto 0.0.2 spec, verifies the envelope and builds the canonical entry. Without
 * a payload (and with `payloadHash`) the entry is only good for lookups.
 * @throws ERR_TLOG_ENTRY_INVALID for a malformed spec, envelope, key or hash
 * @throws ERR_TLOG_ENTRY_SIGNATURE when a signature or key does not verify
 */
export function canonicalizeIntoto(spec: JsonObject): CanonicalEntry {
  const content = objectField(spec['content'], 'content');
  const envelope = objectField(content['envelope'], 'content.envelope');
  const payloadType = stringField(envelope['payloadType'], 'content.envelope.payloadType');
  const signatures = arrayField(envelope['signatures'], 'content.envelope.signatures').map(parseSignature);
  if (content['hash'] === undefined) throw invalidEntry('missing envelope digest');
  const hash = hashField(content['hash'], 'content.hash', ['sha256']);
  const payload = payloadOf(envelope);
  let payloadHash: string;
  if (payload === undefined) {
    if (content['payloadHash'] === undefined) throw invalidEntry('missing payload digest');
    payloadHash = hashField(content['payloadHash'], 'content.payloadHash', ['sha256']).value;
  } else {
    verifyEnvelope(signatures.map((s) => s.key), payloadType, payload, signatures.map((s) => s.sigText));
    payloadHash = hashHex('sha256', payload);
  }
  const canonical = {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType,
          signatures: signatures.map((s) => ({
            keyid: s.keyid,
            publicKey: encodeBase64(encodeUtf8(s.key.canonicalPem)),
            sig: encodeBase64(encodeUtf8(s.sigText)),
          })),
        },
        hash: { algorithm: hash.algorithm, value: hash.value },
        payloadHash: { algorithm: 'sha256', value: payloadHash },
      },
    },
  };
  const searchKeys = [
    ...signatures.flatMap((s) => [s.key.fingerprint, ...s.key.subjects]),
    `sha256:${payloadHash}`.toLowerCase(),
    ...(payload === undefined ? [] : inTotoSearchKeys(payloadType, payload)),
  ];
  return { kind: 'intoto', apiVersion: '0.0.2', body: canonicalJsonBytes(canonical), searchKeys: [...new Set(searchKeys)], insertable: payload !== undefined };
}
