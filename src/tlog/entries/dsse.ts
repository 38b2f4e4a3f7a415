/**
 * dsse 0.0.1: a DSSE envelope and its verifiers. The log keeps hashes of the envelope (exactly
 * as received) and of the payload, and each signature with the canonical PEM of the key that
 * verified it, sorted by signature (rekor pkg/types/dsse/v0.0.1).
 */
import { canonicalJsonBytes, encodeBase64, encodeUtf8, hashHex } from '../../core/index.ts';
import { parseDsseEnvelope, verifyEnvelope } from './dsse-envelope.ts';
import {
  arrayField, base64Field, hashField, invalidEntry, isJsonObject, objectField, stringField, type JsonObject,
} from './fields.ts';
import { inTotoSearchKeys } from './in-toto-digests.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey, type VerifierKey } from './verifier-key.ts';

function keySearchKeys(keys: Iterable<VerifierKey>): string[] {
  return [...keys].flatMap((k) => [k.fingerprint, ...k.subjects]);
}

function build(spec: unknown, searchKeys: readonly string[], insertable: boolean): CanonicalEntry {
  const body = canonicalJsonBytes({ apiVersion: '0.0.1', kind: 'dsse', spec });
  return { kind: 'dsse', apiVersion: '0.0.1', body, searchKeys: [...new Set(searchKeys)], insertable };
}

function fromProposedContent(content: JsonObject): CanonicalEntry {
  const envelopeText = stringField(content['envelope'], 'proposedContent.envelope');
  const keys = arrayField(content['verifiers'], 'proposedContent.verifiers')
    .map((v, i) => parseVerifierKey(base64Field(v, `proposedContent.verifiers[${i}]`)));
  const env = parseDsseEnvelope(envelopeText, 'proposedContent.envelope', 'envelope');
  const bySig = verifyEnvelope(keys, env.payloadType, env.payload, env.sigs);
  const signatures = [...bySig.keys()].sort().map((sig) => ({
    signature: sig,
    verifier: encodeBase64(encodeUtf8((bySig.get(sig) as VerifierKey).canonicalPem)),
  }));
  const payloadHash = hashHex('sha256', env.payload);
  const envelopeHash = hashHex('sha256', encodeUtf8(envelopeText));
  const spec = {
    envelopeHash: { algorithm: 'sha256', value: envelopeHash },
    payloadHash: { algorithm: 'sha256', value: payloadHash },
    signatures,
  };
  const searchKeys = [...keySearchKeys(bySig.values()), `sha256:${payloadHash}`, `sha256:${envelopeHash}`, ...inTotoSearchKeys(env.payloadType, env.payload)];
  return build(spec, searchKeys, true);
}

// The canonical fields given directly: only to look an entry up, never to insert (Rekor's Insertable()).
function fromCanonicalFields(spec: JsonObject): CanonicalEntry {
  const envelopeHash = hashField(spec['envelopeHash'], 'envelopeHash', ['sha256']);
  const payloadHash = hashField(spec['payloadHash'], 'payloadHash', ['sha256']);
  const signatures = arrayField(spec['signatures'], 'signatures').map((s, i) => {
    const sig = objectField(s, `signatures[${i}]`);
    const key = parseVerifierKey(base64Field(sig['verifier'], `signatures[${i}].verifier`));
    return { signature: stringField(sig['signature'], `signatures[${i}].signature`), verifier: encodeBase64(encodeUtf8(key.canonicalPem)) };
  }).sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
  return build({ envelopeHash, payloadHash, signatures }, [], false);
}

/**
 * Validates a dsse 0.0.1 spec, verifies the envelope and builds the canonical entry.
 * @throws ERR_TLOG_ENTRY_INVALID for a malformed spec, envelope or key
 * @throws ERR_TLOG_ENTRY_SIGNATURE when a signature or verifier does not verify
 */
export function canonicalizeDsse(spec: JsonObject): CanonicalEntry {
  const content = spec['proposedContent'];
  if (content === undefined || content === null) {
    if (spec['envelopeHash'] === undefined || spec['payloadHash'] === undefined || spec['signatures'] === undefined) {
      throw invalidEntry('either proposedContent or envelopeHash, payloadHash, and signatures must be present');
    }
    return fromCanonicalFields(spec);
  }
  // cosign 2.5 sends `"signatures": null` beside proposedContent; Rekor counts only a non-empty list as given
  const signatures = spec['signatures'];
  const hasSignatures = signatures !== undefined && signatures !== null && !(Array.isArray(signatures) && signatures.length === 0);
  if (spec['envelopeHash'] !== undefined || spec['payloadHash'] !== undefined || hasSignatures) {
    throw invalidEntry('either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both');
  }
  if (!isJsonObject(content)) throw invalidEntry('proposedContent in body must be an object');
  return fromProposedContent(content);
}

