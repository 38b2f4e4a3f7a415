import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listDigestAttributes, parseManifest } from '../../src/scan/jar-manifest.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const cases: { name: string; text: string; main: string; entries: Record<string, string> }[] = [
  {
    name: 'CRLF sections keep their blank line',
    text: 'Manifest-Version: 1.0\r\nCreated-By: 17\r\n\r\nName: a.txt\r\nSHA-256-Digest: AAA=\r\n\r\n',
    main: 'Manifest-Version: 1.0\r\nCreated-By: 17\r\n\r\n',
    entries: { 'a.txt': 'Name: a.txt\r\nSHA-256-Digest: AAA=\r\n\r\n' },
  },
  {
    name: 'LF and a last section without a blank line',
    text: 'Manifest-Version: 1.0\n\nName: b\nSHA1-Digest: x\n',
    main: 'Manifest-Version: 1.0\n\n',
    entries: { b: 'Name: b\nSHA1-Digest: x\n' },
  },
  {
    name: 'continuation lines join long names',
    text: 'Manifest-Version: 1.0\n\nName: very/long/path/that/goes/on\n and/on.class\nSHA-256-Digest: y\n\n',
    main: 'Manifest-Version: 1.0\n\n',
    entries: { 'very/long/path/that/goes/onand/on.class': 'Name: very/long/path/that/goes/on\n and/on.class\nSHA-256-Digest: y\n\n' },
  },
];
for (const c of cases) {
  test(`manifest: ${c.name}`, () => {
    const m = parseManifest(enc(c.text), 'test');
    assert.equal(dec(m.main.raw), c.main);
    assert.deepEqual(Object.fromEntries([...m.entries].map(([k, v]) => [k, dec(v.raw)])), c.entries);
  });
}

const bad: { name: string; text: string }[] = [
  { name: 'continuation without attribute', text: ' oops\n' },
  { name: 'line without a colon', text: 'Manifest-Version 1.0\n' },
  { name: 'duplicate section', text: 'M: 1\n\nName: a\nX: 1\n\nName: a\nX: 2\n' },
  { name: 'section without a name', text: 'M: 1\n\nX-Digest: 1\n' },
];
for (const c of bad) {
  test(`manifest: ${c.name} is malformed`, () => {
    assert.throws(() => parseManifest(enc(c.text), 'test'), { code: 'ERR_SCAN_FILE_MALFORMED' });
  });
}

test('digest attributes are listed by algorithm', () => {
  const m = parseManifest(enc('Signature-Version: 1.0\nSHA-256-Digest-Manifest: M\nSHA-256-Digest-Manifest-Main-Attributes: A\n\n'), 'sf');
  assert.deepEqual([...listDigestAttributes(m.main, '-digest-manifest')], [['SHA-256', 'M']]);
  assert.deepEqual([...listDigestAttributes(m.main, '-digest-manifest-main-attributes')], [['SHA-256', 'A']]);
});
