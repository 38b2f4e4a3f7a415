/**
 * What `--fail-on` matches: unsigned JAR/PE files, and signatures or files that did not verify.
 */
import type { FileReport, ScanReport } from './report.ts';

/** Finding classes `--fail-on` accepts. */
export type FindingKind = 'unsigned' | 'unverified';

/** Every finding class. */
export const FINDING_KINDS: readonly FindingKind[] = ['unsigned', 'unverified'];

/** True for a JAR or PE file that carries no signature and could be read fine. */
export function isUnsigned(entry: FileReport): boolean {
  return (entry.kind === 'jar' || entry.kind === 'pe') && entry.signatures.length === 0 && entry.problems.length === 0;
}

/** True for a JAR or PE file with a failed signature, or one that could not be checked (malformed, too large). */
export function isUnverified(entry: FileReport): boolean {
  if (entry.kind !== 'jar' && entry.kind !== 'pe') return false;
  return entry.problems.length > 0 || entry.signatures.some((s) => s.status === 'failed');
}

/** The entries matching any of `kinds`, in report order. */
export function listFindings(report: ScanReport, kinds: readonly FindingKind[]): readonly FileReport[] {
  return report.entries.filter((e) => (kinds.includes('unsigned') && isUnsigned(e)) || (kinds.includes('unverified') && isUnverified(e)));
}
