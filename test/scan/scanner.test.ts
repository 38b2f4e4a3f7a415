import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCAN_OPTIONS, MAX_MEMBER_ARCHIVES, scanFile, scanFileDeep } from '../../src/scan/index.ts';
import { buildZip } from '../support/zip-writer.ts';
import { memoryFile } from '../support/memory-file.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const broken = buildZip([{ name: 'a', data: text('a') }]).slice(0, 40);

const cases: { name: string; path: string; bytes: Uint8Array; kind: string; codes: readonly string[]; hashed: boolean }[] = [
  { name: 'empty file', path: 'empty', bytes: new Uint8Array(0), kind: 'other', codes: [], hashed: false },
  { name: 'text file', path: 'notes.txt', bytes: text('hello'), kind: 'other', codes: [], hashed: false },
  { name: 'zip without a manifest', path: 'data.zip', bytes: buildZip([{ name: 'a', data: text('a') }]), kind: 'other', codes: [], hashed: false },
  { name: 'broken zip with a plain name', path: 'data.zip', bytes: broken, kind: 'other', codes: ['ERR_SCAN_FILE_MALFORMED'], hashed: false },
  { name: 'broken zip named like a jar', path: 'app.war', bytes: broken, kind: 'jar', codes: ['ERR_SCAN_FILE_MALFORMED'], hashed: false },
  { name: 'unsigned jar', path: 'a.jar', bytes: buildZip([{ name: 'META-INF/MANIFEST.MF', data: text('Manifest-Version: 1.0\n\n') }]), kind: 'jar', codes: [], hashed: true },
  {
    name: 'jar whose signature block is missing', path: 'a.jar', kind: 'jar', codes: ['ERR_SCAN_FILE_MALFORMED'], hashed: true,
    bytes: buildZip([{ name: 'META-INF/MANIFEST.MF', data: text('Manifest-Version: 1.0\n\n') }, { name: 'META-INF/A.SF', data: text('Signature-Version: 1.0\n\n') }]),
  },
  {
    name: 'jar whose signature block is not pkcs#7', path: 'a.jar', kind: 'jar', codes: ['ERR_SCAN_FILE_MALFORMED'], hashed: true,
    bytes: buildZip([
      { name: 'META-INF/MANIFEST.MF', data: text('Manifest-Version: 1.0\n\n') }, { name: 'META-INF/A.SF', data: text('Signature-Version: 1.0\n\n') },
      { name: 'META-INF/A.RSA', data: text('not der') },
    ]),
  },
  { name: 'MZ and nothing else', path: 'x.exe', bytes: text('MZ'), kind: 'pe', codes: ['ERR_SCAN_FILE_MALFORMED'], hashed: true },
];
for (const c of cases) {
  test(`scanFile: ${c.name}`, async () => {
    const r = await scanFile(c.path, memoryFile(c.bytes));
    assert.equal(r.kind, c.kind);
    assert.deepEqual(r.problems.map((p) => p.code), c.codes);
    assert.equal(r.digest !== null, c.hashed);
    assert.deepEqual(r.signatures, []);
  });
}

test('scanFile: a file larger than the hash limit is not read beyond its head', async () => {
  const file = memoryFile(new Uint8Array(4096).fill(0x4d, 0, 1).fill(0x5a, 1, 2));
  const r = await scanFile('big.exe', file, { maxHashBytes: 1024, zip: { maxEntries: 1, maxCentralDirectoryBytes: 1, maxEntryBytes: 1, maxArchiveBytes: 1 }, trust: null });
  assert.deepEqual(r.problems.map((p) => p.code), ['ERR_SCAN_FILE_TOO_LARGE']);
  assert.equal(file.bytesRead, 4);
});

test('scanFile: a jar with more signature files than the cap is refused, not checked one by one', async () => {
  const sfs = Array.from({ length: 33 }, (_, i) => ({ name: `META-INF/S${i}.SF`, data: text('Signature-Version: 1.0\n\n') }));
  const r = await scanFile('many.jar', memoryFile(buildZip([{ name: 'META-INF/MANIFEST.MF', data: text('Manifest-Version: 1.0\n\n') }, ...sfs])));
  assert.deepEqual(r.problems.map((p) => p.code), ['ERR_SCAN_ARCHIVE_LIMIT']);
});

const manifest = { name: 'META-INF/MANIFEST.MF', data: text('Manifest-Version: 1.0\n\n') };

test('scanFileDeep: member archives are entries of their own, one level deep', async () => {
  const inner = buildZip([manifest]);
  const middle = buildZip([manifest, { name: 'lib/inner.jar', data: inner }]);
  const outer = buildZip([manifest, { name: 'WEB-INF/lib/middle.jar', data: middle, deflate: true }]);
  const reports = await scanFileDeep('app.war', memoryFile(outer), DEFAULT_SCAN_OPTIONS);
  assert.deepEqual(reports.map((r) => [r.path, r.kind]), [['app.war', 'jar'], ['app.war!/WEB-INF/lib/middle.jar', 'jar']]);
});

test('scanFileDeep: more member archives than the cap are reported on the outer entry', async () => {
  const members = Array.from({ length: MAX_MEMBER_ARCHIVES + 1 }, (_, i) => ({ name: `lib/m${i}.jar`, data: text('x') }));
  const reports = await scanFileDeep('fat.jar', memoryFile(buildZip([manifest, ...members])), DEFAULT_SCAN_OPTIONS);
  assert.equal(reports.length, 1 + MAX_MEMBER_ARCHIVES);
  assert.deepEqual(reports[0]?.problems.map((p) => p.code), ['ERR_SCAN_ARCHIVE_LIMIT']);
});

test('scanFileDeep: members share one inflate budget, so nesting cannot multiply the cap', async () => {
  const payload = new Uint8Array(600_000);
  const member = (i: number): { name: string; data: Uint8Array; deflate: boolean } => ({ name: `lib/m${i}.jar`, data: buildZip([manifest, { name: 'blob', data: payload }]), deflate: true });
  const limits = { maxEntries: 100, maxCentralDirectoryBytes: 1 << 16, maxEntryBytes: 1 << 20, maxArchiveBytes: 1 << 21 };
  const reports = await scanFileDeep('fat.jar', memoryFile(buildZip([manifest, member(1), member(2), member(3), member(4)])), { ...DEFAULT_SCAN_OPTIONS, zip: limits });
  const refused = reports.filter((r) => r.problems.some((p) => p.code === 'ERR_SCAN_ARCHIVE_LIMIT'));
  assert.ok(refused.length >= 1, 'the members past 2 MiB of inflated bytes are refused');
});
