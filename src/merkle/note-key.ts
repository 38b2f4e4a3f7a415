/**
 * Note keys: the key IDs whose first 4 bytes are a signature line's key hint, and verifiers and
 * signers over explicit algorithms. Two key-ID rules exist (rekor-fulcio research §1.4):
 * Rekor v1 (any key) and Rekor v2 ECDSA use SHA-256(SPKI DER), which is also the Rekor `logID`;
 * C2SP Ed25519 keys use SHA-256(name || 0x0A || 0x01 || 32-byte public key).
 */
import {
  concatBytes, ed25519PublicKeyBytes, encodeUtf8, hashBytes, InputError, isSignatureValid, signData,
  type SignatureAlgorithm,
} from '../core/index.ts';
import type { NoteSigner, NoteVerifier } from './note.ts';

/** How a key's ID is derived. */
export type NoteKeyIdStyle = 'spki-sha256' | 'c2sp-ed25519';

/** A public note key: the signature-line name, the algorithm, and the DER SPKI. */
export interface NoteKey {
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  readonly spkiDer: Uint8Array;
  /** defaults to 'c2sp-ed25519' for Ed25519 keys and 'spki-sha256' otherwise; Rekor v1 Ed25519 needs 'spki-sha256' */
  readonly keyIdStyle?: NoteKeyIdStyle;
}

/** A private note key: the public parts plus the DER PKCS#8 private key. */
export interface NoteSigningKey extends NoteKey {
  readonly pkcs8Der: Uint8Array;
}

/** C2SP signed-note signature type byte for Ed25519. */
export const C2SP_TYPE_ED25519 = 0x01;

/** SHA-256 of the DER SPKI: Rekor's `logID`, and its checkpoint key ID. */
export function rekorKeyId(spkiDer: Uint8Array): Uint8Array {
  return hashBytes('sha256', spkiDer);
}

/** The C2SP key ID SHA-256(name || 0x0A || type || keyBytes). Requires 0 <= type <= 255. */
export function c2spKeyId(name: string, type: number, keyBytes: Uint8Array): Uint8Array {
  return hashBytes('sha256', concatBytes([encodeUtf8(`${name}\n`), new Uint8Array([type]), keyBytes]));
}

/**
 * The full 32-byte key ID of `key` under its key-ID style.
 * @throws ERR_CRYPTO_KEY_INVALID when a C2SP Ed25519 key is not an Ed25519 SPKI
 */
export function noteKeyId(key: NoteKey): Uint8Array {
  return styleOf(key) === 'c2sp-ed25519'
    ? c2spKeyId(key.name, C2SP_TYPE_ED25519, ed25519PublicKeyBytes(key.spkiDer))
    : rekorKeyId(key.spkiDer);
}

/** The key hint: the first 4 bytes of a key ID, big-endian. Requires keyId of >= 4 bytes. */
export function keyHintOf(keyId: Uint8Array): number {
  return new DataView(keyId.buffer, keyId.byteOffset, 4).getUint32(0);
}

function styleOf(key: NoteKey): NoteKeyIdStyle {
  return key.keyIdStyle ?? (key.algorithm === 'ed25519' ? 'c2sp-ed25519' : 'spki-sha256');
}

/**
 * A verifier for signature lines of `key`; only `key.algorithm` is accepted.
 * @throws ERR_CRYPTO_KEY_INVALID when the SPKI does not parse or does not fit the algorithm
 */
export function createNoteVerifier(key: NoteKey): NoteVerifier {
  const keyHint = keyHintOf(noteKeyId(key));
  const { algorithm, spkiDer } = key;
  // parse the key now, so a bad trust root fails at load time rather than at first use
  isSignatureValid(algorithm, spkiDer, new Uint8Array(0), new Uint8Array(0), [algorithm]);
  return {
    name: key.name,
    keyHint,
    verify: (message, signature) => isSignatureValid(algorithm, spkiDer, message, signature, [algorithm]),
  };
}

/**
 * A signer for notes with `key`.
 * @throws ERR_CRYPTO_KEY_INVALID when a key does not parse, does not fit the algorithm, or the pair does not match
 */
export function createNoteSigner(key: NoteSigningKey): NoteSigner {
  const keyHint = keyHintOf(noteKeyId(key));
  const { algorithm, pkcs8Der, spkiDer } = key;
  // a private key that does not match the published public key would sign unverifiable notes
  const probe = new Uint8Array(0);
  if (!isSignatureValid(algorithm, spkiDer, probe, signData(algorithm, pkcs8Der, probe), [algorithm])) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `private key of ${key.name} does not match its public key`);
  }
  return { name: key.name, keyHint, sign: (message) => signData(algorithm, pkcs8Der, message) };
}
