/**
 * Signing and signature verification under a named algorithm, with DER keys: every verification
 * takes an allowlist; plus the two digest-level checks node:crypto can do (RSA PKCS#1 v1.5 over a
 * precomputed digest, and the lean ECDSA SHA-256 path of ecdsa-digest.ts).
 */
import { constants, createPrivateKey, createPublicKey, publicDecrypt, sign, verify, type KeyObject } from 'node:crypto';
import { InputError, VerificationError } from '../errors.ts';
import { SIGNATURE_ALGORITHMS, checkAllowed, checkKeyFits, paddingOptions, type SignatureAlgorithm } from './algorithms.ts';
import type { HashAlgorithm } from './hash.ts';
import { parsePublicKey } from './key-cache.ts';

/**
 * True when `signature` over `data` verifies with the DER SPKI public key under `algorithm`
 * (ECDSA signatures are ASN.1 DER). Requires `algorithm` in `allowed`.
 * @throws ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
 */
export function isSignatureValid(
  algorithm: SignatureAlgorithm,
  spkiDer: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  allowed: readonly SignatureAlgorithm[],
): boolean {
  checkAllowed(algorithm, allowed);
  return verifyWithKey(algorithm, parsePublicKey(algorithm, spkiDer), data, signature);
}

/** True when `signature` verifies with a parsed `key` already found to fit `algorithm`; malformed signatures are invalid. */
export function verifyWithKey(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    // a bare KeyObject when no options are needed: node's check for one inside an options object is costly
    const padding = paddingOptions(algorithm);
    return verify(SIGNATURE_ALGORITHMS[algorithm].hash, data, padding.padding === undefined ? key : { key, ...padding }, signature);
  } catch {
    // node throws on some malformed signature encodings; those are simply invalid signatures
    return false;
  }
}

/**
 * Verifies `signature` over `data` with the DER SPKI public key under `algorithm`.
 * Requires `algorithm` in `allowed`.
 * @throws ERR_CRYPTO_SIGNATURE_INVALID, ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
 */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  spkiDer: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  allowed: readonly SignatureAlgorithm[],
): void {
  if (!isSignatureValid(algorithm, spkiDer, data, signature, allowed)) {
    throw new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', `${algorithm} signature (${signature.byteLength} bytes) does not verify`);
  }
}

/**
 * Signs `data` with a DER PKCS#8 private key under `algorithm` (ECDSA output is ASN.1 DER).
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse or does not fit `algorithm`
 */
export function signData(algorithm: SignatureAlgorithm, pkcs8Der: Uint8Array, data: Uint8Array): Uint8Array {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `private key is not DER PKCS#8 (${pkcs8Der.byteLength} bytes)`, { cause });
  }
  checkKeyFits(algorithm, key);
  return new Uint8Array(sign(SIGNATURE_ALGORITHMS[algorithm].hash, data, { key, ...paddingOptions(algorithm) }));
}

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1), followed by the digest itself.
const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/**
 * True when `signature` is an RSA PKCS#1 v1.5 signature of the precomputed `digest` under
 * `hash` (Rekor's hashedrekord signs the digest, and node:crypto can only hash itself).
 * @throws ERR_CRYPTO_KEY_INVALID when the key is not an RSA key of at least 2048 bits
 */
export function isRsaDigestSignatureValid(spkiDer: Uint8Array, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  const key = parsePublicKey('rsa-pkcs1v15-sha256', spkiDer);
  let decoded: Buffer;
  try {
    decoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return decoded.toString('hex') === DIGEST_INFO_PREFIX[hash] + Buffer.from(digest).toString('hex');
}

/**
 * True when the ASN.1 DER ECDSA `signature` over `data` with SHA-256 verifies under the DER SPKI
 * EC key: the lean path of ecdsa-digest.ts, whose caller built the SPKI itself (curve fixed).
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse or is not an EC key
 */
export function isEcdsaSha256SignatureValid(spkiDer: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  if (key.asymmetricKeyType !== 'ec') throw new InputError('ERR_CRYPTO_KEY_INVALID', `a ${key.asymmetricKeyType ?? 'unknown'} key is not an EC key`);
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}
