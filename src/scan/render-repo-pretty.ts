/**
 * Pretty output of a registry scan: the registry, a row per tag (and per platform) with a ✅/❌
 * column per signature format, the signers, the problems, and SigScan's closing line
 * "Found N signatures out of M entries".
 */
import { formatTable } from './render-pretty.ts';
import { countRepoSignatures, describeRepoSigner, type RepoEntry, type RepoScanReport, type RepoSignatureKind } from './repo-report.ts';

const COLUMNS: readonly [RepoSignatureKind, string][] = [['notary', 'NotaryV2'], ['cosign', 'Cosign'], ['cosign-attestation', 'Attestation'], ['sigstore-bundle', 'Bundle']];

function mark(entry: RepoEntry, kind: RepoSignatureKind): string {
  return entry.signatures.some((s) => s.kind === kind) ? '✅' : '❌';
}

function verdict(entry: RepoEntry): string {
  if (entry.problems.length > 0 && entry.digest === null) return 'error';
  if (entry.signatures.length === 0) return entry.problems.length > 0 ? 'error' : 'unsigned';
  const failed = entry.signatures.filter((s) => s.status === 'failed').length;
  const verified = entry.signatures.filter((s) => s.status === 'verified').length;
  if (failed === 0 && verified === 0) return 'not checked';
  return failed === 0 ? 'verified' : `${verified} verified, ${failed} failed`;
}

function shortDigest(digest: string | null): string {
  return digest === null ? 'N/A' : digest.slice(0, 19);
}

/** The pretty text of a registry scan. */
export function renderRepoPretty(report: RepoScanReport): string {
  const rows: string[][] = [['Path', 'Digest', ...COLUMNS.map(([, title]) => title), 'Signers', 'Status']];
  for (const e of report.entries) {
    const signers = [...new Set(e.signatures.map((s) => describeRepoSigner(s.signer)))].join('; ');
    rows.push([e.path, shortDigest(e.digest), ...COLUMNS.map(([kind]) => mark(e, kind)), signers || '-', verdict(e)]);
  }
  const name = report.namespace === '' ? report.registry : `${report.registry}/${report.namespace}`;
  const out = [`Registry: ${name}`, ''];
  if (rows.length > 1) out.push(...formatTable(rows), '');
  const problems = [
    ...report.problems.map((p) => `  ${p.repository ?? name}: ${p.problem.message} (${p.problem.code})`),
    ...report.entries.flatMap((e) => [
      ...e.problems.map((p) => `  ${e.path}: ${p.message} (${p.code})`),
      ...e.signatures.flatMap((s) => s.problems.map((p) => `  ${e.path} [${s.kind} ${s.manifestDigest.slice(0, 19)}]: ${p.message} (${p.code})`)),
    ]),
  ];
  if (problems.length > 0) out.push('Problems:', ...problems, '');
  out.push(`Found ${countRepoSignatures(report)} signatures out of ${report.entries.length} entries`);
  return `${out.join('\n')}\n`;
}
