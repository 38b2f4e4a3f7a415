/**
 * hashedrekord 0.0.1: a signature over an artifact digest. Rekor verifies the signature over the
 * digest itself and stores the key re-encoded as canonical PEM (rekor pkg/types/hashedrekord).
 */
import { canonicalJsonBytes, decodeHex, encodeBase64, encodeUtf8, type HashAlgorithm } from '../../core/index.ts';
import { isDigestSignatureValid, type DigestSignatureVerifier } from '../../core/digest-signature.ts';
import { badEntrySignature, base64Field, hashField, invalidEntry, objectField, type JsonObject } from './fields.ts';
import type { CanonicalEntry } from './types.ts';
import { parseVerifierKey, type KeyParser } from './verifier-key.ts';

const ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];

/**
 * Validates a hashedrekord 0.0.1 spec, verifies its signature (with `checkSignature`) and
 * builds the canonical entry.
 * @throws ERR_TLOG_ENTRY_INVALID for a malformed spec, key or hash
 * @throws ERR_TLOG_ENTRY_SIGNATURE when the signature does not verify over the digest
 */
export function canonicalizeHashedRekord(
  spec: JsonObject, parseKey: KeyParser = parseVerifierKey, checkSignature: DigestSignatureVerifier = isDigestSignatureValid,
): CanonicalEntry {
  const signature = objectField(spec['signature'], 'signature');
  const sigBytes = base64Field(signature['content'], 'signature.content');
  const publicKey = objectField(signature['publicKey'], 'signature.publicKey');
  const key = parseKey(base64Field(publicKey['content'], 'signature.publicKey.content'));
  const data = objectField(spec['data'], 'data');
  const hash = hashField(data['hash'], 'data.hash', ALGORITHMS);
  let valid: boolean;
  try {
    valid = checkSignature(key.spkiDer, hash.algorithm as HashAlgorithm, decodeHex(hash.value), sigBytes, key.description);
  } catch (cause) {
    throw invalidEntry(`verifying signature: ${cause instanceof Error ? cause.message : 'unsupported key'}`);
  }
  if (!valid) throw badEntrySignature('verifying signature: invalid signature when validating ASN.1 encoded signature');
  const canonical = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: hash.algorithm, value: hash.value } },
      signature: { content: encodeBase64(sigBytes), publicKey: { content: encodeBase64(encodeUtf8(key.canonicalPem)) } },
    },
  };
  const searchKeys = [key.fingerprint, ...key.subjects, `${hash.algorithm}:${hash.value}`.toLowerCase()];
  return { kind: 'hashedrekord', apiVersion: '0.0.1', body: canonicalJsonBytes(canonical), searchKeys, insertable: true };
}
