/**
 * Archives inside archives: the JARs a WAR (WEB-INF/lib), an EAR or a fat JAR (BOOT-INF/lib)
 * carries are signed on their own, so each is inflated (within the zip caps) and scanned as an
 * entry of its own, named `outer.war!/WEB-INF/lib/x.jar` like Java's jar: URLs.
 */
import { InputError } from '../core/index.ts';
import { createBytesFile } from './bytes-file.ts';
import type { RandomAccessFile } from './ports.ts';
import { toProblem, type FileReport, type Problem } from './report.ts';
import { scanFile, type ScanOptions } from './scanner.ts';
import { createInflateBudget, readZipEntry, type InflateBudget } from './zip-entry.ts';
import { readZipDirectory, type ZipEntry } from './zip.ts';

/** How deep archives are opened: a WAR's JARs yes, JARs inside those JARs no. */
export const MAX_ARCHIVE_DEPTH = 1;

/** The most member archives opened per archive. */
export const MAX_MEMBER_ARCHIVES = 256;

const MEMBER_NAMES = /\.(jar|war|ear|apk)$/i;

async function scanMembers(path: string, file: RandomAccessFile, entries: readonly ZipEntry[], options: ScanOptions, depth: number, budget: InflateBudget): Promise<{ reports: FileReport[]; problems: Problem[] }> {
  const members = entries.filter((e) => MEMBER_NAMES.test(e.name) && !e.name.endsWith('/'));
  const problems: Problem[] = [];
  if (members.length > MAX_MEMBER_ARCHIVES) {
    problems.push(toProblem(new InputError('ERR_SCAN_ARCHIVE_LIMIT', `${members.length} archives inside, only the first ${MAX_MEMBER_ARCHIVES} are scanned`)));
  }
  const reports: FileReport[] = [];
  for (const member of members.slice(0, MAX_MEMBER_ARCHIVES)) {
    const name = `${path}!/${member.name}`;
    let bytes: Uint8Array;
    try { bytes = await readZipEntry(file, member, options.zip, budget); } catch (error) {
      reports.push({ path: name, kind: 'jar', sizeBytes: member.uncompressedSize, digest: null, signatures: [], problems: [toProblem(error)] });
      continue;
    }
    reports.push(...(await scanTree(name, createBytesFile(bytes), options, depth + 1, budget)));
  }
  return { reports, problems };
}

// Members, and everything inside them, inflate against one budget per top-level file.
async function scanTree(path: string, file: RandomAccessFile, options: ScanOptions, depth: number, budget: InflateBudget | null): Promise<readonly FileReport[]> {
  const report = await scanFile(path, file, options, budget);
  if (report.kind !== 'jar' || report.digest === null || depth >= MAX_ARCHIVE_DEPTH) return [report];
  let entries: readonly ZipEntry[];
  try { entries = await readZipDirectory(file, options.zip); } catch { return [report]; }
  const { reports, problems } = await scanMembers(path, file, entries, options, depth, budget ?? createInflateBudget(options.zip));
  return [problems.length > 0 ? { ...report, problems: [...report.problems, ...problems] } : report, ...reports];
}

/** Scans a file and, for a JAR/WAR/EAR that could be checked, the archives inside it; the file's own entry comes first. */
export async function scanFileDeep(path: string, file: RandomAccessFile, options: ScanOptions): Promise<readonly FileReport[]> {
  return scanTree(path, file, options, 0, null);
}
