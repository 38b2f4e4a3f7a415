// An in-memory RandomAccessFile for the scanner's pure tests, counting the bytes it hands out.
import type { RandomAccessFile } from '../../src/scan/index.ts';

/** A RandomAccessFile over `bytes`; `bytesRead` tells how much the scanner asked for. */
export function memoryFile(bytes: Uint8Array): RandomAccessFile & { readonly bytesRead: number } {
  let read = 0;
  return {
    sizeBytes: bytes.byteLength,
    get bytesRead() { return read; },
    async read(offset, length) {
      const out = bytes.slice(offset, Math.min(bytes.byteLength, offset + length));
      read += out.byteLength;
      return out;
    },
  };
}
