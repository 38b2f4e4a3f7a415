/**
 * Public keys as found in certificates, trust roots and `--key` files, and signature checks over a
 * message or over a digest the caller already has (a digest-mode conformance run only knows
 * `sha256:<hex>`). Node's crypto cannot verify ECDSA over a prehash, so that path uses
 * @noble/curves; signatures over a message go through node:crypto with the key parsed once.
 */
import {
  hashBytes, importCertificateVerificationKey, importVerificationKey, InputError, isAppError, isSignatureValid, isSignatureValidWithKey,
  type HashAlgorithm, type SignatureAlgorithm, type VerificationKey,
} from '../core/index.ts';
import { isDigestSignatureValid as isPrehashSignatureValid } from '../core/digest-signature.ts';
import { children, oidOf, readOnly } from './der.ts';

/** Key types sigil verifies with. */
export type KeyKind = 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519' | 'rsa';

/** A parsed public key: its DER SPKI, its kind, and the raw subjectPublicKey bits. */
export interface PublicKeyInfo {
  readonly spkiDer: Uint8Array;
  readonly kind: KeyKind;
  readonly raw: Uint8Array;
  /** the key parsed once by node:crypto, for repeated verification */
  readonly verifier: VerificationKey;
}

/** How a signature was made: the hash applied to the message (null for pure Ed25519), RSA padding. */
export interface SignatureScheme {
  readonly hash: HashAlgorithm | null;
  readonly pss?: boolean;
}

const OID_EC = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_RSA = '1.2.840.113549.1.1.1';
// the curve follows from the uncompressed or compressed point length of an EC key
const EC_POINT_SIZES: Readonly<Record<number, KeyKind>> = { 65: 'ec-p256', 33: 'ec-p256', 97: 'ec-p384', 49: 'ec-p384', 133: 'ec-p521', 67: 'ec-p521' };

/**
 * Parses a DER SubjectPublicKeyInfo (EC P-256/384/521, Ed25519 or RSA). With `certificateDer`, the
 * certificate the SPKI was read from, node imports the key from the certificate (cheaper; the same
 * checks), falling back to the SPKI.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse or is another key type
 */
export function parsePublicKeyInfo(spkiDer: Uint8Array, certificateDer?: Uint8Array): PublicKeyInfo {
  let oid: string;
  let raw: Uint8Array;
  try {
    const top = readOnly(spkiDer);
    const [alg, bits, ...extra] = top.tag === 0x30 ? children(spkiDer, top) : [];
    const algOid = alg?.tag === 0x30 ? children(spkiDer, alg)[0] : undefined;
    if (!algOid || bits?.tag !== 0x03 || extra.length > 0 || spkiDer[bits.contentStart] !== 0) throw new Error('not {algorithm, subjectPublicKey}');
    oid = oidOf(spkiDer, algOid);
    raw = spkiDer.subarray(bits.contentStart + 1, bits.end);
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  const kind = oid === OID_EC ? EC_POINT_SIZES[raw.byteLength] : oid === OID_ED25519 ? 'ed25519' : oid === OID_RSA ? 'rsa' : undefined;
  if (kind === undefined) throw new InputError('ERR_CRYPTO_KEY_INVALID', `unsupported public key algorithm ${oid} (${raw.byteLength}-byte key)`);
  // node:crypto checks that an EC point lies on its curve while importing
  let verifier: VerificationKey;
  try {
    verifier = (certificateDer === undefined ? undefined : importCertificateVerificationKey(certificateDer)) ?? importVerificationKey(spkiDer);
  } catch (cause) {
    if (!isAppError(cause) || kind === 'rsa') throw cause;
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a point on ${kind}`, { cause });
  }
  return { spkiDer, kind, raw, verifier };
}

// Trust-root keys (logs, CT logs) by their exact DER bytes, parsed once.
const INFO_CACHE = new Map<string, PublicKeyInfo>();

/**
 * {@link parsePublicKeyInfo} remembered by the key's exact bytes, for keys verified again and
 * again (trust-root logs and CT logs). Only successful parses are kept; the cache is bounded.
 * @throws ERR_CRYPTO_KEY_INVALID
 */
export function cachedPublicKeyInfo(spkiDer: Uint8Array): PublicKeyInfo {
  // trust-root keys come as the same array every time: found by it while its bytes are unchanged
  const known = INFO_BY_ARRAY.get(spkiDer);
  if (known !== undefined && Buffer.from(known.bytes.buffer, known.bytes.byteOffset, known.bytes.byteLength).equals(spkiDer)) return known.info;
  const info = cachedPublicKeyInfoByBytes(spkiDer);
  INFO_BY_ARRAY.set(spkiDer, { info, bytes: spkiDer.slice() });
  return info;
}

// by array object, with a copy of the bytes the entry was made from
const INFO_BY_ARRAY = new WeakMap<Uint8Array, { readonly info: PublicKeyInfo; readonly bytes: Uint8Array }>();

function cachedPublicKeyInfoByBytes(spkiDer: Uint8Array): PublicKeyInfo {
  const id = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength).toString('latin1');
  let info = INFO_CACHE.get(id);
  if (info === undefined) {
    info = parsePublicKeyInfo(spkiDer);
    if (INFO_CACHE.size >= 256) INFO_CACHE.clear();
    INFO_CACHE.set(id, info);
  }
  return info;
}

/** The hash a key kind signs with by default (Sigstore's key details), null for Ed25519. */
export function defaultHashOf(kind: KeyKind): HashAlgorithm | null {
  return kind === 'ec-p384' ? 'sha384' : kind === 'ec-p521' ? 'sha512' : kind === 'ed25519' ? null : 'sha256';
}

/** The explicit core algorithm for a key kind and scheme, when core has one. */
export function algorithmOf(kind: KeyKind, scheme: SignatureScheme): SignatureAlgorithm | undefined {
  const table: Readonly<Record<string, SignatureAlgorithm>> = {
    'ec-p256/sha256': 'ecdsa-p256-sha256', 'ec-p384/sha384': 'ecdsa-p384-sha384', 'ec-p521/sha512': 'ecdsa-p521-sha512',
    'ed25519/null': 'ed25519', 'rsa/sha256': scheme.pss ? 'rsa-pss-sha256' : 'rsa-pkcs1v15-sha256',
  };
  return table[`${kind}/${scheme.hash}`];
}

const HASH_BY_DIGEST_BYTES: Readonly<Record<number, HashAlgorithm>> = { 32: 'sha256', 48: 'sha384', 64: 'sha512' };

/**
 * True when `signature` signs the precomputed `digest` with an EC (DER ECDSA) or RSA (PKCS#1 v1.5)
 * key, through the one prehash verifier the log uses too; false for Ed25519, whose plain
 * signatures cannot be checked from a digest.
 */
export function isDigestSignatureValid(key: PublicKeyInfo, digest: Uint8Array, signature: Uint8Array): boolean {
  const hash = HASH_BY_DIGEST_BYTES[digest.byteLength];
  if (key.kind === 'ed25519' || hash === undefined) return false;
  try {
    return isPrehashSignatureValid(key.spkiDer, hash, digest, signature);
  } catch {
    return false;
  }
}

/**
 * True when `signature` over `data` verifies with `key` under `scheme`.
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not fit the algorithm
 */
export function isMessageSignatureValid(key: PublicKeyInfo, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): boolean {
  // ECDSA with any hash, and pure Ed25519, straight through node:crypto with the key parsed once
  if (key.kind !== 'rsa') return isSignatureValidWithKey(key.verifier, scheme.hash, data, signature);
  const algorithm = algorithmOf(key.kind, scheme);
  if (algorithm !== undefined) return isSignatureValid(algorithm, key.spkiDer, data, signature, [algorithm]);
  if (scheme.hash === null) return false;
  return isDigestSignatureValid(key, hashBytes(scheme.hash, data), signature);
}
