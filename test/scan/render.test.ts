import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCsv, renderJson, renderPretty, renderSarif, type FileReport, type ScanReport, type SignatureReport } from '../../src/scan/index.ts';

const signature: SignatureReport = {
  format: 'jar', signer: 'SIGNER', subject: '=cmd|x,"quoted"', issuer: 'CN=Root', serialHex: '0a', notBefore: null, notAfter: null, chain: [],
  digestAlgorithm: 'sha256', signatureAlgorithm: 'sha256WithRSA', timestamp: null, trust: 'not-checked', status: 'failed',
  problems: [{ code: 'ERR_SCAN_DIGEST_MISMATCH', message: 'changed' }],
};
const entry = (path: string, over: Partial<FileReport> = {}): FileReport => ({ path, kind: 'jar', sizeBytes: 1, digest: 'ab', signatures: [], problems: [], ...over });
const report: ScanReport = {
  directories: ['d1', 'd2'],
  entries: [entry('a b#1.jar', { signatures: [signature] }), entry('/abs/u.jar'), entry('x.txt', { kind: 'other', digest: null })],
};

test('pretty: empty scan still ends with the summary line', () => {
  assert.equal(renderPretty({ directories: ['d'], entries: [] }), 'Directories: d\n\nFound 0 signatures out of 0 entries\n');
});

test('pretty: N/A for a missing timestamp, failures with codes, unsigned files listed', () => {
  const out = renderPretty(report);
  assert.match(out, /a b#1\.jar \| ab +\| =cmd\|x,"quoted" \| N\/A +\| FAILED ERR_SCAN_DIGEST_MISMATCH/);
  assert.match(out, /Unsigned JAR\/PE files:\n {2}\/abs\/u\.jar\n/);
  assert.match(out, /Found 1 signatures out of 3 entries\n$/);
});

test('csv: quotes, doubled quotes, and formula-looking cells defused', () => {
  const [, row] = renderCsv(report).split('\r\n');
  assert.equal(row, `a b#1.jar,ab,jar,"'=cmd|x,""quoted""",,SIGNER,sha256,sha256WithRSA,,failed,not-checked,ERR_SCAN_DIGEST_MISMATCH`);
});

test('json: SigScan fields first, countersigner "" without a timestamp, directories comma-joined', () => {
  const doc = JSON.parse(renderJson(report)) as { directories: string; filesystem: { signatures: Record<string, unknown>[] }; entries: { signatureCount: number }[] };
  assert.equal(doc.directories, 'd1,d2');
  assert.deepEqual(Object.keys(doc.filesystem.signatures[0] ?? {}).slice(0, 4), ['path', 'digest', 'subjectname', 'countersigner']);
  assert.equal(doc.filesystem.signatures[0]?.['countersigner'], '');
  assert.deepEqual(doc.entries.map((e) => e.signatureCount), [1, 0, 0]);
});

test('sarif: rules from the catalogue, file URIs percent-encoded', () => {
  const log = JSON.parse(renderSarif(report, '0.0.0')) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const run = log.runs[0];
  assert.deepEqual(run?.tool.driver.rules.map((r) => r.id), ['ERR_SCAN_DIGEST_MISMATCH', 'unsigned-file']);
  assert.deepEqual(run?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.artifactLocation.uri]), [
    ['ERR_SCAN_DIGEST_MISMATCH', 'error', 'a%20b%231.jar'],
    ['unsigned-file', 'note', 'file:///abs/u.jar'],
  ]);
});
