/**
 * NaCl secretbox (XSalsa20-Poly1305), as golang.org/x/crypto/nacl/secretbox and libsodium's
 * crypto_secretbox_easy lay it out: the 16-byte Poly1305 tag, then the encrypted bytes.
 * Node's crypto has no XSalsa20, so this wraps the audited @noble/ciphers implementation.
 */
import { secretbox } from '@noble/ciphers/salsa.js';
import { AuthError, InputError } from './errors.ts';

/** Key length of secretbox in bytes. */
export const SECRETBOX_KEY_BYTES = 32;
/** Nonce length of secretbox in bytes. */
export const SECRETBOX_NONCE_BYTES = 24;
/** Bytes the tag adds to the plaintext. */
export const SECRETBOX_OVERHEAD_BYTES = 16;

/**
 * Encrypts and authenticates `plaintext`. Requires a 32-byte key and a 24-byte nonce never used
 * before with that key.
 * @throws ERR_KEY_MALFORMED when the key or nonce length is wrong
 */
export function sealSecretbox(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkLengths(key, nonce);
  return secretbox(key, nonce).seal(plaintext);
}

/**
 * Authenticates and decrypts a sealed box.
 * @throws ERR_KEY_MALFORMED when the key or nonce length is wrong, or the box is shorter than its tag
 * @throws ERR_KEY_PASSWORD_WRONG when the tag does not verify (a wrong key, or altered bytes)
 */
export function openSecretbox(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array {
  checkLengths(key, nonce);
  if (sealed.byteLength < SECRETBOX_OVERHEAD_BYTES) {
    throw new InputError('ERR_KEY_MALFORMED', `secretbox ciphertext is ${sealed.byteLength} bytes, shorter than its ${SECRETBOX_OVERHEAD_BYTES}-byte tag`);
  }
  try {
    return secretbox(key, nonce).open(sealed);
  } catch {
    // the library's only failure past the length checks above is a tag mismatch
    throw new AuthError('ERR_KEY_PASSWORD_WRONG', 'decryption failed: wrong password, or the key file is corrupted');
  }
}

function checkLengths(key: Uint8Array, nonce: Uint8Array): void {
  if (key.byteLength !== SECRETBOX_KEY_BYTES) throw new InputError('ERR_KEY_MALFORMED', `secretbox key is ${key.byteLength} bytes, want ${SECRETBOX_KEY_BYTES}`);
  if (nonce.byteLength !== SECRETBOX_NONCE_BYTES) throw new InputError('ERR_KEY_MALFORMED', `secretbox nonce is ${nonce.byteLength} bytes, want ${SECRETBOX_NONCE_BYTES}`);
}
