/**
 * Key objects of the supported types (ECDSA P-256/384/521, RSA 2048–16384 bits, Ed25519):
 * importing PKCS#8 and SPKI DER, generating, and signing with an already-parsed key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';
import type { KeyType } from '../key-types.ts';
import { MIN_RSA_BITS, SIGNATURE_ALGORITHMS, checkAllowed, checkKeyFits, paddingOptions, type SignatureAlgorithm } from './algorithms.ts';
import { verifyWithKey } from './signatures.ts';

const CURVES: Readonly<Record<string, KeyType>> = { prime256v1: 'ecdsa-p256', secp384r1: 'ecdsa-p384', secp521r1: 'ecdsa-p521' };
const NODE_CURVES = { 'ecdsa-p256': 'P-256', 'ecdsa-p384': 'P-384', 'ecdsa-p521': 'P-521' } as const;
/** Go's crypto/rsa (so cosign) parses keys up to 16384 bits. */
const MAX_RSA_BITS = 16384;

/** A public key of a supported type; made by importSpkiPublicKey or PrivateKey.publicKey. */
export class PublicKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  /** Internal: use importSpkiPublicKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The PKIX SubjectPublicKeyInfo DER, as verifySignature takes it. */
  toSpkiDer(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'spki' })); }
  /** True when both are the same key. */
  equals(other: PublicKey): boolean { return this.#key.equals(other.#key); }
  /**
   * isSignatureValid with this already-parsed key (no second parse of its DER).
   * @throws ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
   */
  isSignatureValid(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, allowed: readonly SignatureAlgorithm[]): boolean {
    checkAllowed(algorithm, allowed);
    checkKeyFits(algorithm, this.#key);
    return verifyWithKey(algorithm, this.#key, data, signature);
  }
}

/** A private key of a supported type; made by importPkcs8PrivateKey or generatePrivateKey. */
export class PrivateKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  readonly #fits = new Set<SignatureAlgorithm>();
  /** Internal: use importPkcs8PrivateKey or generatePrivateKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The matching public key. */
  publicKey(): PublicKey { return new PublicKey(createPublicKey(this.#key), this.type); }
  /** The unencrypted PKCS#8 DER; a secret. */
  toPkcs8Der(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'pkcs8' })); }
  /**
   * Signs `data` under `algorithm` (ECDSA output is ASN.1 DER, as cosign writes it).
   * @throws ERR_CRYPTO_KEY_INVALID when the key does not fit `algorithm`
   */
  sign(algorithm: SignatureAlgorithm, data: Uint8Array): Uint8Array {
    // a log signs with one key and algorithm per entry: check the fit once, and hand node the
    // KeyObject itself (an options wrapper costs a slow key-shape probe on every call)
    if (!this.#fits.has(algorithm)) { checkKeyFits(algorithm, this.#key); this.#fits.add(algorithm); }
    const spec = SIGNATURE_ALGORITHMS[algorithm];
    return toBytes(sign(spec.hash, data, spec.pss ? { key: this.#key, ...paddingOptions(algorithm) } : this.#key));
  }
}

/**
 * Parses an unencrypted PKCS#8 DER private key of a supported type.
 * @throws ERR_KEY_MALFORMED when the DER is not PKCS#8 (a SEC1 or PKCS#1 body is named as such)
 * @throws ERR_KEY_UNSUPPORTED for other key types and curves, or RSA outside 2048–16384 bits
 */
export function importPkcs8PrivateKey(der: Uint8Array): PrivateKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new InputError('ERR_KEY_MALFORMED', `private key is not pkcs#8 der${legacyFormatHint(der)}`, { cause: scrubbed(cause) });
  }
  return new PrivateKey(key, classify(key));
}

/**
 * Parses a PKIX SubjectPublicKeyInfo DER public key of a supported type.
 * @throws ERR_KEY_MALFORMED when the DER does not parse
 * @throws ERR_KEY_UNSUPPORTED for other key types and curves, or RSA outside 2048–16384 bits
 */
export function importSpkiPublicKey(der: Uint8Array): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_KEY_MALFORMED', 'public key is not pkix subjectpublickeyinfo der', { cause: scrubbed(cause) });
  }
  return new PublicKey(key, classify(key));
}

/** Generates a fresh private key of `type` (RSA keys get 3072 bits) from the system's CSPRNG. */
export function generatePrivateKey(type: KeyType): PrivateKey {
  if (type === 'rsa') return new PrivateKey(generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey, type);
  if (type === 'ed25519') return new PrivateKey(generateKeyPairSync('ed25519').privateKey, type);
  return new PrivateKey(generateKeyPairSync('ec', { namedCurve: NODE_CURVES[type] }).privateKey, type);
}

function classify(key: KeyObject): KeyType {
  const kind = key.asymmetricKeyType ?? 'unknown';
  if (kind === 'ed25519') return 'ed25519';
  if (kind === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    const type = CURVES[curve];
    if (!type) throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported ecdsa curve ${curve}: want P-256, P-384 or P-521`);
    return type;
  }
  if (kind === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported rsa key size ${bits} bits: want ${MIN_RSA_BITS} to ${MAX_RSA_BITS}`);
    }
    return 'rsa';
  }
  throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported key type ${kind}: want ecdsa, rsa or ed25519`);
}

/** Names the legacy format a non-PKCS#8 body looks like, so the message can say what to do. */
function legacyFormatHint(der: Uint8Array): string {
  let kind: string | undefined;
  try {
    // OpenSSL reads either traditional format here, whichever `type` is named
    kind = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' }).asymmetricKeyType;
  } catch {
    return '';
  }
  if (kind === 'ec') return ' (it is a sec1 "EC PRIVATE KEY")';
  if (kind === 'rsa') return ' (it is a pkcs#1 "RSA PRIVATE KEY")';
  return '';
}

/** OpenSSL's messages name ASN.1 fields, never key bytes; keep only the message as the cause. */
function scrubbed(cause: unknown): Error {
  return new Error(cause instanceof Error ? cause.message : 'unparseable key');
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
