/**
 * Signatures over a precomputed digest, as Rekor checks them: a hashedrekord entry carries only
 * the artifact's digest, and DSSE signatures are checked over SHA-256(PAE) with the key's own
 * scheme. node:crypto always hashes the message itself, so ECDSA runs on @noble/curves here
 * and RSA goes through core/crypto.ts.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { InputError } from './errors.ts';
import { describePublicKey, isRsaDigestSignatureValid, type HashAlgorithm } from './crypto.ts';

const DIGEST_BYTES: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };
const ECDSA = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

/**
 * True when `signature` signs the precomputed `digest` (made with `hash`) under the DER SPKI
 * key: ECDSA (ASN.1 DER signature, any of P-256/384/521, high S accepted as Go does) or RSA
 * PKCS#1 v1.5. Ed25519 keys are refused: Rekor needs Ed25519ph for them.
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse or is not ECDSA or RSA
 * @throws ERR_INPUT_INVALID when the digest length does not fit `hash`
 */
export function isDigestSignatureValid(spkiDer: Uint8Array, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  if (digest.byteLength !== DIGEST_BYTES[hash]) {
    throw new InputError('ERR_INPUT_INVALID', `a ${hash} digest has ${DIGEST_BYTES[hash]} bytes, got ${digest.byteLength}`);
  }
  const key = describePublicKey(spkiDer);
  if (key.keyType === 'rsa') return isRsaDigestSignatureValid(spkiDer, hash, digest, signature);
  if (key.keyType === 'ed25519') {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', 'ed25519 keys cannot sign a precomputed digest here (ed25519ph is not supported)');
  }
  try {
    return ECDSA[key.curve].verify(signature, digest, key.point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    // a signature that is not DER, or scalars out of range: simply not valid
    return false;
  }
}
