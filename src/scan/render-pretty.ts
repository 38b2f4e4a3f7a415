/**
 * Pretty output: the directories, a table of signatures (Path, Digest, Signer, CounterSigner,
 * Status), the problems met, and SigScan's closing line "Found N signatures out of M entries".
 */
import { isUnsigned } from './findings.ts';
import { countSignatures, type ScanReport, type SignatureReport } from './report.ts';

// emoji presentation characters the tables use are two terminal columns wide
function displayWidth(text: string): number {
  return text.length + (text.match(/[✅❌]/gu)?.length ?? 0);
}

/** Lays out rows as an aligned table with a rule under the header (✅ and ❌ take two columns in a terminal). */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? '')))) ?? [];
  const line = (r: readonly string[]): string => r.map((cell, c) => cell + ' '.repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(cell)))).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const [head, ...body] = rows;
  return head ? [line(head), rule, ...body.map(line)] : [];
}

function statusOf(s: SignatureReport): string {
  if (s.status === 'failed') return `FAILED ${[...new Set(s.problems.map((p) => p.code))].join(',')}`;
  return s.trust === 'trusted' ? 'verified, trusted' : 'verified';
}

/** The pretty text of a scan. */
export function renderPretty(report: ScanReport): string {
  const rows: string[][] = [['Path', 'Digest', 'Signer', 'CounterSigner', 'Status']];
  for (const e of report.entries) {
    for (const s of e.signatures) {
      rows.push([e.path, e.digest ?? 'N/A', s.subject || 'N/A', s.timestamp?.subject || 'N/A', statusOf(s)]);
    }
  }
  const out = [`Directories: ${report.directories.join(', ')}`, ''];
  if (rows.length > 1) out.push(...formatTable(rows), '');
  const problems = report.entries.flatMap((e) => [
    ...e.signatures.flatMap((s) => s.problems.map((p) => `  ${e.path} [${s.signer}]: ${p.message} (${p.code})`)),
    ...e.problems.map((p) => `  ${e.path}: ${p.message} (${p.code})`),
  ]);
  if (problems.length > 0) out.push('Problems:', ...problems, '');
  const unsigned = report.entries.filter(isUnsigned).map((e) => `  ${e.path}`);
  if (unsigned.length > 0) out.push('Unsigned JAR/PE files:', ...unsigned, '');
  out.push(`Found ${countSignatures(report)} signatures out of ${report.entries.length} entries`);
  return `${out.join('\n')}\n`;
}
