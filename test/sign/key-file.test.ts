import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeKeyPem, encodePem, encodePublicKeyPem, generatePrivateKey } from '../../src/core/index.ts';
import {
  COSIGN_PRIVATE_KEY_PEM_LABEL, SIGSTORE_PRIVATE_KEY_PEM_LABEL, createKeyPairFiles, decodePrivateKeyPem,
  encodeEncryptedPrivateKeyPem, type PasswordSource,
} from '../../src/sign/index.ts';
import { createSeededRandom } from '../support/seeded-random.ts';

const vector = (name: string): string => readFileSync(new URL(`../vectors/cosign-keys/${name}`, import.meta.url), 'utf8');
const password = (p: string): PasswordSource => async () => p;
const never: PasswordSource = async () => { throw new Error('the password was asked for'); };

const positive: readonly { name: string; password: string; label: string }[] = [
  { name: 'cosign-generated-empty-password', password: '', label: SIGSTORE_PRIVATE_KEY_PEM_LABEL },
  { name: 'cosign-label-password-123', password: '123', label: COSIGN_PRIVATE_KEY_PEM_LABEL },
  { name: 'sigstore-label-password-hello', password: 'hello', label: SIGSTORE_PRIVATE_KEY_PEM_LABEL },
  { name: 'cosign-label-password-hello', password: 'hello', label: COSIGN_PRIVATE_KEY_PEM_LABEL },
];
for (const c of positive) {
  test(`vector ${c.name} loads with its password and its public key matches the .pub byte for byte`, async () => {
    const loaded = await decodePrivateKeyPem(vector(`${c.name}.key`), password(c.password));
    assert.equal(loaded.key.type, 'ecdsa-p256');
    assert.equal(loaded.label, c.label);
    assert.equal(loaded.encrypted, true);
    assert.equal(encodePublicKeyPem(loaded.key.publicKey()), vector(`${c.name}.pub`));
  });
  test(`vector ${c.name} with a wrong password fails with ERR_KEY_PASSWORD_WRONG`, async () => {
    await assert.rejects(decodePrivateKeyPem(vector(`${c.name}.key`), password(`${c.password}x`)), { code: 'ERR_KEY_PASSWORD_WRONG' });
  });
}

test('the negative vector (SEC1 inside) decrypts but fails with ERR_KEY_MALFORMED', async () => {
  await assert.rejects(decodePrivateKeyPem(vector('negative-sec1-inside-password-hello.key'), password('hello')), { code: 'ERR_KEY_MALFORMED', message: /sec1/ });
});

test('the CI vector (unknown password) parses and fails with ERR_KEY_PASSWORD_WRONG', async () => {
  await assert.rejects(decodePrivateKeyPem(vector('cosign-ci-unknown-password.key'), password('hello')), { code: 'ERR_KEY_PASSWORD_WRONG' });
});

test('encrypt then decrypt round-trips for each accepted scrypt parameter set and label', async () => {
  const key = generatePrivateKey('ecdsa-p384');
  for (const N of [32768, 65536, 131072]) {
    const pem = await encodeEncryptedPrivateKeyPem(key, 'pw', createSeededRandom(`n${N}`), { params: { N, r: 8, p: 1 }, label: COSIGN_PRIVATE_KEY_PEM_LABEL });
    const loaded = await decodePrivateKeyPem(pem, password('pw'));
    assert.ok(loaded.key.publicKey().equals(key.publicKey()));
    assert.equal(loaded.label, COSIGN_PRIVATE_KEY_PEM_LABEL);
  }
});

test('encoding is deterministic for a seeded random, in go-securesystemslib field order', async () => {
  const key = generatePrivateKey('ed25519');
  const a = await encodeEncryptedPrivateKeyPem(key, '', createSeededRandom('s'));
  assert.equal(a, await encodeEncryptedPrivateKeyPem(key, '', createSeededRandom('s')));
  const json = new TextDecoder().decode(decodeKeyPem(a).der);
  assert.match(json, /^\{"kdf":\{"name":"scrypt","params":\{"N":65536,"r":8,"p":1\},"salt":"[A-Za-z0-9+/]{43}="\},"cipher":\{"name":"nacl\/secretbox","nonce":"[A-Za-z0-9+/]{32}"\},"ciphertext":"[A-Za-z0-9+/=]+"\}$/);
});

test('createKeyPairFiles writes a P-256 key with the SIGSTORE label and its public key', async () => {
  const pair = await createKeyPairFiles('secret', createSeededRandom('pair'));
  assert.equal(pair.keyType, 'ecdsa-p256');
  assert.ok(pair.privateKeyPem.startsWith(`-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_LABEL}-----\n`));
  const loaded = await decodePrivateKeyPem(pair.privateKeyPem, password('secret'));
  assert.equal(encodePublicKeyPem(loaded.key.publicKey()), pair.publicKeyPem);
});

test('an unencrypted PKCS#8 key loads without asking for a password', async () => {
  const key = generatePrivateKey('rsa');
  const loaded = await decodePrivateKeyPem(encodePem('PRIVATE KEY', key.toPkcs8Der()), never);
  assert.equal(loaded.encrypted, false);
  assert.ok(loaded.key.publicKey().equals(key.publicKey()));
});

const unsupportedLabels = ['PUBLIC KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'CERTIFICATE'];
for (const label of unsupportedLabels) {
  test(`pem type ${label} is ERR_KEY_UNSUPPORTED, without asking for a password`, async () => {
    await assert.rejects(decodePrivateKeyPem(encodePem(label, new Uint8Array([48, 0])), never), { code: 'ERR_KEY_UNSUPPORTED' });
  });
}
