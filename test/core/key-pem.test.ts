import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKeyPem, encodePem, encodePublicKeyPem, generatePrivateKey, parsePublicKeyPem } from '../../src/core/index.ts';

const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));

test('decodeKeyPem takes the first block and ignores text around it, CRLF too', () => {
  const text = `leading text\r\n${encodePem('X Y', der).replace(/\n/g, '\r\n')}${encodePem('SECOND', new Uint8Array([1]))}trailing`;
  const block = decodeKeyPem(text);
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
  { name: 'longer than any key', text: `-----BEGIN A-----\n${'A'.repeat(300_000)}\n-----END A-----\n` },
];
for (const c of bad) {
  test(`decodeKeyPem refuses ${c.name} with ERR_KEY_MALFORMED`, () => {
    assert.throws(() => decodeKeyPem(c.text), { code: 'ERR_KEY_MALFORMED' });
  });
}

test('public key PEM round-trips in cosign.pub form; another PEM type is unsupported', () => {
  const pub = generatePrivateKey('ecdsa-p384').publicKey();
  const pem = encodePublicKeyPem(pub);
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/);
  assert.ok(parsePublicKeyPem(pem).equals(pub));
  assert.throws(() => parsePublicKeyPem(pem.replace(/PUBLIC KEY/g, 'CERTIFICATE')), { code: 'ERR_KEY_UNSUPPORTED' });
});
