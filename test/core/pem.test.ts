import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePem, encodePem } from '../../src/core/pem.ts';

const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));

test('encodePem writes 64-column lines and a trailing newline, like Go', () => {
  const pem = encodePem('PUBLIC KEY', der);
  const lines = pem.split('\n');
  assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----');
  assert.equal(lines[1]?.length, 64);
  assert.equal(lines.at(-2), '-----END PUBLIC KEY-----');
  assert.equal(lines.at(-1), '');
});

test('decodePem round-trips and ignores text around the block', () => {
  const block = decodePem(`leading text\r\n${encodePem('X Y', der).replace(/\n/g, '\r\n')}trailing`);
  assert.equal(block.label, 'X Y');
  assert.deepEqual(block.der, der);
});

const bad: readonly { name: string; text: string }[] = [
  { name: 'no block', text: 'hello' },
  { name: 'no end line', text: '-----BEGIN A-----\nAAAA\n' },
  { name: 'mismatched end label', text: '-----BEGIN A-----\nAAAA\n-----END B-----\n' },
  { name: 'headers', text: '-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END A-----\n' },
  { name: 'not base64', text: '-----BEGIN A-----\nAA*A\n-----END A-----\n' },
  { name: 'bad padding length', text: '-----BEGIN A-----\nAAA\n-----END A-----\n' },
  { name: 'empty body', text: '-----BEGIN A-----\n-----END A-----\n' },
  { name: 'huge', text: `-----BEGIN A-----\n${'A'.repeat(300_000)}\n-----END A-----\n` },
];
for (const c of bad) {
  test(`decodePem refuses ${c.name}`, () => {
    assert.throws(() => decodePem(c.text), { code: 'ERR_KEY_MALFORMED' });
  });
}

test('decodePem reports with the code it is given', () => {
  assert.throws(() => decodePem('nothing', 'ERR_INPUT_INVALID'), { code: 'ERR_INPUT_INVALID' });
});
