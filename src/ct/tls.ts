/**
 * The TLS presentation-language encodings RFC 6962 uses: big-endian integers and
 * length-prefixed opaque vectors.
 */
import { concatBytes } from '../core/index.ts';

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
