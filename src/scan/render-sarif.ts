/**
 * SARIF 2.1.0 output (OASIS SARIF v2.1.0): one result per problem (on a signature or a file) and a
 * note per unsigned JAR/PE file; rule ids are the catalogue codes, plus `unsigned-file`.
 */
import { ERRORS, type ErrorCode } from '../core/index.ts';
import { isUnsigned } from './findings.ts';
import type { ScanReport } from './report.ts';

interface SarifResult {
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly { readonly physicalLocation: { readonly artifactLocation: { readonly uri: string } } }[];
}

// SARIF §3.10: artifact locations are URI references; absolute paths become file:// URIs, and each
// segment is percent-encoded so names with '#', '?' or '%' survive.
function toUri(path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return path.startsWith('/') ? `file://${encoded}` : encoded;
}

function result(ruleId: string, level: SarifResult['level'], text: string, path: string): SarifResult {
  return { ruleId, level, message: { text }, locations: [{ physicalLocation: { artifactLocation: { uri: toUri(path) } } }] };
}

function collect(report: ScanReport): SarifResult[] {
  const results: SarifResult[] = [];
  for (const e of report.entries) {
    for (const s of e.signatures) {
      for (const p of s.problems) results.push(result(p.code, 'error', `${s.signer} (${s.subject}): ${p.message}`, e.path));
    }
    for (const p of e.problems) results.push(result(p.code, ERRORS[p.code].kind === 'verification' ? 'error' : 'warning', p.message, e.path));
    if (isUnsigned(e)) results.push(result('unsigned-file', 'note', `${e.kind} file has no signature`, e.path));
  }
  return results;
}

/** The SARIF 2.1.0 log of a scan, as text. */
export function renderSarif(report: ScanReport, toolVersion: string): string {
  const results = collect(report);
  const ruleIds = [...new Set(results.map((r) => r.ruleId))].sort();
  const rules = ruleIds.map((id) => ({
    id,
    shortDescription: { text: id in ERRORS ? ERRORS[id as ErrorCode].summary : 'a jar or pe file carries no signature' },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'sigil', version: toolVersion, rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
