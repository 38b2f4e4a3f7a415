/**
 * The signature algorithms sigil signs and verifies, each fixing key type, curve, hash and padding,
 * and the checks every sign and verify makes against them: the algorithm is in the caller's
 * allowlist, and the key fits the algorithm (no algorithm confusion).
 */
import { constants, type KeyObject } from 'node:crypto';
import { InputError, VerificationError } from '../errors.ts';
import type { HashAlgorithm } from './hash.ts';

/** Signature algorithms sigil signs and verifies; each fixes key type, curve, hash and padding. */
export type SignatureAlgorithm =
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ecdsa-p521-sha512'
  // cosign 2.5 signs with SHA-256 whatever the curve of a key file's key (checked against it)
  | 'ecdsa-p384-sha256'
  | 'ecdsa-p521-sha256'
  | 'ed25519'
  | 'rsa-pkcs1v15-sha256'
  | 'rsa-pss-sha256';

/** Key type, curve, hash and padding of one algorithm. */
export interface AlgorithmSpec {
  readonly keyType: 'ec' | 'ed25519' | 'rsa';
  readonly curve?: string;
  /** the digest node:crypto applies, null for pure Ed25519 */
  readonly hash: HashAlgorithm | null;
  readonly pss?: true;
}

/** What each algorithm fixes; every sign and verify reads it by the algorithm's name. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<SignatureAlgorithm, AlgorithmSpec>> = {
  'ecdsa-p256-sha256': { keyType: 'ec', curve: 'prime256v1', hash: 'sha256' },
  'ecdsa-p384-sha384': { keyType: 'ec', curve: 'secp384r1', hash: 'sha384' },
  'ecdsa-p521-sha512': { keyType: 'ec', curve: 'secp521r1', hash: 'sha512' },
  'ecdsa-p384-sha256': { keyType: 'ec', curve: 'secp384r1', hash: 'sha256' },
  'ecdsa-p521-sha256': { keyType: 'ec', curve: 'secp521r1', hash: 'sha256' },
  'ed25519': { keyType: 'ed25519', hash: null },
  'rsa-pkcs1v15-sha256': { keyType: 'rsa', hash: 'sha256' },
  'rsa-pss-sha256': { keyType: 'rsa', hash: 'sha256', pss: true },
};

/** The smallest RSA modulus sigil accepts for signing or verification. */
export const MIN_RSA_BITS = 2048;

/**
 * Refuses a key whose type or curve differs from the named algorithm (algorithm confusion).
 * @throws ERR_CRYPTO_KEY_INVALID
 */
export function checkKeyFits(algorithm: SignatureAlgorithm, key: KeyObject): void {
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

/** Refuses an algorithm outside the caller's allowlist. @throws ERR_CRYPTO_ALGORITHM_NOT_ALLOWED */
export function checkAllowed(algorithm: SignatureAlgorithm, allowed: readonly SignatureAlgorithm[]): void {
  if (!allowed.includes(algorithm) || !(algorithm in SIGNATURE_ALGORITHMS)) {
    throw new VerificationError('ERR_CRYPTO_ALGORITHM_NOT_ALLOWED', `algorithm ${algorithm} is not in the allowlist [${allowed.join(', ')}]`);
  }
}

/** node:crypto's padding options for `algorithm` (PSS with a digest-length salt), else none. */
export function paddingOptions(algorithm: SignatureAlgorithm): { padding?: number; saltLength?: number } {
  return SIGNATURE_ALGORITHMS[algorithm].pss
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : {};
}
