/**
 * Explicit-algorithm hashing, signing and signature verification. The only file in core that
 * touches node:crypto.
 */
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify, type Hash, type KeyObject } from 'node:crypto';
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

/** One-shot hash of `data` as raw bytes. */
export function hashBytes(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/** Signature algorithms sigil signs and verifies; each fixes key type, curve, hash and padding. */
export type SignatureAlgorithm =
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ecdsa-p521-sha512'
  | 'ed25519'
  | 'rsa-pkcs1v15-sha256'
  | 'rsa-pss-sha256';

interface AlgorithmSpec {
  readonly keyType: 'ec' | 'ed25519' | 'rsa';
  readonly curve?: string;
  /** the digest node:crypto applies, null for pure Ed25519 */
  readonly hash: HashAlgorithm | null;
  readonly pss?: true;
}

const SIGNATURE_ALGORITHMS: Readonly<Record<SignatureAlgorithm, AlgorithmSpec>> = {
  'ecdsa-p256-sha256': { keyType: 'ec', curve: 'prime256v1', hash: 'sha256' },
  'ecdsa-p384-sha384': { keyType: 'ec', curve: 'secp384r1', hash: 'sha384' },
  'ecdsa-p521-sha512': { keyType: 'ec', curve: 'secp521r1', hash: 'sha512' },
  'ed25519': { keyType: 'ed25519', hash: null },
  'rsa-pkcs1v15-sha256': { keyType: 'rsa', hash: 'sha256' },
  'rsa-pss-sha256': { keyType: 'rsa', hash: 'sha256', pss: true },
};

const MIN_RSA_BITS = 2048;

// Refuses a key whose type or curve differs from the named algorithm (algorithm confusion).
function checkKeyFits(algorithm: SignatureAlgorithm, key: KeyObject): void {
  const spec = SIGNATURE_ALGORITHMS[algorithm];
  const details = key.asymmetricKeyDetails ?? {};
  const fits = key.asymmetricKeyType === spec.keyType
    && (spec.curve === undefined || details.namedCurve === spec.curve)
    && (spec.keyType !== 'rsa' || (details.modulusLength ?? 0) >= MIN_RSA_BITS);
  if (!fits) {
    const curve = details.namedCurve === undefined ? '' : ` ${details.namedCurve}`;
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `a ${key.asymmetricKeyType ?? 'unknown'}${curve} key does not fit ${algorithm}`);
  }
}

function checkAllowed(algorithm: SignatureAlgorithm, allowed: readonly SignatureAlgorithm[]): void {
  if (!allowed.includes(algorithm) || !(algorithm in SIGNATURE_ALGORITHMS)) {
    throw new VerificationError('ERR_CRYPTO_ALGORITHM_NOT_ALLOWED', `algorithm ${algorithm} is not in the allowlist [${allowed.join(', ')}]`);
  }
}

function parsePublicKey(algorithm: SignatureAlgorithm, spkiDer: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  checkKeyFits(algorithm, key);
  return key;
}

function paddingOptions(algorithm: SignatureAlgorithm): { padding?: number; saltLength?: number } {
  return SIGNATURE_ALGORITHMS[algorithm].pss
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : {};
}

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
  const key = parsePublicKey(algorithm, spkiDer);
  try {
    return verify(SIGNATURE_ALGORITHMS[algorithm].hash, data, { key, ...paddingOptions(algorithm) }, signature);
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

/**
 * The 32-byte raw Ed25519 public key inside a DER SPKI.
 * @throws ERR_CRYPTO_KEY_INVALID when the SPKI is not an Ed25519 key
 */
export function ed25519PublicKeyBytes(spkiDer: Uint8Array): Uint8Array {
  const key = parsePublicKey('ed25519', spkiDer);
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}
