/**
 * Signatures over a precomputed digest, as Rekor checks them: a hashedrekord entry carries only
 * the artifact's digest, and DSSE signatures are checked over SHA-256(PAE) with the key's own
 * scheme. node:crypto always hashes the message itself: ECDSA goes through ecdsa-digest.ts
 * (node:crypto on a shifted key), Ed25519ph runs on @noble/curves and RSA goes through
 * core/crypto/signatures.ts.
 */
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { InputError } from './errors.ts';
import { concatBytes, encodeUtf8 } from './bytes.ts';
import { describePublicKey, isRsaDigestSignatureValid, type HashAlgorithm, type PublicKeyDescription } from './crypto/index.ts';
import { areEcdsaDigestSignaturesValid, type EcdsaDigestCheck } from './ecdsa-digest.ts';

const DIGEST_BYTES: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

// Ed25519ph (RFC 8032 §5.1) given PH(M) = SHA-512(M) directly: the identity stands in for the
// prehash, and dom2(phflag=1, context) is RFC 8032's domain prefix, as Go's ed25519 verifies
// with Options{Hash: crypto.SHA512}.
const DOM2_PREFIX = encodeUtf8('SigEd25519 no Ed25519 collisions');
const ed25519phOverDigest = eddsa(ed25519.Point, sha512, {
  domain: (data: Uint8Array, ctx: Uint8Array, phflag: boolean) => concatBytes([DOM2_PREFIX, new Uint8Array([phflag ? 1 : 0, ctx.length]), ctx, data]),
  prehash: (digest: Uint8Array) => digest,
  zip215: false,
});

/**
 * Checks `signature` over the precomputed `digest` (made with `hash`) under the DER SPKI key as
 * isDigestSignatureValid does, except that an ECDSA check is returned rather than run, so the
 * caller can run many together (areEcdsaDigestSignaturesValid); RSA and Ed25519ph are decided here.
 * `described` is describePublicKey(spkiDer) when the caller already has it.
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse, or an Ed25519 key meets a non-SHA-512 digest
 * @throws ERR_INPUT_INVALID when the digest length does not fit `hash`
 */
export function planDigestSignatureCheck(
  spkiDer: Uint8Array, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array, described?: PublicKeyDescription,
): boolean | EcdsaDigestCheck {
  if (digest.byteLength !== DIGEST_BYTES[hash]) {
    throw new InputError('ERR_INPUT_INVALID', `a ${hash} digest has ${DIGEST_BYTES[hash]} bytes, got ${digest.byteLength}`);
  }
  const key = described ?? describePublicKey(spkiDer);
  if (key.keyType === 'rsa') return isRsaDigestSignatureValid(spkiDer, hash, digest, signature);
  if (key.keyType === 'ed25519' && hash !== 'sha512') throw new InputError('ERR_CRYPTO_KEY_INVALID', `ed25519ph needs a sha512 digest, got ${hash}`);
  if (key.keyType === 'ec') return { curve: key.curve, point: key.point, digest, signature };
  try {
    return ed25519phOverDigest.verify(signature, digest, key.raw);
  } catch {
    // a malformed signature: simply not valid
    return false;
  }
}

/**
 * True when `signature` signs the precomputed `digest` (made with `hash`) under the DER SPKI
 * key: ECDSA (ASN.1 DER signature, any of P-256/384/521, high S accepted as Go does) or RSA
 * PKCS#1 v1.5, or Ed25519ph over a SHA-512 digest (Rekor's hashedrekord rule for Ed25519 keys).
 * `described` is describePublicKey(spkiDer) when the caller already has it.
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse, or an Ed25519 key meets a non-SHA-512 digest
 * @throws ERR_INPUT_INVALID when the digest length does not fit `hash`
 */
export function isDigestSignatureValid(
  spkiDer: Uint8Array, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array, described?: PublicKeyDescription,
): boolean {
  const plan = planDigestSignatureCheck(spkiDer, hash, digest, signature, described);
  return typeof plan === 'boolean' ? plan : areEcdsaDigestSignaturesValid([plan])[0] === true;
}

/** The shape of isDigestSignatureValid: how an entry kind checks a signature over a digest. */
export type DigestSignatureVerifier = typeof isDigestSignatureValid;
