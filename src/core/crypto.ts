/**
 * Explicit-algorithm hashing (and later signing). The only file in core that touches node:crypto.
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify, type Hash, type KeyObject } from 'node:crypto';

/** Hash algorithms sigil computes, by their OCI digest names. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** An incremental hasher. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Lowercase hex of the digest; call once. */
  digestHex(): string;
}

/** Creates an incremental hasher for `algorithm`. */
export function createHasher(algorithm: HashAlgorithm): Hasher {
  const hash: Hash = createHash(algorithm);
  return {
    update(chunk) { hash.update(chunk); },
    digestHex() { return hash.digest('hex'); },
  };
}

/** One-shot hash of `data` as lowercase hex. */
export function hashHex(algorithm: HashAlgorithm, data: Uint8Array | string): string {
  return createHash(algorithm).update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Scanner block: digests and signature checks for signatures found on disk (signed JARs,
// Authenticode). Those files use older algorithms (SHA-1, MD5) that sigil never signs with, so
// they get their own names here; every check names its algorithm and key type explicitly.
// ---------------------------------------------------------------------------------------------

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
  /** PKCS#1 v1.5 for RSA; DER (r,s) for ECDSA and DSA */
  readonly signature: Uint8Array;
}

/** True when the signature verifies and the key really is of `keyType`; false on any mismatch or unreadable key. */
export function isSignatureValid(check: SignatureCheck): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(check.spkiDer), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== check.keyType) return false;
  try {
    const options = check.keyType === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const };
    return cryptoVerify(check.digest, check.data, options, check.signature);
  } catch {
    return false;
  }
}
