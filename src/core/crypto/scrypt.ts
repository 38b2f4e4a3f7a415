/**
 * Password-based key derivation with scrypt (RFC 7914), for cosign's encrypted key files.
 */
import { scrypt } from 'node:crypto';
import { InputError } from '../errors.ts';

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
