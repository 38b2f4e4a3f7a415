/**
 * cosign key files: `cosign.key` (PEM `ENCRYPTED SIGSTORE PRIVATE KEY`, or the older
 * `ENCRYPTED COSIGN PRIVATE KEY`, around the encrypted envelope of a PKCS#8 key) and `cosign.pub`
 * (PEM `PUBLIC KEY`). Pure format code: the caller reads and writes the files.
 */
import {
  InputError, decodeKeyPem, encodePem, encodePublicKeyPem, generatePrivateKey, importPkcs8PrivateKey,
  type KeyType, type PrivateKey, type Random, type ScryptParams,
} from '../core/index.ts';
import { decryptKeyBytes, encodeEncryptedKeyEnvelope, encryptKeyBytes, parseEncryptedKeyEnvelope } from './encrypted-key.ts';
import type { PasswordSource } from './ports.ts';

/** The PEM label cosign writes new private keys with (since cosign 2.0). */
export const SIGSTORE_PRIVATE_KEY_PEM_LABEL = 'ENCRYPTED SIGSTORE PRIVATE KEY';
/** The older label, still read. */
export const COSIGN_PRIVATE_KEY_PEM_LABEL = 'ENCRYPTED COSIGN PRIVATE KEY';
/** An unencrypted PKCS#8 key, which sigil also reads (cosign does not). */
export const PKCS8_PEM_LABEL = 'PRIVATE KEY';

const ENCRYPTED_LABELS: ReadonlySet<string> = new Set([SIGSTORE_PRIVATE_KEY_PEM_LABEL, COSIGN_PRIVATE_KEY_PEM_LABEL]);
const ADVICE: Readonly<Record<string, string>> = {
  'EC PRIVATE KEY': 'a sec1 key: convert it with `openssl pkcs8 -topk8 -nocrypt`',
  'RSA PRIVATE KEY': 'a pkcs#1 key: convert it with `openssl pkcs8 -topk8 -nocrypt`',
  'ENCRYPTED PRIVATE KEY': 'a pbes2-encrypted pkcs#8 key: decrypt it with `openssl pkcs8` first',
  'PUBLIC KEY': 'a public key, where a private key is needed',
};

/** A private key read from a file, and how it was stored there. */
export interface LoadedPrivateKey {
  readonly key: PrivateKey;
  /** the PEM label it had */
  readonly label: string;
  /** true when it was password-protected */
  readonly encrypted: boolean;
}

/** A freshly made key pair, encoded as cosign writes cosign.key and cosign.pub. */
export interface EncodedKeyPair {
  readonly keyType: KeyType;
  /** the encrypted private key file's text; a secret */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/**
 * Decodes a private key file's text. An encrypted key is fully parsed before `getPassword` is
 * called, so a malformed file fails without asking for a password; an unencrypted PKCS#8 key
 * never asks. The decrypted DER is zeroed once imported.
 * @throws ERR_KEY_MALFORMED for bad PEM, a bad envelope, or a body that is not PKCS#8 (such as SEC1)
 * @throws ERR_KEY_UNSUPPORTED for another PEM type, kdf, cipher, scrypt parameters or key type
 * @throws ERR_KEY_PASSWORD_WRONG when the password does not decrypt the key
 * @throws whatever `getPassword` throws (ERR_KEY_PASSWORD_MISSING)
 */
export async function decodePrivateKeyPem(text: string, getPassword: PasswordSource): Promise<LoadedPrivateKey> {
  const block = decodeKeyPem(text);
  if (block.label === PKCS8_PEM_LABEL) return { key: importPkcs8PrivateKey(block.der), label: block.label, encrypted: false };
  if (!ENCRYPTED_LABELS.has(block.label)) {
    const advice = ADVICE[block.label];
    const label = JSON.stringify(block.label.slice(0, 60));
    throw new InputError('ERR_KEY_UNSUPPORTED', advice ? `unsupported pem type ${label}: ${advice}` : `unsupported pem type ${label}: want ${JSON.stringify(SIGSTORE_PRIVATE_KEY_PEM_LABEL)}`);
  }
  const envelope = parseEncryptedKeyEnvelope(block.der);
  const der = await decryptKeyBytes(envelope, await getPassword());
  try {
    return { key: importPkcs8PrivateKey(der), label: block.label, encrypted: true };
  } finally {
    der.fill(0);
  }
}

/**
 * Encrypts `key` under `password` as cosign.key's text (the empty password is allowed, as in cosign).
 * @throws ERR_KEY_UNSUPPORTED when `options.params` is not an accepted scrypt parameter set
 */
export async function encodeEncryptedPrivateKeyPem(
  key: PrivateKey, password: string, random: Random,
  options: { readonly label?: string; readonly params?: ScryptParams } = {},
): Promise<string> {
  const der = key.toPkcs8Der();
  try {
    const envelope = await encryptKeyBytes(der, password, random, options.params);
    return encodePem(options.label ?? SIGSTORE_PRIVATE_KEY_PEM_LABEL, encodeEncryptedKeyEnvelope(envelope));
  } finally {
    der.fill(0);
  }
}

/** Generates an ECDSA P-256 key pair, as `cosign generate-key-pair` does, encoded as its two files. */
export async function createKeyPairFiles(password: string, random: Random): Promise<EncodedKeyPair> {
  const key = generatePrivateKey('ecdsa-p256');
  return {
    keyType: key.type,
    privateKeyPem: await encodeEncryptedPrivateKeyPem(key, password, random),
    publicKeyPem: encodePublicKeyPem(key.publicKey()),
  };
}
