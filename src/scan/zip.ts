/**
 * The zip central directory (PKWARE APPNOTE 6.3.x §4.3), read through random access so huge
 * archives are never loaded whole. Bounds-checked, zip64-aware, and capped: an archive with an
 * absurd entry count or central directory size is refused rather than parsed.
 */
import { InputError, decodeUtf8 } from '../core/index.ts';
import { readExact, readU16, readU32, readU64 } from './le-bytes.ts';
import type { RandomAccessFile } from './ports.ts';

/** One central directory record. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** Safety limits for reading archives. */
export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxCentralDirectoryBytes: number;
  /** the most bytes one entry may inflate to; larger entries are refused (zip bomb) */
  readonly maxEntryBytes: number;
  /** the most bytes all entries of one archive may inflate to together */
  readonly maxArchiveBytes: number;
}

/** Limits used when the caller gives none. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 100_000, maxCentralDirectoryBytes: 64 << 20, maxEntryBytes: 64 << 20, maxArchiveBytes: 1 << 30 };

const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CDH_SIG = 0x02014b50;
const MAX_COMMENT = 0xffff;

function malformed(message: string): InputError {
  return new InputError('ERR_SCAN_FILE_MALFORMED', `zip: ${message}`);
}

interface DirectoryLocation {
  readonly entries: number;
  readonly size: number;
  readonly offset: number;
  /** where the directory really ends: the end record, or the zip64 end record */
  readonly endsAt: number;
}

async function findEndOfCentralDirectory(file: RandomAccessFile): Promise<{ readonly at: number; readonly record: Uint8Array }> {
  const tailLength = Math.min(file.sizeBytes, 22 + MAX_COMMENT);
  const tailStart = file.sizeBytes - tailLength;
  const tail = await readExact(file, tailStart, tailLength, 'zip end record');
  for (let i = tailLength - 22; i >= 0; i -= 1) {
    if (readU32(tail, i) === EOCD_SIG && i + 22 + readU16(tail, i + 20) <= tailLength) {
      return { at: tailStart + i, record: tail.subarray(i, i + 22) };
    }
  }
  throw malformed('no end of central directory record');
}

async function readZip64Location(file: RandomAccessFile, eocdAt: number): Promise<DirectoryLocation> {
  if (eocdAt < 20) throw malformed('zip64 values without a zip64 locator');
  const locator = await readExact(file, eocdAt - 20, 20, 'zip64 locator');
  if (readU32(locator, 0) !== EOCD64_LOCATOR_SIG) throw malformed('zip64 values without a zip64 locator');
  const at = readU64(locator, 8, 'zip64 end offset');
  const record = await readExact(file, at, 56, 'zip64 end record');
  if (readU32(record, 0) !== EOCD64_SIG) throw malformed(`no zip64 end record at ${at}`);
  return { entries: readU64(record, 32), size: readU64(record, 40), offset: readU64(record, 48), endsAt: at };
}

/** True when the file ends with a zip end-of-central-directory record (cheap sniff on the tail). */
export async function isZip(file: RandomAccessFile): Promise<boolean> {
  if (file.sizeBytes < 22) return false;
  try { await findEndOfCentralDirectory(file); return true; } catch { return false; }
}

// Offsets count from the start of the archive; a prefix (a launcher script before an executable
// jar) shifts them all by the same amount, found where the directory really ends (as Go's archive/zip does).
async function locateDirectory(file: RandomAccessFile, limits: ZipLimits): Promise<DirectoryLocation & { readonly base: number }> {
  const { at, record } = await findEndOfCentralDirectory(file);
  let loc: DirectoryLocation = { entries: readU16(record, 10), size: readU32(record, 12), offset: readU32(record, 16), endsAt: at };
  if (loc.entries === 0xffff || loc.size === 0xffffffff || loc.offset === 0xffffffff) loc = await readZip64Location(file, at);
  if (loc.entries > limits.maxEntries) throw new InputError('ERR_SCAN_ARCHIVE_LIMIT', `zip: ${loc.entries} entries, more than the limit ${limits.maxEntries}`);
  if (loc.size > limits.maxCentralDirectoryBytes) throw new InputError('ERR_SCAN_ARCHIVE_LIMIT', `zip: central directory of ${loc.size} bytes, more than the limit`);
  const base = loc.endsAt - loc.size - loc.offset;
  if (base < 0) throw malformed(`central directory [${loc.offset}, +${loc.size}) is outside the ${file.sizeBytes}-byte file`);
  if (loc.entries * 46 > loc.size) throw malformed(`${loc.entries} entries cannot fit in ${loc.size} bytes`);
  return { ...loc, base };
}

function decodeName(bytes: Uint8Array): string {
  try { return decodeUtf8(bytes); } catch { return Array.from(bytes, (b) => String.fromCharCode(b)).join(''); }
}

// APPNOTE §4.5.3: the zip64 extra field holds, in this order, only the values whose 32-bit field is saturated.
function applyZip64Extra(extra: Uint8Array, sizes: { uncompressed: number; compressed: number; offset: number }): void {
  let i = 0;
  while (i + 4 <= extra.byteLength) {
    const id = readU16(extra, i);
    const len = readU16(extra, i + 2);
    if (id === 0x0001) {
      const field = extra.subarray(i + 4, i + 4 + len);
      let p = 0;
      if (sizes.uncompressed === 0xffffffff) { sizes.uncompressed = readU64(field, p, 'zip64 size'); p += 8; }
      if (sizes.compressed === 0xffffffff) { sizes.compressed = readU64(field, p, 'zip64 size'); p += 8; }
      if (sizes.offset === 0xffffffff) sizes.offset = readU64(field, p, 'zip64 offset');
      return;
    }
    i += 4 + len;
  }
}

function parseRecord(cd: Uint8Array, at: number, base: number, fileSize: number): { readonly entry: ZipEntry; readonly next: number } {
  if (readU32(cd, at, 'central directory') !== CDH_SIG) throw malformed(`bad central directory record at ${at}`);
  const nameLength = readU16(cd, at + 28);
  const extraLength = readU16(cd, at + 30);
  const commentLength = readU16(cd, at + 32);
  const end = at + 46 + nameLength + extraLength + commentLength;
  if (end > cd.byteLength) throw malformed(`central directory record at ${at} runs past the directory`);
  const sizes = { compressed: readU32(cd, at + 20), uncompressed: readU32(cd, at + 24), offset: readU32(cd, at + 42) };
  applyZip64Extra(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), sizes);
  const name = decodeName(cd.subarray(at + 46, at + 46 + nameLength));
  sizes.offset += base;
  if (sizes.offset + 30 + sizes.compressed > fileSize) throw malformed(`entry ${JSON.stringify(name)} declares data outside the file`);
  const entry: ZipEntry = {
    name, flags: readU16(cd, at + 8), method: readU16(cd, at + 10), crc32: readU32(cd, at + 16),
    compressedSize: sizes.compressed, uncompressedSize: sizes.uncompressed, localHeaderOffset: sizes.offset,
  };
  return { entry, next: end };
}

/**
 * Reads every central directory record of a zip file.
 * @throws ERR_SCAN_FILE_MALFORMED (truncated or inconsistent), ERR_SCAN_ARCHIVE_LIMIT (too many entries, huge directory)
 */
export async function readZipDirectory(file: RandomAccessFile, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<readonly ZipEntry[]> {
  const loc = await locateDirectory(file, limits);
  const cd = await readExact(file, loc.base + loc.offset, loc.size, 'central directory');
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < loc.entries; i += 1) {
    const { entry, next } = parseRecord(cd, at, loc.base, file.sizeBytes);
    entries.push(entry);
    at = next;
  }
  return entries;
}
