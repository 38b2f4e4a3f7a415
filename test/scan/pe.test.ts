import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageHashRanges, parseCertificateTable, parsePeLayout } from '../../src/scan/pe.ts';
import { scanFile } from '../../src/scan/index.ts';
import { buildTinyPe } from '../support/tiny-pe.ts';
import { memoryFile } from '../support/memory-file.ts';

test('layout of generated PE32 and PE32+ images', async () => {
  const p64 = await parsePeLayout(memoryFile(buildTinyPe({ pe32Plus: true })));
  assert.deepEqual(p64, { format: 'pe32+', checksumOffset: 0x58 + 64, certDirectoryOffset: 0x58 + 144, certTable: null });
  const p32 = await parsePeLayout(memoryFile(buildTinyPe({ pe32Plus: false })));
  assert.deepEqual(p32, { format: 'pe32', checksumOffset: 0x58 + 64, certDirectoryOffset: 0x58 + 128, certTable: null });
});

function mutate(edit: (v: DataView, b: Uint8Array) => Uint8Array | void): Uint8Array {
  const b = buildTinyPe({ pe32Plus: true });
  return edit(new DataView(b.buffer), b) ?? b;
}

const bad: { name: string; bytes: () => Uint8Array }[] = [
  { name: 'truncated inside the dos header', bytes: () => buildTinyPe({ pe32Plus: true }).slice(0, 40) },
  { name: 'e_lfanew past the end', bytes: () => mutate((v) => v.setUint32(0x3c, 0xfffffff0, true)) },
  { name: 'no PE signature', bytes: () => mutate((v) => v.setUint8(0x40, 0x51)) },
  { name: 'unknown optional header magic', bytes: () => mutate((v) => v.setUint16(0x58, 0x999, true)) },
  { name: 'optional header size past the end', bytes: () => mutate((v) => v.setUint16(0x54, 0xfff0, true)) },
  { name: 'certificate table outside the file', bytes: () => mutate((v) => { v.setUint32(0x58 + 144, 0x300, true); v.setUint32(0x58 + 148, 0x10000, true); }) },
  { name: 'certificate table inside the headers', bytes: () => mutate((v) => { v.setUint32(0x58 + 144, 0x10, true); v.setUint32(0x58 + 148, 8, true); }) },
];
for (const c of bad) {
  test(`pe: ${c.name} is malformed`, async () => {
    await assert.rejects(parsePeLayout(memoryFile(c.bytes())), { code: 'ERR_SCAN_FILE_MALFORMED' });
  });
  test(`pe: ${c.name} is reported by scanFile, not thrown`, async () => {
    const report = await scanFile('x.exe', memoryFile(c.bytes()));
    assert.equal(report.kind, 'pe');
    assert.deepEqual(report.problems.map((p) => p.code), ['ERR_SCAN_FILE_MALFORMED']);
  });
}

test('certificate table: entries are 8-byte aligned, and a length past the table is malformed', () => {
  const table = new Uint8Array(32);
  const v = new DataView(table.buffer);
  v.setUint32(0, 11, true); v.setUint16(4, 0x200, true); v.setUint16(6, 2, true);
  v.setUint32(16, 9, true); v.setUint16(20, 0x200, true); v.setUint16(22, 1, true);
  assert.deepEqual(parseCertificateTable(table).map((c) => [c.type, c.data.byteLength]), [[2, 3], [1, 1]]);
  v.setUint32(16, 64, true);
  assert.throws(() => parseCertificateTable(table), { code: 'ERR_SCAN_FILE_MALFORMED' });
});

test('image hash ranges skip CheckSum, the directory entry and the table, and keep trailing data', () => {
  const layout = { format: 'pe32+' as const, checksumOffset: 100, certDirectoryOffset: 200, certTable: { offset: 1000, size: 100 } };
  assert.deepEqual(imageHashRanges(layout, 1100), [[0, 100], [104, 200], [208, 1000]]);
  assert.deepEqual(imageHashRanges(layout, 1200), [[0, 100], [104, 200], [208, 1000], [1100, 1200]]);
});

test('certificate table: more than the cap of WIN_CERTIFICATE entries is malformed', () => {
  const table = new Uint8Array(8 * 65);
  const v = new DataView(table.buffer);
  for (let i = 0; i < 65; i += 1) v.setUint32(i * 8, 8, true);
  assert.throws(() => parseCertificateTable(table), { code: 'ERR_SCAN_FILE_MALFORMED' });
});
