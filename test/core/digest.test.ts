import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDigest, isDigest, sha256Digest, createDigester, computeDigest } from '../../src/core/digest.ts';

const HEX64 = 'a'.repeat(64);
const cases: { name: string; input: string; ok: boolean }[] = [
  { name: 'sha256', input: `sha256:${HEX64}`, ok: true },
  { name: 'sha512', input: `sha512:${'0'.repeat(128)}`, ok: true },
  { name: 'upper-case-hex', input: `sha256:${'A'.repeat(64)}`, ok: false },
  { name: 'short-hex', input: `sha256:${'a'.repeat(63)}`, ok: false },
  { name: 'long-hex', input: `sha256:${'a'.repeat(65)}`, ok: false },
  { name: 'unknown-algorithm', input: `md5:${'a'.repeat(32)}`, ok: false },
  { name: 'no-colon', input: HEX64, ok: false },
  { name: 'empty', input: '', ok: false },
  { name: 'path-traversal', input: 'sha256:../../etc/passwd', ok: false },
  { name: 'non-hex', input: `sha256:${'g'.repeat(64)}`, ok: false },
];

for (const c of cases) {
  test(`parseDigest ${c.name}`, () => {
    if (c.ok) {
      const d = parseDigest(c.input);
      assert.equal(d.value, c.input);
      assert.equal(`${d.algorithm}:${d.hex}`, c.input);
      assert.ok(isDigest(c.input));
    } else {
      assert.throws(() => parseDigest(c.input), { code: 'ERR_OCI_DIGEST_INVALID' });
      assert.equal(isDigest(c.input), false);
    }
  });
}

test('sha256Digest of the empty input is the well-known value', () => {
  assert.equal(sha256Digest(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('createDigester over chunks equals the one-shot digest and counts bytes', () => {
  const data = new TextEncoder().encode('hello, registry');
  const d = createDigester('sha256');
  d.update(data.subarray(0, 5));
  d.update(data.subarray(5));
  assert.equal(d.sizeBytes, data.byteLength);
  assert.equal(d.digest(), sha256Digest(data));
  assert.equal(computeDigest('sha512', data).length, 'sha512:'.length + 128);
});
