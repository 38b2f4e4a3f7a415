/**
 * Scans one file: sniffs its format (PE by `MZ`, JAR by a zip with META-INF/MANIFEST.MF), hashes
 * it, and reports every signature in it. Never throws for bad input: each failure becomes a
 * problem on the entry, so a walk over many files goes on.
 */
import { InputError } from '../core/index.ts';
import { scanAuthenticode } from './authenticode.ts';
import { sha256File } from './file-hash.ts';
import { isJarDirectory, scanJar } from './jar.ts';
import { hasBytesAt } from './le-bytes.ts';
import { hasPeMagic, parsePeLayout } from './pe.ts';
import type { RandomAccessFile } from './ports.ts';
import { toProblem, type EntryKind, type FileReport, type PeDetails, type Problem, type SignatureReport } from './report.ts';
import { DEFAULT_ZIP_LIMITS, isZip, readZipDirectory, type ZipEntry, type ZipLimits } from './zip.ts';
import type { ScanTrust } from './trust.ts';
import type { InflateBudget } from './zip-entry.ts';

/** Scan settings. */
export interface ScanOptions {
  /** files recognised as JAR or PE and larger than this are neither hashed nor checked */
  readonly maxHashBytes: number;
  readonly zip: ZipLimits;
  /** anchors to judge signer chains against (--ca-file); null reports chains as not-checked */
  readonly trust: ScanTrust | null;
}

/** Settings used when the caller gives none: hash files up to 4 GiB. */
export const DEFAULT_SCAN_OPTIONS: ScanOptions = { maxHashBytes: 4 * 1024 ** 3, zip: DEFAULT_ZIP_LIMITS, trust: null };

const ZIP_EXTENSIONS = /\.(jar|war|ear|apk|zip)$/i;
const JAR_EXTENSIONS = /\.(jar|war|ear|apk)$/i;

interface Found { readonly signatures: readonly SignatureReport[]; readonly problems: readonly Problem[]; readonly pe?: PeDetails }

async function sniff(path: string, file: RandomAccessFile, options: ScanOptions): Promise<'pe' | 'zip' | 'other'> {
  const head = await file.read(0, 4);
  if (hasPeMagic(head)) return 'pe';
  const zipHead = hasBytesAt(head, 0, [0x50, 0x4b, 0x03, 0x04]) || hasBytesAt(head, 0, [0x50, 0x4b, 0x05, 0x06]);
  // a zip may carry a prefix (launcher scripts before an executable jar): look at the tail for named archives
  if (zipHead || (ZIP_EXTENSIONS.test(path) && file.sizeBytes <= options.maxHashBytes && (await isZip(file)))) return 'zip';
  return 'other';
}

function entry(path: string, kind: EntryKind, sizeBytes: number | null, digest: string | null, found: Found): FileReport {
  const base = { path, kind, sizeBytes, digest, signatures: found.signatures, problems: found.problems };
  return found.pe ? { ...base, pe: found.pe } : base;
}

// A zip is a JAR when it has a manifest; a zip whose directory is broken counts as a JAR only by its name.
async function classifyZip(path: string, file: RandomAccessFile, options: ScanOptions): Promise<{ kind: EntryKind; entries: readonly ZipEntry[] } | FileReport> {
  try {
    const entries = await readZipDirectory(file, options.zip);
    return { kind: isJarDirectory(entries) ? 'jar' : 'other', entries };
  } catch (error) {
    return entry(path, JAR_EXTENSIONS.test(path) ? 'jar' : 'other', file.sizeBytes, null, { signatures: [], problems: [toProblem(error)] });
  }
}

async function checkFile(path: string, file: RandomAccessFile, kind: 'jar' | 'pe', entries: readonly ZipEntry[], options: ScanOptions, budget: InflateBudget | null): Promise<FileReport> {
  const size = file.sizeBytes;
  if (size > options.maxHashBytes) {
    const tooLarge = new InputError('ERR_SCAN_FILE_TOO_LARGE', `${size} bytes is more than --max-hash-size ${options.maxHashBytes}: not hashed or checked`);
    return entry(path, kind, size, null, { signatures: [], problems: [toProblem(tooLarge)] });
  }
  let digest: string | null = null;
  try {
    digest = await sha256File(file);
    const found = kind === 'pe' ? await scanAuthenticode(file, await parsePeLayout(file), options.trust) : await scanJar(file, entries, options.zip, options.trust, budget);
    return entry(path, kind, size, digest, found);
  } catch (error) {
    return entry(path, kind, size, digest, { signatures: [], problems: [toProblem(error)] });
  }
}

/**
 * Scans one open file; every failure is reported on the returned entry. `budget`, when given, is
 * the inflate budget shared with the archive this file came out of (so nesting cannot multiply it).
 */
export async function scanFile(path: string, file: RandomAccessFile, options: ScanOptions = DEFAULT_SCAN_OPTIONS, budget: InflateBudget | null = null): Promise<FileReport> {
  const size = file.sizeBytes;
  let format: 'pe' | 'zip' | 'other';
  try { format = await sniff(path, file, options); } catch (error) { return entry(path, 'unreadable', size, null, { signatures: [], problems: [toProblem(error)] }); }
  if (format === 'other') return entry(path, 'other', size, null, { signatures: [], problems: [] });
  if (format === 'pe') return checkFile(path, file, 'pe', [], options, budget);
  const zip = await classifyZip(path, file, options);
  if ('path' in zip) return zip;
  if (zip.kind !== 'jar') return entry(path, 'other', size, null, { signatures: [], problems: [] });
  return checkFile(path, file, 'jar', zip.entries, options, budget);
}

/** The report entry for a path that could not be opened or is not a regular file. */
export function reportUnscannable(path: string, kind: 'unreadable' | 'unsupported', error: unknown): FileReport {
  return entry(path, kind, null, null, { signatures: [], problems: [toProblem(error)] });
}
