/**
 * PE/COFF layout as far as Authenticode needs it (Microsoft PE Format specification; Authenticode
 * PE spec "Calculating the PE Image Hash"): where the CheckSum field and the certificate table
 * directory entry sit, and the WIN_CERTIFICATE entries of the attribute certificate table.
 */
import { InputError } from '../core/index.ts';
import { hasBytesAt, readExact, readU16, readU32 } from './le-bytes.ts';
import type { RandomAccessFile } from './ports.ts';

/** Where the Authenticode-relevant fields of a PE file are (file offsets). */
export interface PeLayout {
  readonly format: 'pe32' | 'pe32+';
  readonly checksumOffset: number;
  /** the 8-byte certificate table entry (data directory 4); null when the header has fewer directories */
  readonly certDirectoryOffset: number | null;
  /** the attribute certificate table; a file offset, not an RVA; null when the file is unsigned */
  readonly certTable: { readonly offset: number; readonly size: number } | null;
}

/** One WIN_CERTIFICATE entry. */
export interface WinCertificate {
  readonly revision: number;
  /** 0x0002 = WIN_CERT_TYPE_PKCS_SIGNED_DATA */
  readonly type: number;
  readonly data: Uint8Array;
}

/** The most WIN_CERTIFICATE entries the scanner reads from one table (real files carry one or two). */
export const MAX_WIN_CERTIFICATES = 64;

/** The largest certificate table the scanner reads. */
export const MAX_CERT_TABLE_BYTES = 16 << 20;

function malformed(message: string): InputError {
  return new InputError('ERR_SCAN_FILE_MALFORMED', `pe: ${message}`);
}

/** True when the bytes start with the DOS `MZ` magic. */
export function hasPeMagic(head: Uint8Array): boolean {
  return hasBytesAt(head, 0, [0x4d, 0x5a]);
}

/**
 * Reads the DOS, COFF and optional headers.
 * @throws ERR_SCAN_FILE_MALFORMED when they are truncated, inconsistent or not PE32/PE32+
 */
export async function parsePeLayout(file: RandomAccessFile): Promise<PeLayout> {
  const dos = await readExact(file, 0, 64, 'dos header');
  if (!hasPeMagic(dos)) throw malformed('no MZ signature');
  const peAt = readU32(dos, 0x3c);
  if (peAt + 24 > file.sizeBytes) throw malformed(`e_lfanew ${peAt} is outside the ${file.sizeBytes}-byte file`);
  const coff = await readExact(file, peAt, 24, 'coff header');
  if (!hasBytesAt(coff, 0, [0x50, 0x45, 0, 0])) throw malformed(`no PE signature at ${peAt}`);
  const optSize = readU16(coff, 20);
  const optAt = peAt + 24;
  const opt = await readExact(file, optAt, optSize, 'optional header');
  const magic = readU16(opt, 0, 'optional header magic');
  if (magic !== 0x10b && magic !== 0x20b) throw malformed(`optional header magic 0x${magic.toString(16)} is neither PE32 nor PE32+`);
  const pe32Plus = magic === 0x20b;
  const dirCount = readU32(opt, pe32Plus ? 108 : 92, 'NumberOfRvaAndSizes');
  const dirAt = (pe32Plus ? 112 : 96) + 4 * 8;
  const hasCertDir = dirCount >= 5 && dirAt + 8 <= optSize;
  const layout = { format: pe32Plus ? 'pe32+' as const : 'pe32' as const, checksumOffset: optAt + 64, certDirectoryOffset: hasCertDir ? optAt + dirAt : null };
  if (!hasCertDir) return { ...layout, certTable: null };
  const offset = readU32(opt, dirAt);
  const size = readU32(opt, dirAt + 4);
  if (offset === 0 && size === 0) return { ...layout, certTable: null };
  if (offset < optAt + optSize || offset + size > file.sizeBytes) throw malformed(`certificate table [${offset}, +${size}) is outside the file`);
  if (size > MAX_CERT_TABLE_BYTES) throw malformed(`certificate table of ${size} bytes is larger than ${MAX_CERT_TABLE_BYTES}`);
  return { ...layout, certTable: { offset, size } };
}

/**
 * Splits the attribute certificate table into its WIN_CERTIFICATE entries (each padded to 8 bytes).
 * @throws ERR_SCAN_FILE_MALFORMED when an entry's length runs past the table, or there are too many
 */
export function parseCertificateTable(table: Uint8Array): readonly WinCertificate[] {
  const out: WinCertificate[] = [];
  let at = 0;
  while (at + 8 <= table.byteLength) {
    const length = readU32(table, at);
    if (length < 8 || at + length > table.byteLength) throw malformed(`WIN_CERTIFICATE at ${at} has length ${length}, past the ${table.byteLength}-byte table`);
    if (out.length === MAX_WIN_CERTIFICATES) throw malformed(`more than ${MAX_WIN_CERTIFICATES} WIN_CERTIFICATE entries`);
    out.push({ revision: readU16(table, at + 4), type: readU16(table, at + 6), data: table.subarray(at + 8, at + length) });
    at += Math.ceil(length / 8) * 8;
  }
  return out;
}

/** The byte ranges the Authenticode image hash covers: everything but CheckSum, the certificate table entry and the table itself. */
export function imageHashRanges(layout: PeLayout, fileSize: number): readonly (readonly [number, number])[] {
  const ranges: [number, number][] = [[0, layout.checksumOffset]];
  if (layout.certDirectoryOffset === null) return [...ranges, [layout.checksumOffset + 4, fileSize]];
  ranges.push([layout.checksumOffset + 4, layout.certDirectoryOffset]);
  const table = layout.certTable;
  ranges.push([layout.certDirectoryOffset + 8, table ? table.offset : fileSize]);
  if (table && table.offset + table.size < fileSize) ranges.push([table.offset + table.size, fileSize]);
  return ranges;
}
