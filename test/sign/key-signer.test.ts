import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generatePrivateKey, parsePublicKeyPem } from '../../src/core/index.ts';
import { createKeySigner, loadKeySigner } from '../../src/sign/index.ts';

const vector = (name: string): string => readFileSync(new URL(`../vectors/cosign-keys/${name}`, import.meta.url), 'utf8');
const data = new TextEncoder().encode('blob');

test('loadKeySigner signs with ecdsa-sha256 and verifies with the vector .pub', async () => {
  const signer = await loadKeySigner(vector('sigstore-label-password-hello.key'), async () => 'hello');
  assert.equal(signer.algorithm, 'ecdsa-sha256');
  assert.equal(signer.publicKeyPem, vector('sigstore-label-password-hello.pub'));
  parsePublicKeyPem(vector('sigstore-label-password-hello.pub')).verify(signer.algorithm, data, signer.sign(data));
});

test('createKeySigner takes an explicit algorithm that fits, and refuses one that does not', () => {
  const key = generatePrivateKey('rsa');
  const pss = createKeySigner(key, { algorithm: 'rsa-pss-sha384' });
  key.publicKey().verify('rsa-pss-sha384', data, pss.sign(data));
  assert.throws(() => createKeySigner(key, { algorithm: 'ecdsa-sha256' }), { code: 'ERR_KEY_UNSUPPORTED' });
});
