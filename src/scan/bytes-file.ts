/**
 * A RandomAccessFile over bytes already in memory (an archive member that was inflated).
 */
import type { RandomAccessFile } from './ports.ts';

/** Wraps `bytes` as a RandomAccessFile; reads past the end come back short. */
export function createBytesFile(bytes: Uint8Array): RandomAccessFile {
  return {
    sizeBytes: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.byteLength), Math.min(bytes.byteLength, offset + length)),
  };
}
