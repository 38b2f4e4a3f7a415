/**
 * What `scan repo --fail-on` matches: unsigned entries, and entries with a signature that did not
 * verify or that could not be read.
 */
import type { RepoEntry, RepoScanReport } from './repo-report.ts';
import type { FindingKind } from './findings.ts';

/** True for an entry that was read fine and has no signature. */
export function isRepoUnsigned(entry: RepoEntry): boolean {
  return entry.digest !== null && entry.signatures.length === 0 && entry.problems.length === 0;
}

/** True for an entry with a failed signature, or one that could not be read or searched fully. */
export function isRepoUnverified(entry: RepoEntry): boolean {
  return entry.problems.length > 0 || entry.signatures.some((s) => s.status === 'failed');
}

/** The entries matching any of `kinds` (a catalog or tag-list failure counts as unverified, with no entry: see countRepoFailures). */
export function listRepoFindings(report: RepoScanReport, kinds: readonly FindingKind[]): readonly RepoEntry[] {
  return report.entries.filter((e) => (kinds.includes('unsigned') && isRepoUnsigned(e)) || (kinds.includes('unverified') && isRepoUnverified(e)));
}
