/**
 * CSV output (RFC 4180): one row per signature, and one per entry problem, with a header row.
 */
import type { ScanReport } from './report.ts';

const HEADER = ['path', 'digest', 'kind', 'subjectname', 'countersigner', 'signer', 'digestAlgorithm', 'signatureAlgorithm', 'timestamp', 'status', 'trust', 'problems'];

function cell(value: string): string {
  // quote when needed; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV text of a scan. */
export function renderCsv(report: ScanReport): string {
  const rows: string[][] = [HEADER];
  for (const e of report.entries) {
    for (const s of e.signatures) {
      rows.push([e.path, e.digest ?? '', e.kind, s.subject, s.timestamp?.subject ?? '', s.signer, s.digestAlgorithm, s.signatureAlgorithm,
        s.timestamp?.time ?? '', s.status, s.trust, s.problems.map((p) => p.code).join(' ')]);
    }
    for (const p of e.problems) rows.push([e.path, e.digest ?? '', e.kind, '', '', '', '', '', '', 'problem', '', `${p.code}: ${p.message}`]);
  }
  return formatCsv(rows);
}

/** Rows as CSV text: cells quoted when needed and guarded against spreadsheet formulas, CRLF line ends. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
