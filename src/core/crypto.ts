/**
 * Explicit-algorithm hashing, key derivation, key handling and signatures. The only file in src
 * that imports node:crypto: every other module names an algorithm and calls these functions.
 */
import {
  constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, scrypt, sign, verify,
  type Hash, type KeyObject,
} from 'node:crypto';
import { InputError, VerificationError } from './errors.ts';

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

/** scrypt cost parameters (RFC 7914). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Derives `keyLengthBytes` bytes with scrypt. Requires parameters the caller has already bounded:
 * memory use is about 128·N·r bytes (128 MiB for N = 131072, r = 8).
 * @throws ERR_KEY_UNSUPPORTED when Node refuses the parameters
 */
export function deriveScryptKey(password: Uint8Array, salt: Uint8Array, params: ScryptParams, keyLengthBytes: number): Promise<Uint8Array> {
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLengthBytes, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error) reject(new InputError('ERR_KEY_UNSUPPORTED', `scrypt refused N=${params.N} r=${params.r} p=${params.p}`, { cause: error }));
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    });
  });
}

/** Asymmetric key types sigil reads: the ones cosign accepts in key files. */
export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

/** Signature algorithms, each naming its scheme and hash; sign and verify always take one. */
export type SignatureAlgorithm =
  | 'ecdsa-sha256' | 'ecdsa-sha384' | 'ecdsa-sha512'
  | 'rsa-pkcs1v15-sha256' | 'rsa-pkcs1v15-sha384' | 'rsa-pkcs1v15-sha512'
  | 'rsa-pss-sha256' | 'rsa-pss-sha384' | 'rsa-pss-sha512'
  | 'ed25519';

const CURVES: Readonly<Record<string, KeyType>> = { prime256v1: 'ecdsa-p256', secp384r1: 'ecdsa-p384', secp521r1: 'ecdsa-p521' };
const NODE_CURVES = { 'ecdsa-p256': 'P-256', 'ecdsa-p384': 'P-384', 'ecdsa-p521': 'P-521' } as const;
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;

/** A public key of a supported type; made by importSpkiPublicKey or PrivateKey.publicKey. */
export class PublicKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  /** Internal: use importSpkiPublicKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The PKIX SubjectPublicKeyInfo DER. */
  toSpkiDer(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'spki' })); }
  /** True when both are the same key. */
  equals(other: PublicKey): boolean { return this.#key.equals(other.#key); }
  /**
   * Verifies `signature` over `data` with the named algorithm (ECDSA signatures are ASN.1 DER).
   * @throws ERR_KEY_UNSUPPORTED when the algorithm does not fit the key type
   * @throws ERR_VERIFY_SIGNATURE_INVALID when the signature does not verify
   */
  verify(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array): void {
    checkFits(this.type, algorithm);
    let ok = false;
    try {
      ok = verify(digestOf(algorithm), data, { key: this.#key, ...paddingOf(algorithm) }, signature);
    } catch {
      ok = false; // a malformed signature (bad DER, wrong length) is simply not valid
    }
    if (!ok) throw new VerificationError('ERR_VERIFY_SIGNATURE_INVALID', `${algorithm} signature does not verify with the ${this.type} public key`);
  }
}

/** A private key of a supported type; made by importPkcs8PrivateKey or generatePrivateKey. */
export class PrivateKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  /** Internal: use importPkcs8PrivateKey or generatePrivateKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The matching public key. */
  publicKey(): PublicKey { return new PublicKey(createPublicKey(this.#key), this.type); }
  /** The unencrypted PKCS#8 DER; a secret. */
  toPkcs8Der(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'pkcs8' })); }
  /**
   * Signs `data` with the named algorithm; ECDSA signatures are ASN.1 DER, as cosign writes them.
   * @throws ERR_KEY_UNSUPPORTED when the algorithm does not fit the key type
   */
  sign(algorithm: SignatureAlgorithm, data: Uint8Array): Uint8Array {
    checkFits(this.type, algorithm);
    return toBytes(sign(digestOf(algorithm), data, { key: this.#key, ...paddingOf(algorithm) }));
  }
}

/**
 * Parses an unencrypted PKCS#8 DER private key of a supported type.
 * @throws ERR_KEY_MALFORMED when the DER is not PKCS#8 (a SEC1 or PKCS#1 body is named as such)
 * @throws ERR_KEY_UNSUPPORTED for other key types, curves, or RSA outside 2048–4096 bits
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
 * @throws ERR_KEY_UNSUPPORTED for other key types, curves, or RSA outside 2048–4096 bits
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

/**
 * The signature algorithms a key of `type` can use, the default first. The defaults are what
 * cosign 2.5 signs with for key files, checked against it: SHA-256 on every ECDSA curve,
 * PKCS#1 v1.5 with SHA-256 for RSA, and pure Ed25519.
 */
export function signatureAlgorithmsFor(type: KeyType): readonly SignatureAlgorithm[] {
  switch (type) {
    case 'ecdsa-p256':
    case 'ecdsa-p384':
    case 'ecdsa-p521': return ['ecdsa-sha256', 'ecdsa-sha384', 'ecdsa-sha512'];
    case 'rsa': return ['rsa-pkcs1v15-sha256', 'rsa-pkcs1v15-sha384', 'rsa-pkcs1v15-sha512', 'rsa-pss-sha256', 'rsa-pss-sha384', 'rsa-pss-sha512'];
    case 'ed25519': return ['ed25519'];
  }
}

/** The algorithm cosign signs and verifies with for a key of `type` (signatureAlgorithmsFor(type)[0]). */
export function defaultSignatureAlgorithm(type: KeyType): SignatureAlgorithm {
  return signatureAlgorithmsFor(type)[0] ?? 'ecdsa-sha256';
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
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
      throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported rsa key size ${bits} bits: want ${RSA_MIN_BITS} to ${RSA_MAX_BITS}`);
    }
    return 'rsa';
  }
  throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported key type ${kind}: want ecdsa, rsa or ed25519`);
}

function checkFits(type: KeyType, algorithm: SignatureAlgorithm): void {
  if (!signatureAlgorithmsFor(type).includes(algorithm)) {
    throw new InputError('ERR_KEY_UNSUPPORTED', `a ${type} key cannot be used with ${algorithm}`);
  }
}

function digestOf(algorithm: SignatureAlgorithm): HashAlgorithm | null {
  if (algorithm === 'ed25519') return null;
  return algorithm.endsWith('sha256') ? 'sha256' : algorithm.endsWith('sha384') ? 'sha384' : 'sha512';
}

function paddingOf(algorithm: SignatureAlgorithm): { padding?: number; saltLength?: number; dsaEncoding?: 'der' } {
  if (algorithm.startsWith('rsa-pss')) return { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  if (algorithm.startsWith('rsa-pkcs1v15')) return { padding: constants.RSA_PKCS1_PADDING };
  if (algorithm.startsWith('ecdsa')) return { dsaEncoding: 'der' };
  return {};
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
