/**
 * The asymmetric key types sigil reads from key files, and which signature algorithms each may use.
 */
import type { SignatureAlgorithm } from './crypto/index.ts';

/** Key types sigil reads: the ones cosign accepts in key files. */
export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

// The first of each list is what cosign 2.5 signs and verifies key-file signatures with, checked
// against it in test/interop/cosign-keys.test.ts: SHA-256 whatever the ECDSA curve.
const KEY_TYPE_ALGORITHMS: Readonly<Record<KeyType, readonly [SignatureAlgorithm, ...SignatureAlgorithm[]]>> = {
  'ecdsa-p256': ['ecdsa-p256-sha256'],
  'ecdsa-p384': ['ecdsa-p384-sha256', 'ecdsa-p384-sha384'],
  'ecdsa-p521': ['ecdsa-p521-sha256', 'ecdsa-p521-sha512'],
  'rsa': ['rsa-pkcs1v15-sha256', 'rsa-pss-sha256'],
  'ed25519': ['ed25519'],
};

/** The signature algorithms a key of `type` can use, cosign's default first (use as a verify allowlist). */
export function signatureAlgorithmsFor(type: KeyType): readonly SignatureAlgorithm[] {
  return KEY_TYPE_ALGORITHMS[type];
}

/** The algorithm cosign signs and verifies with for a key of `type`: SHA-256 on every ECDSA curve, RSA PKCS#1 v1.5, pure Ed25519. */
export function defaultSignatureAlgorithm(type: KeyType): SignatureAlgorithm {
  return KEY_TYPE_ALGORITHMS[type][0];
}
