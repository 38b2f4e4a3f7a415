/**
 * CSV output of a registry scan (RFC 4180): one row per signature, one per unsigned entry, and
 * one per problem, with a header row.
 */
import { formatCsv } from './render-csv.ts';
import { describeRepoSigner, type RepoScanReport } from './repo-report.ts';

const HEADER = ['path', 'digest', 'kind', 'subjectname', 'thumbprints', 'san', 'issuer', 'keyFingerprint', 'signingTime', 'notAfter', 'source', 'status', 'problems'];

/** The CSV text of a registry scan. */
export function renderRepoCsv(report: RepoScanReport): string {
  const rows: string[][] = [HEADER];
  for (const e of report.entries) {
    for (const s of e.signatures) {
      rows.push([e.path, e.digest ?? '', s.kind, describeRepoSigner(s.signer), s.signer.thumbprints.join(' '), s.signer.san.join(' '), s.signer.issuer,
        s.signer.keyFingerprint ?? '', s.signingTime ?? '', s.certificate?.notAfter ?? '', s.source, s.status, s.problems.map((p) => p.code).join(' ')]);
    }
    if (e.signatures.length === 0 && e.problems.length === 0) rows.push([e.path, e.digest ?? '', 'unsigned', '', '', '', '', '', '', '', '', 'unsigned', '']);
    for (const p of e.problems) rows.push([e.path, e.digest ?? '', 'problem', '', '', '', '', '', '', '', '', 'problem', `${p.code}: ${p.message}`]);
  }
  for (const p of report.problems) rows.push([p.repository ?? '', '', 'problem', '', '', '', '', '', '', '', '', 'problem', `${p.problem.code}: ${p.problem.message}`]);
  return formatCsv(rows);
}
