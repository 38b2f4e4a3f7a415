// Strict base64 and hex decoding, table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, decodeHex, encodeBase64, encodeHex, equalBytes } from '../../src/core/index.ts';

const good: readonly [string, number[]][] = [['', []], ['AA==', [0]], ['AAE=', [0, 1]], ['AAEC', [0, 1, 2]], ['+/8=', [251, 255]]];
for (const [text, bytes] of good) {
  test(`base64 ${JSON.stringify(text)} round trips`, () => {
    assert.deepEqual(decodeBase64(text), new Uint8Array(bytes));
    assert.equal(encodeBase64(new Uint8Array(bytes)), text);
  });
}

const bad = ['A', 'AA', 'AA=', 'AAE', 'AB==', 'AAAAAB==', 'AAAAAAF=', 'A A=', '-_8=', 'AA==AA==', 'AAAA\n'];
for (const text of bad) {
  test(`base64 ${JSON.stringify(text)} is refused`, () => assert.throws(() => decodeBase64(text), { code: 'ERR_INPUT_INVALID' }));
}

test('base64 failures can carry the caller\'s error', () => {
  assert.throws(() => decodeBase64('A', () => new RangeError('x')), RangeError);
});

test('hex round trips and refuses odd or non-hex text', () => {
  assert.deepEqual(decodeHex('00fFa0'), new Uint8Array([0, 255, 160]));
  assert.equal(encodeHex(new Uint8Array([0, 255, 160])), '00ffa0');
  for (const text of ['0', 'zz', '0x00']) assert.throws(() => decodeHex(text), { code: 'ERR_INPUT_INVALID' });
});

test('equalBytes compares length and content', () => {
  assert.ok(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  assert.ok(!equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  assert.ok(!equalBytes(new Uint8Array([1]), new Uint8Array([1, 0])));
});

// The former decoder, kept as the reference: the RFC 4648 §4 shape by pattern, then no stray bits.
function referenceAccepts(text: string): boolean {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return false;
  const tail = text.slice(-4);
  return !text.endsWith('=') || Buffer.from(tail, 'base64').toString('base64') === tail;
}

test('base64 accepts exactly what the pattern-based reference accepts (seeded random texts)', () => {
  const alphabet = 'AB+/_-=Q8 \n.';
  let seed = 7;
  const next = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  let accepted = 0;
  for (let i = 0; i < 20000; i += 1) {
    const text = Array.from({ length: next(13) }, () => alphabet[next(alphabet.length)]).join('');
    const ok = (() => { try { decodeBase64(text); return true; } catch { return false; } })();
    assert.equal(ok, referenceAccepts(text), JSON.stringify(text));
    if (ok) { accepted += 1; assert.deepEqual(decodeBase64(text), new Uint8Array(Buffer.from(text, 'base64'))); }
  }
  assert.ok(accepted > 100, `only ${accepted} accepted texts: the alphabet does not exercise the decoder`);
});
