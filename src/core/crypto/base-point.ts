/**
 * Fixed-base scalar multiplication on the NIST curves by the platform, for ecdsa-digest.ts.
 */
import { createECDH } from 'node:crypto';
import { InputError } from '../errors.ts';

const ECDH_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/**
 * A function giving the uncompressed SEC 1 point scalar·G on `curve`, computed by the platform
 * (OpenSSL's fixed-base multiplication, far faster than big-integer JS); it reuses one context,
 * so make one for a run of multiplications. Requires 0 < scalar < n, as big-endian bytes of the
 * curve's scalar length.
 * @throws ERR_INPUT_INVALID (from the function) when a scalar is out of range
 */
export function createBasePointMultiplier(curve: 'P-256' | 'P-384' | 'P-521'): (scalar: Uint8Array) => Uint8Array {
  const ecdh = createECDH(ECDH_CURVES[curve]);
  return (scalar) => {
    try {
      ecdh.setPrivateKey(scalar);
    } catch (cause) {
      throw new InputError('ERR_INPUT_INVALID', `scalar is not in [1, n) for ${curve}`, { cause });
    }
    return new Uint8Array(ecdh.getPublicKey());
  };
}
