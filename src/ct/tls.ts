/**
 * The TLS presentation-language encodings RFC 6962 uses: big-endian integers and
 * length-prefixed opaque vectors, plus a bounds-checked reader for untrusted input.
 */
import { concatBytes, InputError } from '../core/index.ts';

/** Big-endian unsigned integer of `size` bytes. Requires 0 <= value < 256^size. */
export function encodeUint(value: number | bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt(value);
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** `opaque<0..2^(8·lengthBytes)-1>`: the length then the bytes. */
export function encodeVector(data: Uint8Array, lengthBytes: number): Uint8Array {
  return concatBytes([encodeUint(data.byteLength, lengthBytes), data]);
}

/** A bounds-checked big-endian reader. */
export interface TlsReader {
  take(n: number): Uint8Array;
  uint(n: number): number;
  vector(lengthBytes: number): Uint8Array;
  done(): boolean;
}

/** Reads `data`; every overrun throws ERR_CT_SUBMISSION_INVALID. */
export function createTlsReader(data: Uint8Array): TlsReader {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > data.byteLength) throw new InputError('ERR_CT_SUBMISSION_INVALID', `tls structure is truncated: want ${n} bytes at offset ${at} of ${data.byteLength}`);
    const out = data.subarray(at, at + n);
    at += n;
    return out;
  };
  const uint = (n: number): number => take(n).reduce((acc, b) => acc * 256 + b, 0);
  return { take, uint, vector: (n) => take(uint(n)), done: () => at === data.byteLength };
}
