/**
 * SARIF 2.1.0 output of a registry scan: one result per problem (on a signature, an entry, a
 * repository or the catalog; rule id = catalogue code) and a note per unsigned entry. Locations
 * are `oci://registry/repository:tag` URIs.
 */
import { ERRORS, type ErrorCode } from '../core/index.ts';
import type { RepoScanReport } from './repo-report.ts';

interface SarifResult {
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly { readonly physicalLocation: { readonly artifactLocation: { readonly uri: string } } }[];
}

function result(ruleId: string, level: SarifResult['level'], text: string, uri: string): SarifResult {
  return { ruleId, level, message: { text }, locations: [{ physicalLocation: { artifactLocation: { uri } } }] };
}

function levelOf(code: ErrorCode): SarifResult['level'] {
  return ERRORS[code].kind === 'verification' ? 'error' : 'warning';
}

/** The SARIF 2.1.0 log of a registry scan, as text. */
export function renderRepoSarif(report: RepoScanReport, toolVersion: string): string {
  const base = `oci://${report.registry}`;
  const uri = (path: string): string => `${base}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const results: SarifResult[] = [];
  for (const p of report.problems) results.push(result(p.problem.code, levelOf(p.problem.code), p.problem.message, p.repository ? uri(p.repository) : base));
  for (const e of report.entries) {
    for (const s of e.signatures) for (const p of s.problems) results.push(result(p.code, levelOf(p.code), `${s.kind} signature ${s.manifestDigest}: ${p.message}`, uri(e.path)));
    for (const p of e.problems) results.push(result(p.code, levelOf(p.code), p.message, uri(e.path)));
    if (e.digest !== null && e.signatures.length === 0 && e.problems.length === 0) results.push(result('unsigned-image', 'note', `${e.path} has no signature`, uri(e.path)));
  }
  const rules = [...new Set(results.map((r) => r.ruleId))].sort().map((id) => ({
    id, shortDescription: { text: id in ERRORS ? ERRORS[id as ErrorCode].summary : 'an image manifest carries no signature' },
  }));
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [{ tool: { driver: { name: 'sigil', version: toolVersion, rules } }, results }] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
