/**
 * Digests and signature checks for signatures the scanner finds on disk (signed JARs,
 * Authenticode, Notary envelopes). Those files use older algorithms (SHA-1, MD5) that sigil never
 * signs with, so they get their own names here; every check names its algorithm and key type.
 */
import { constants, createHash, createPublicKey, verify, type Hash, type KeyObject } from 'node:crypto';

/** Digest algorithms found in JAR and Authenticode signatures. */
export type LegacyDigestAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** An incremental hasher that returns raw digest bytes. */
export interface ByteHasher {
  update(chunk: Uint8Array): void;
  /** The digest; call once. */
  digest(): Uint8Array;
}

/** Creates an incremental hasher for a legacy-capable digest algorithm. */
export function createByteHasher(algorithm: LegacyDigestAlgorithm): ByteHasher {
  const hash: Hash = createHash(algorithm);
  return {
    update(chunk) { hash.update(chunk); },
    digest() { return new Uint8Array(hash.digest()); },
  };
}

/** One-shot digest of `data` as raw bytes. */
export function digestBytes(algorithm: LegacyDigestAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/** Public-key signature schemes the scanner checks. */
export type SignatureKeyType = 'rsa' | 'ec' | 'dsa';

/** An explicit signature check: key type, digest and DER SubjectPublicKeyInfo. */
export interface SignatureCheck {
  readonly keyType: SignatureKeyType;
  readonly digest: LegacyDigestAlgorithm;
  readonly spkiDer: Uint8Array;
  readonly data: Uint8Array;
  /** PKCS#1 v1.5 for RSA (PSS with `pss`); DER (r,s) for ECDSA and DSA, or raw r||s with `ieeeP1363` */
  readonly signature: Uint8Array;
  /** RSA-PSS with MGF1 over `digest` and a salt as long as the digest (JWS PS256/384/512, COSE PS*) */
  readonly pss?: boolean;
  /** ECDSA signature as the fixed-width r||s of JWS and COSE instead of DER */
  readonly ieeeP1363?: boolean;
}

/** True when the signature verifies and the key really is of `keyType`; false on any mismatch or unreadable key. */
export function isLegacySignatureValid(check: SignatureCheck): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(check.spkiDer), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== check.keyType) return false;
  try {
    const rsa = check.pss === true ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key, padding: constants.RSA_PKCS1_PADDING };
    const options = check.keyType === 'rsa' ? rsa : { key, dsaEncoding: check.ieeeP1363 === true ? 'ieee-p1363' as const : 'der' as const };
    return verify(check.digest, check.data, options, check.signature);
  } catch {
    return false;
  }
}
