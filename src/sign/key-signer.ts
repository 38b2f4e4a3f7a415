/**
 * A signer backed by a private key from a key file: what `sign --key` and `sign-blob --key` use.
 */
import {
  InputError, defaultSignatureAlgorithm, encodePublicKeyPem, signatureAlgorithmsFor,
  type KeyType, type PrivateKey, type PublicKey, type SignatureAlgorithm,
} from '../core/index.ts';
import { decodePrivateKeyPem } from './key-file.ts';
import type { PasswordSource } from './ports.ts';

/** Signs bytes with one key and one fixed algorithm. */
export interface KeySigner {
  readonly keyType: KeyType;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: PublicKey;
  /** the public key as cosign.pub holds it (PEM `PUBLIC KEY`) */
  readonly publicKeyPem: string;
  /** Signs `data` (hashing it with the algorithm's hash); ECDSA signatures are ASN.1 DER. */
  sign(data: Uint8Array): Uint8Array;
}

/** Options for a key signer. */
export interface KeySignerOptions {
  /** defaults to cosign's choice for the key type: defaultSignatureAlgorithm(type) */
  readonly algorithm?: SignatureAlgorithm;
}

/**
 * Creates a signer for `key`.
 * @throws ERR_CRYPTO_KEY_INVALID when `options.algorithm` does not fit the key type
 */
export function createKeySigner(key: PrivateKey, options: KeySignerOptions = {}): KeySigner {
  const allowed = signatureAlgorithmsFor(key.type);
  const algorithm = options.algorithm ?? defaultSignatureAlgorithm(key.type);
  if (!allowed.includes(algorithm)) throw new InputError('ERR_CRYPTO_KEY_INVALID', `a ${key.type} key cannot sign with ${algorithm}`);
  const publicKey = key.publicKey();
  return {
    keyType: key.type,
    algorithm,
    publicKey,
    publicKeyPem: encodePublicKeyPem(publicKey),
    sign: (data) => key.sign(algorithm, data),
  };
}

/**
 * Loads a signer from a private key file's text, asking `getPassword` only for an encrypted key.
 * @throws ERR_KEY_MALFORMED, ERR_KEY_UNSUPPORTED, ERR_KEY_PASSWORD_WRONG, as decodePrivateKeyPem
 * @throws whatever `getPassword` throws (ERR_KEY_PASSWORD_MISSING)
 */
export async function loadKeySigner(pemText: string, getPassword: PasswordSource, options: KeySignerOptions = {}): Promise<KeySigner> {
  const loaded = await decodePrivateKeyPem(pemText, getPassword);
  return createKeySigner(loaded.key, options);
}
