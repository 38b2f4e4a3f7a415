/**
 * The encrypted envelope inside a cosign private key file: go-securesystemslib's
 * `encrypted.Encrypt` format (scrypt key derivation, then NaCl secretbox), as JSON:
 * `{"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":b64},"cipher":{"name":"nacl/secretbox","nonce":b64},"ciphertext":b64}`.
 */
import { AppError, InputError, decodeUtf8, deriveScryptKey, encodeUtf8, type Random, type ScryptParams } from '../core/index.ts';
import { SECRETBOX_KEY_BYTES, SECRETBOX_NONCE_BYTES, openSecretbox, sealSecretbox } from '../core/secretbox.ts';

/** A parsed, validated envelope. */
export interface EncryptedKeyEnvelope {
  readonly kdf: { readonly name: 'scrypt'; readonly params: ScryptParams; readonly salt: Uint8Array };
  readonly cipher: { readonly name: 'nacl/secretbox'; readonly nonce: Uint8Array };
  readonly ciphertext: Uint8Array;
}

/**
 * The scrypt parameter sets go-securesystemslib accepts, a guard against files that ask for
 * unbounded work: legacy (older cosign and skopeo files), standard (cosign's default), OWASP.
 */
export const SCRYPT_PARAMS_ACCEPTED: readonly ScryptParams[] = [
  { N: 32768, r: 8, p: 1 },
  { N: 65536, r: 8, p: 1 },
  { N: 131072, r: 8, p: 1 },
];
/** The parameters cosign writes new keys with. */
export const SCRYPT_PARAMS_DEFAULT: ScryptParams = { N: 65536, r: 8, p: 1 };
const SALT_BYTES = 32;
const MAX_FIELD_CHARS = 64 * 1024;

/**
 * Parses the envelope JSON bytes (the DER body of the PEM block).
 * @throws ERR_KEY_MALFORMED when it is not such JSON, or a field is missing or not base64, or the nonce is not 24 bytes
 * @throws ERR_KEY_UNSUPPORTED for another kdf or cipher, or scrypt parameters outside SCRYPT_PARAMS_ACCEPTED
 */
export function parseEncryptedKeyEnvelope(bytes: Uint8Array): EncryptedKeyEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(bytes));
  } catch (cause) {
    throw new InputError('ERR_KEY_MALFORMED', 'encrypted key body is not json', { cause: cause instanceof AppError ? cause : undefined });
  }
  const root = record(value, 'encrypted key');
  const kdf = record(root['kdf'], 'kdf');
  const cipher = record(root['cipher'], 'cipher');
  if (kdf['name'] !== 'scrypt') throw new InputError('ERR_KEY_UNSUPPORTED', `unknown kdf name ${describe(kdf['name'])}: want "scrypt"`);
  if (cipher['name'] !== 'nacl/secretbox') throw new InputError('ERR_KEY_UNSUPPORTED', `unknown cipher name ${describe(cipher['name'])}: want "nacl/secretbox"`);
  const params = parseScryptParams(kdf['params']);
  const nonce = base64Field(cipher['nonce'], 'cipher.nonce');
  if (nonce.byteLength !== SECRETBOX_NONCE_BYTES) throw new InputError('ERR_KEY_MALFORMED', `incorrect nonce size ${nonce.byteLength}: want ${SECRETBOX_NONCE_BYTES}`);
  return {
    kdf: { name: 'scrypt', params, salt: base64Field(kdf['salt'], 'kdf.salt') },
    cipher: { name: 'nacl/secretbox', nonce },
    ciphertext: base64Field(root['ciphertext'], 'ciphertext'),
  };
}

/** Encodes an envelope as compact JSON in go-securesystemslib's field order, bytes as padded base64. */
export function encodeEncryptedKeyEnvelope(envelope: EncryptedKeyEnvelope): Uint8Array {
  const { N, r, p } = envelope.kdf.params;
  return encodeUtf8(JSON.stringify({
    kdf: { name: 'scrypt', params: { N, r, p }, salt: toBase64(envelope.kdf.salt) },
    cipher: { name: 'nacl/secretbox', nonce: toBase64(envelope.cipher.nonce) },
    ciphertext: toBase64(envelope.ciphertext),
  }));
}

/**
 * Encrypts `plaintext` under `password` with a fresh 32-byte salt and 24-byte nonce from `random`.
 * @throws ERR_KEY_UNSUPPORTED when `params` is not one of SCRYPT_PARAMS_ACCEPTED
 */
export async function encryptKeyBytes(plaintext: Uint8Array, password: string, random: Random, params: ScryptParams = SCRYPT_PARAMS_DEFAULT): Promise<EncryptedKeyEnvelope> {
  checkScryptParams(params);
  const salt = random.bytes(SALT_BYTES);
  const nonce = random.bytes(SECRETBOX_NONCE_BYTES);
  const key = await deriveScryptKey(encodeUtf8(password), salt, params, SECRETBOX_KEY_BYTES);
  try {
    return { kdf: { name: 'scrypt', params, salt }, cipher: { name: 'nacl/secretbox', nonce }, ciphertext: sealSecretbox(key, nonce, plaintext) };
  } finally {
    key.fill(0);
  }
}

/**
 * Decrypts an envelope with `password` (the empty string is a valid password).
 * @throws ERR_KEY_PASSWORD_WRONG when the secretbox tag does not verify
 * @throws ERR_KEY_MALFORMED when the ciphertext is shorter than the tag
 */
export async function decryptKeyBytes(envelope: EncryptedKeyEnvelope, password: string): Promise<Uint8Array> {
  const key = await deriveScryptKey(encodeUtf8(password), envelope.kdf.salt, envelope.kdf.params, SECRETBOX_KEY_BYTES);
  try {
    return openSecretbox(key, envelope.cipher.nonce, envelope.ciphertext);
  } finally {
    key.fill(0);
  }
}

function parseScryptParams(value: unknown): ScryptParams {
  const params = record(value, 'kdf.params');
  const [N, r, p] = [params['N'], params['r'], params['p']];
  if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number') {
    throw new InputError('ERR_KEY_MALFORMED', 'kdf.params must hold numbers N, r and p');
  }
  const parsed = { N, r, p };
  checkScryptParams(parsed);
  return parsed;
}

function checkScryptParams(params: ScryptParams): void {
  if (!SCRYPT_PARAMS_ACCEPTED.some((a) => a.N === params.N && a.r === params.r && a.p === params.p)) {
    throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported scrypt parameters N=${params.N} r=${params.r} p=${params.p}: want N=32768, 65536 or 131072 with r=8 p=1`);
  }
}

function record(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('ERR_KEY_MALFORMED', `${what} must be a json object`);
  return value as Readonly<Record<string, unknown>>;
}

function base64Field(value: unknown, what: string): Uint8Array {
  // Go's encoding/json reads []byte as standard padded base64
  if (typeof value !== 'string' || value.length > MAX_FIELD_CHARS || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new InputError('ERR_KEY_MALFORMED', `${what} must be standard base64`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
