/**
 * Bounds-checked little-endian reads over untrusted bytes (zip and PE structures).
 */
import { InputError } from '../core/index.ts';

function check(bytes: Uint8Array, offset: number, width: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + width > bytes.byteLength) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: read of ${width} bytes at ${offset} is outside ${bytes.byteLength} bytes`);
  }
}

/**
 * Unsigned 16-bit little-endian integer at `offset`.
 * @throws ERR_SCAN_FILE_MALFORMED when out of bounds
 */
export function readU16(bytes: Uint8Array, offset: number, what = 'u16'): number {
  check(bytes, offset, 2, what);
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

/**
 * Unsigned 32-bit little-endian integer at `offset`.
 * @throws ERR_SCAN_FILE_MALFORMED when out of bounds
 */
export function readU32(bytes: Uint8Array, offset: number, what = 'u32'): number {
  check(bytes, offset, 4, what);
  return readU16(bytes, offset) + readU16(bytes, offset + 2) * 0x10000;
}

/**
 * Unsigned 64-bit little-endian integer at `offset`, as a number.
 * @throws ERR_SCAN_FILE_MALFORMED when out of bounds or above 2^53
 */
export function readU64(bytes: Uint8Array, offset: number, what = 'u64'): number {
  check(bytes, offset, 8, what);
  const high = readU32(bytes, offset + 4);
  if (high >= 0x200000) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: 64-bit value at ${offset} is larger than 2^53`);
  return high * 0x100000000 + readU32(bytes, offset);
}

/**
 * Reads exactly `length` bytes through a file port.
 * @throws ERR_SCAN_FILE_MALFORMED when the file ends first
 */
export async function readExact(file: { read(offset: number, length: number): Promise<Uint8Array> }, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await file.read(offset, length);
  if (bytes.byteLength !== length) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: wanted ${length} bytes at ${offset}, the file ends after ${bytes.byteLength}`);
  }
  return bytes;
}

/** True when `bytes` starts with `prefix` at `offset`. */
export function hasBytesAt(bytes: Uint8Array, offset: number, prefix: readonly number[]): boolean {
  if (offset < 0 || offset + prefix.length > bytes.byteLength) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}
