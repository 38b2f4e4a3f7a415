/**
 * Reads one zip entry's bytes: stored or deflated, CRC-checked, and never inflated past the
 * caps (per entry, and per archive through a shared budget), so a zip bomb costs at most the cap.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { InputError } from '../core/index.ts';
import { readExact, readU16, readU32 } from './le-bytes.ts';
import type { RandomAccessFile } from './ports.ts';
import type { ZipEntry, ZipLimits } from './zip.ts';

const LOCAL_SIG = 0x04034b50;

/** Bytes an archive may still inflate; shared by every entry read from it. */
export interface InflateBudget { remainingBytes: number }

/** A fresh budget for one archive. */
export function createInflateBudget(limits: ZipLimits): InflateBudget {
  return { remainingBytes: limits.maxArchiveBytes };
}

function limit(message: string): InputError {
  return new InputError('ERR_SCAN_ARCHIVE_LIMIT', `zip: ${message}`);
}

function inflate(name: string, compressed: Uint8Array, declared: number): Uint8Array {
  try {
    // one byte more than declared, so an entry that inflates past its declared size is caught
    return new Uint8Array(inflateRawSync(compressed, { maxOutputLength: declared + 1 }));
  } catch (cause) {
    if (cause instanceof RangeError) throw limit(`entry ${JSON.stringify(name)} inflates past its declared ${declared} bytes`);
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: entry ${JSON.stringify(name)} is not valid deflate data`, { cause });
  }
}

/**
 * Reads and decompresses one entry.
 * @throws ERR_SCAN_ARCHIVE_LIMIT (entry or archive cap), ERR_SCAN_FILE_MALFORMED (bad header, method, size or CRC)
 */
export async function readZipEntry(file: RandomAccessFile, entry: ZipEntry, limits: ZipLimits, budget: InflateBudget): Promise<Uint8Array> {
  const name = JSON.stringify(entry.name);
  if (entry.uncompressedSize > limits.maxEntryBytes) throw limit(`entry ${name} declares ${entry.uncompressedSize} bytes, more than the ${limits.maxEntryBytes}-byte cap`);
  if (entry.compressedSize > limits.maxEntryBytes) throw limit(`entry ${name} has ${entry.compressedSize} compressed bytes, more than the ${limits.maxEntryBytes}-byte cap`);
  if (entry.uncompressedSize > budget.remainingBytes) throw limit(`the archive inflates past the ${limits.maxArchiveBytes}-byte cap`);
  if ((entry.flags & 1) !== 0) throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: entry ${name} is encrypted`);
  const header = await readExact(file, entry.localHeaderOffset, 30, `local header of ${name}`);
  if (readU32(header, 0) !== LOCAL_SIG) throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: no local header for ${name} at ${entry.localHeaderOffset}`);
  const dataAt = entry.localHeaderOffset + 30 + readU16(header, 26) + readU16(header, 28);
  const compressed = await readExact(file, dataAt, entry.compressedSize, `data of ${name}`);
  let data: Uint8Array;
  if (entry.method === 0) data = compressed;
  else if (entry.method === 8) data = inflate(entry.name, compressed, entry.uncompressedSize);
  else throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: entry ${name} uses compression method ${entry.method}`);
  if (data.byteLength !== entry.uncompressedSize) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: entry ${name} holds ${data.byteLength} bytes, not the declared ${entry.uncompressedSize}`);
  }
  if (crc32(data) !== entry.crc32) throw new InputError('ERR_SCAN_FILE_MALFORMED', `zip: entry ${name} fails its crc-32 check`);
  budget.remainingBytes -= data.byteLength;
  return data;
}
