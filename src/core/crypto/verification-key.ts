/**
 * Public keys parsed once for many verifications, from an SPKI or straight from a certificate,
 * and the check with such a key over any hash X.509 pairs it with.
 */
import { X509Certificate, constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';
import { MIN_RSA_BITS } from './algorithms.ts';
import type { HashAlgorithm } from './hash.ts';

/** A public key parsed once for many verifications (an opaque node:crypto key). */
export interface VerificationKey {
  /** `ec`, `ed25519` or `rsa` */
  readonly keyType: string;
  readonly key: KeyObject;
}

/**
 * Parses a DER SPKI public key once, checking it (node validates EC points) for repeated use with
 * {@link isSignatureValidWithKey}.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse
 */
export function importVerificationKey(spkiDer: Uint8Array): VerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  // the details are only needed (and not free to read) for RSA's size floor
  const bits = keyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : undefined;
  if (bits !== undefined && bits < MIN_RSA_BITS) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `an rsa key of ${bits} bits is below the ${MIN_RSA_BITS}-bit minimum`);
  }
  return { keyType, key };
}

/**
 * The public key of a DER certificate, parsed once by node:crypto's X509Certificate: for a
 * certificate's key this is cheaper than importing its SubjectPublicKeyInfo (OpenSSL's SPKI
 * decoder costs more, and so does the key's first use), with the same checks (an EC point must lie
 * on its curve; RSA at least 2048 bits). Undefined when node cannot read the certificate or its
 * key: the caller then imports the SPKI with {@link importVerificationKey}, which names the problem.
 */
export function importCertificateVerificationKey(certDer: Uint8Array): VerificationKey | undefined {
  let key: KeyObject;
  try {
    key = new X509Certificate(Buffer.from(certDer.buffer, certDer.byteOffset, certDer.byteLength)).publicKey;
  } catch {
    return undefined;
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const bits = keyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : undefined;
  if (bits !== undefined && bits < MIN_RSA_BITS) return undefined;
  return { keyType, key };
}

/**
 * True when `signature` over `data` verifies with a key from {@link importVerificationKey}: ECDSA
 * (DER signature) over `hash` of the data with any curve, as X.509 pairs them freely; Ed25519 with
 * `hash` null; RSA PKCS#1 v1.5, or PSS with `pss`. Malformed signatures are simply invalid.
 */
export function isSignatureValidWithKey(key: VerificationKey, hash: HashAlgorithm | null, data: Uint8Array, signature: Uint8Array, options: { readonly pss?: boolean } = {}): boolean {
  if ((key.keyType === 'ed25519') !== (hash === null)) return false;
  const pss = key.keyType === 'rsa' && options.pss === true;
  try {
    // a bare KeyObject when no options are needed: node's check for one inside an options object is costly
    return verify(hash, data, pss ? { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key.key, signature);
  } catch {
    return false;
  }
}
