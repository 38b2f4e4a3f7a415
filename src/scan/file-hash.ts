/**
 * Streaming digests over a random-access file: the whole-file SHA-256 the report shows, and the
 * Authenticode image hash over byte ranges. Reads in fixed chunks, so memory stays flat for any size.
 */
import { createByteHasher, type LegacyDigestAlgorithm } from '../core/index.ts';
import { readExact } from './le-bytes.ts';
import type { RandomAccessFile } from './ports.ts';

const CHUNK_BYTES = 1 << 20;

/**
 * Digests the concatenation of `ranges` ([start, end) pairs) of `file`.
 * @throws ERR_SCAN_FILE_MALFORMED when the file is shorter than a range, ERR_SCAN_FILE_UNREADABLE on read errors
 */
export async function digestFileRanges(file: RandomAccessFile, ranges: readonly (readonly [number, number])[], algorithm: LegacyDigestAlgorithm): Promise<Uint8Array> {
  const hasher = createByteHasher(algorithm);
  for (const [start, end] of ranges) {
    for (let at = start; at < end; at += CHUNK_BYTES) {
      hasher.update(await readExact(file, at, Math.min(CHUNK_BYTES, end - at), 'file data'));
    }
  }
  return hasher.digest();
}

/** Lowercase hex SHA-256 of the whole file, read in chunks. */
export async function sha256File(file: RandomAccessFile): Promise<string> {
  return Buffer.from(await digestFileRanges(file, [[0, file.sizeBytes]], 'sha256')).toString('hex');
}
