/**
 * JSON output of a registry scan: a superset of SigScan's `repo` document
 * (`registry.signatures[]{path, digest, thumbprints, subjectname}` and `name`), plus every entry
 * met, the failures above tag level, and a summary.
 */
import { countRepoSignatures, describeRepoSigner, type RepoEntry, type RepoScanReport, type RepoSignature } from './repo-report.ts';
import type { Problem } from './report.ts';

/** One signature row: SigScan's four fields first, then sigil's. */
export interface JsonRepoSignatureRow extends RepoSignature {
  /** `repository:tag` (with `@os/arch` for a platform of an index) */
  readonly path: string;
  /** the signed manifest's digest */
  readonly digest: string | null;
  /** Notary: the chain thumbprints, comma-joined lowercase hex (SigScan kept the JSON quotes in); `""` for other kinds */
  readonly thumbprints: string;
  /** the certificate subject DN, else the Fulcio SAN and issuer, else the key fingerprint or `Unknown KeyPair` */
  readonly subjectname: string;
}

/** The JSON document's shape. */
export interface JsonRepoDocument {
  readonly registry: { readonly signatures: readonly JsonRepoSignatureRow[] };
  readonly name: string;
  readonly namespace: string;
  readonly entries: readonly (Omit<RepoEntry, 'signatures'> & { readonly signatureCount: number })[];
  readonly problems: readonly { readonly repository: string | null; readonly code: Problem['code']; readonly message: string }[];
  readonly summary: { readonly entries: number; readonly signatures: number; readonly verified: number; readonly failed: number; readonly unsigned: number; readonly problems: number };
}

/** Builds the JSON document of a registry scan. */
export function toRepoJsonDocument(report: RepoScanReport): JsonRepoDocument {
  const signatures = report.entries.flatMap((e) => e.signatures.map((s): JsonRepoSignatureRow => ({
    path: e.path, digest: e.digest, thumbprints: s.signer.thumbprints.join(','), subjectname: describeRepoSigner(s.signer), ...s,
  })));
  return {
    registry: { signatures },
    name: report.namespace === '' ? report.registry : `${report.registry}/${report.namespace}`,
    namespace: report.namespace,
    entries: report.entries.map(({ signatures: sigs, ...rest }) => ({ ...rest, signatureCount: sigs.length })),
    problems: report.problems.map((p) => ({ repository: p.repository, ...p.problem })),
    summary: {
      entries: report.entries.length,
      signatures: countRepoSignatures(report),
      verified: signatures.filter((s) => s.status === 'verified').length,
      failed: signatures.filter((s) => s.status === 'failed').length,
      unsigned: report.entries.filter((e) => e.digest !== null && e.signatures.length === 0).length,
      problems: report.problems.length + report.entries.reduce((n, e) => n + e.problems.length, 0),
    },
  };
}

/** The JSON text of a registry scan (two-space indented, newline-terminated). */
export function renderRepoJson(report: RepoScanReport): string {
  return `${JSON.stringify(toRepoJsonDocument(report), null, 2)}\n`;
}
