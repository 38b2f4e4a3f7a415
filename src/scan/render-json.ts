/**
 * JSON output: a superset of SigScan's `fs` document (`filesystem.signatures[]{path, digest,
 * subjectname, countersigner}` and `directories`), plus every entry met and a summary.
 */
import { countSignatures, type FileReport, type ScanReport, type SignatureReport } from './report.ts';

/** One signature row: SigScan's four fields first, then sigil's. */
export interface JsonSignatureRow extends SignatureReport {
  readonly path: string;
  readonly digest: string | null;
  readonly subjectname: string;
  /** the timestamp authority's subject, `""` when the signature has no timestamp (SigScan's field) */
  readonly countersigner: string;
}

/** One path met, without its signatures (they are the rows above). */
export interface JsonEntry extends Omit<FileReport, 'signatures'> {
  readonly signatureCount: number;
}

/** The JSON document's shape. */
export interface JsonScanDocument {
  readonly filesystem: { readonly signatures: readonly JsonSignatureRow[] };
  readonly directories: string;
  readonly entries: readonly JsonEntry[];
  readonly summary: { readonly entries: number; readonly signatures: number; readonly verified: number; readonly failed: number; readonly problems: number };
}

/** Builds the JSON document of a scan. */
export function toJsonDocument(report: ScanReport): JsonScanDocument {
  const signatures = report.entries.flatMap((e) => e.signatures.map((s): JsonSignatureRow => ({
    path: e.path, digest: e.digest, subjectname: s.subject, countersigner: s.timestamp?.subject ?? '', ...s,
  })));
  return {
    filesystem: { signatures },
    directories: report.directories.join(','),
    entries: report.entries.map(({ signatures: sigs, ...rest }) => ({ ...rest, signatureCount: sigs.length })),
    summary: {
      entries: report.entries.length,
      signatures: countSignatures(report),
      verified: signatures.filter((s) => s.status === 'verified').length,
      failed: signatures.filter((s) => s.status === 'failed').length,
      problems: report.entries.reduce((n, e) => n + e.problems.length, 0),
    },
  };
}

/** The JSON text of a scan (two-space indented, newline-terminated). */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonDocument(report), null, 2)}\n`;
}
