// Explicit-algorithm hashing, key derivation, key handling, signing and signature verification:
// the only folder in src that imports node:crypto. Internal helpers (the algorithm table, the
// key-fit checks, the parsed-key cache) stay inside the folder.
export { type HashAlgorithm, type Hasher, createHasher, hashHex, hashBytes } from './hash.ts';
export { type ScryptParams, deriveScryptKey } from './scrypt.ts';
export type { SignatureAlgorithm } from './algorithms.ts';
export { isSignatureValid, verifySignature, signData, isRsaDigestSignatureValid, isEcdsaSha256SignatureValid } from './signatures.ts';
export { PublicKey, PrivateKey, importPkcs8PrivateKey, importSpkiPublicKey, generatePrivateKey } from './keys.ts';
export {
  type PublicKeyDescription, type DerKeyPair, describePublicKey, normalizeSpki, generateP256KeyPair, publicKeyOfPrivate, ed25519PublicKeyBytes,
} from './key-der.ts';
export { isCertificateIssuedBy, createIssuerCheck } from './issuer-check.ts';
export { createBasePointMultiplier } from './base-point.ts';
export { type VerificationKey, importVerificationKey, importCertificateVerificationKey, isSignatureValidWithKey } from './verification-key.ts';
export {
  type LegacyDigestAlgorithm, type ByteHasher, type SignatureKeyType, type SignatureCheck, createByteHasher, digestBytes, isLegacySignatureValid,
} from './legacy.ts';
