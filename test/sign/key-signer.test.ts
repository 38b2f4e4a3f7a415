import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generatePrivateKey, parsePublicKeyPem, signatureAlgorithmsFor, verifySignature } from '../../src/core/index.ts';
import { createKeySigner, loadKeySigner } from '../../src/sign/index.ts';

const vector = (name: string): string => readFileSync(new URL(`../vectors/cosign-keys/${name}`, import.meta.url), 'utf8');
const data = new TextEncoder().encode('blob');

test('loadKeySigner signs with ecdsa-sha256 and verifies with the vector .pub', async () => {
  const signer = await loadKeySigner(vector('sigstore-label-password-hello.key'), async () => 'hello');
  assert.equal(signer.algorithm, 'ecdsa-p256-sha256');
  assert.equal(signer.publicKeyPem, vector('sigstore-label-password-hello.pub'));
  const publicKey = parsePublicKeyPem(vector('sigstore-label-password-hello.pub'));
  verifySignature(signer.algorithm, publicKey.toSpkiDer(), data, signer.sign(data), signatureAlgorithmsFor(publicKey.type));
});

test('createKeySigner takes an explicit algorithm that fits, and refuses one that does not', () => {
  const key = generatePrivateKey('rsa');
  const pss = createKeySigner(key, { algorithm: 'rsa-pss-sha256' });
  verifySignature('rsa-pss-sha256', key.publicKey().toSpkiDer(), data, pss.sign(data), ['rsa-pss-sha256']);
  assert.throws(() => createKeySigner(key, { algorithm: 'ecdsa-p256-sha256' }), { code: 'ERR_CRYPTO_KEY_INVALID' });
});
