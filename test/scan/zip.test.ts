import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readZipDirectory, DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../src/scan/zip.ts';
import { createInflateBudget, readZipEntry } from '../../src/scan/zip-entry.ts';
import { buildZip } from '../support/zip-writer.ts';
import { memoryFile } from '../support/memory-file.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const small: ZipLimits = { maxEntries: 10, maxCentralDirectoryBytes: 1 << 16, maxEntryBytes: 1 << 20, maxArchiveBytes: 2 << 20 };

test('reads the central directory and the entries of a plain and a zip64 archive', async () => {
  for (const zip64 of [false, true]) {
    const bytes = buildZip([{ name: 'a.txt', data: text('hello') }, { name: 'dir/b.txt', data: text('x'.repeat(5000)), deflate: true }], { zip64 });
    const file = memoryFile(bytes);
    const entries = await readZipDirectory(file);
    assert.deepEqual(entries.map((e) => [e.name, e.method, e.uncompressedSize]), [['a.txt', 0, 5], ['dir/b.txt', 8, 5000]]);
    const budget = createInflateBudget(DEFAULT_ZIP_LIMITS);
    assert.equal(new TextDecoder().decode(await readZipEntry(file, entries[1]!, DEFAULT_ZIP_LIMITS, budget)), 'x'.repeat(5000));
  }
});

const directoryCases: { name: string; bytes: () => Uint8Array; code: string }[] = [
  { name: 'empty file', bytes: () => new Uint8Array(0), code: 'ERR_SCAN_FILE_MALFORMED' },
  { name: 'no end record', bytes: () => new Uint8Array(100).fill(0x41), code: 'ERR_SCAN_FILE_MALFORMED' },
  { name: 'truncated before the end record', bytes: () => buildZip([{ name: 'a', data: text('a') }]).slice(0, -10), code: 'ERR_SCAN_FILE_MALFORMED' },
  {
    name: 'central directory offset outside the file',
    bytes: () => { const b = buildZip([{ name: 'a', data: text('a') }]); new DataView(b.buffer).setUint32(b.byteLength - 6, 0x7fffffff, true); return b; },
    code: 'ERR_SCAN_FILE_MALFORMED',
  },
  {
    name: 'more entries than the limit',
    bytes: () => buildZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: text('x') }))),
    code: 'ERR_SCAN_ARCHIVE_LIMIT',
  },
  {
    name: 'entry count that cannot fit the directory',
    bytes: () => { const b = buildZip([{ name: 'a', data: text('a') }]); new DataView(b.buffer).setUint16(b.byteLength - 12, 9, true); return b; },
    code: 'ERR_SCAN_FILE_MALFORMED',
  },
  {
    name: 'zip64 fields without a locator',
    bytes: () => { const b = buildZip([{ name: 'a', data: text('a') }]); new DataView(b.buffer).setUint32(b.byteLength - 6, 0xffffffff, true); return b; },
    code: 'ERR_SCAN_FILE_MALFORMED',
  },
];
for (const c of directoryCases) {
  test(`directory: ${c.name} is refused with ${c.code}`, async () => {
    await assert.rejects(readZipDirectory(memoryFile(c.bytes()), small), { code: c.code });
  });
}

const zeros = new Uint8Array(8 << 20);
const entryCases: { name: string; input: Parameters<typeof buildZip>[0][number]; code: string }[] = [
  { name: 'zip bomb declared honestly (8 MiB of zeros, cap 1 MiB)', input: { name: 'bomb', data: zeros, deflate: true }, code: 'ERR_SCAN_ARCHIVE_LIMIT' },
  { name: 'zip bomb that lies about its size', input: { name: 'bomb', data: zeros, deflate: true, declaredSize: 100 }, code: 'ERR_SCAN_ARCHIVE_LIMIT' },
  { name: 'stored entry whose size is wrong', input: { name: 's', data: text('abc'), declaredSize: 2 }, code: 'ERR_SCAN_FILE_MALFORMED' },
  { name: 'crc mismatch', input: { name: 'c', data: text('abc'), crc: 1 }, code: 'ERR_SCAN_FILE_MALFORMED' },
];
for (const c of entryCases) {
  test(`entry: ${c.name} is refused with ${c.code}`, async () => {
    const file = memoryFile(buildZip([c.input]));
    const [entry] = await readZipDirectory(file, small);
    await assert.rejects(readZipEntry(file, entry!, small, createInflateBudget(small)), { code: c.code });
  });
}

test('the per-archive inflate budget stops many medium entries', async () => {
  const medium = new Uint8Array(900_000);
  const file = memoryFile(buildZip([1, 2, 3].map((i) => ({ name: `m${i}`, data: medium, deflate: true }))));
  const entries = await readZipDirectory(file, small);
  const budget = createInflateBudget(small);
  await readZipEntry(file, entries[0]!, small, budget);
  await readZipEntry(file, entries[1]!, small, budget);
  await assert.rejects(readZipEntry(file, entries[2]!, small, budget), { code: 'ERR_SCAN_ARCHIVE_LIMIT' });
});

test('a prefix before the archive (launcher script) shifts every offset and is read', async () => {
  const zip = buildZip([{ name: 'a.txt', data: text('hello'), deflate: true }]);
  const prefix = text('#!/bin/sh\nexec java -jar "$0" "$@"\n');
  const bytes = new Uint8Array(prefix.byteLength + zip.byteLength);
  bytes.set(prefix); bytes.set(zip, prefix.byteLength);
  const file = memoryFile(bytes);
  const [entry] = await readZipDirectory(file);
  assert.equal(entry?.localHeaderOffset, prefix.byteLength);
  assert.equal(new TextDecoder().decode(await readZipEntry(file, entry!, DEFAULT_ZIP_LIMITS, createInflateBudget(DEFAULT_ZIP_LIMITS))), 'hello');
});
