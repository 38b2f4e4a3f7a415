import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  defaultSignatureAlgorithm, deriveScryptKey, generatePrivateKey, importPkcs8PrivateKey,
  importSpkiPublicKey, signatureAlgorithmsFor, verifySignature, type KeyType,
} from '../../src/core/index.ts';
import { openSecretbox, sealSecretbox } from '../../src/core/secretbox.ts';

const TYPES: readonly KeyType[] = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'rsa', 'ed25519'];
const data = new TextEncoder().encode('payload');

for (const type of TYPES) {
  test(`${type}: every algorithm for the type signs and verifies; altered data does not verify`, () => {
    const key = generatePrivateKey(type);
    assert.equal(key.type, type);
    const pub = importSpkiPublicKey(key.publicKey().toSpkiDer());
    assert.ok(pub.equals(key.publicKey()));
    const allowed = signatureAlgorithmsFor(type);
    for (const algorithm of allowed) {
      const sig = key.sign(algorithm, data);
      verifySignature(algorithm, pub.toSpkiDer(), data, sig, allowed);
      assert.throws(() => verifySignature(algorithm, pub.toSpkiDer(), new TextEncoder().encode('payloaD'), sig, allowed), { code: 'ERR_CRYPTO_SIGNATURE_INVALID' });
    }
    assert.equal(importPkcs8PrivateKey(key.toPkcs8Der()).type, type);
  });
}

test('cosign defaults: SHA-256 on every ECDSA curve, PKCS#1 v1.5 for RSA, pure Ed25519', () => {
  assert.deepEqual(TYPES.map(defaultSignatureAlgorithm), ['ecdsa-p256-sha256', 'ecdsa-p384-sha256', 'ecdsa-p521-sha256', 'rsa-pkcs1v15-sha256', 'ed25519']);
});

test('an algorithm that does not fit the key is refused', () => {
  assert.throws(() => generatePrivateKey('ecdsa-p256').sign('ed25519', data), { code: 'ERR_CRYPTO_KEY_INVALID' });
  assert.throws(() => generatePrivateKey('ecdsa-p384').sign('ecdsa-p256-sha256', data), { code: 'ERR_CRYPTO_KEY_INVALID' });
});

const pkcs8 = (k: ReturnType<typeof generateKeyPairSync>['privateKey']): Uint8Array => new Uint8Array(k.export({ format: 'der', type: 'pkcs8' }));
const unsupported: readonly { name: string; der: () => Uint8Array }[] = [
  { name: 'ecdsa P-224', der: () => pkcs8(generateKeyPairSync('ec', { namedCurve: 'secp224r1' }).privateKey) },
  { name: 'ecdsa secp256k1', der: () => pkcs8(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey) },
  { name: 'rsa 1024', der: () => pkcs8(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey) },
  { name: 'rsa-pss (id-RSASSA-PSS key)', der: () => pkcs8(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey) },
  { name: 'x25519', der: () => pkcs8(generateKeyPairSync('x25519').privateKey) },
  { name: 'ed448', der: () => pkcs8(generateKeyPairSync('ed448').privateKey) },
];
for (const c of unsupported) {
  test(`importPkcs8PrivateKey refuses ${c.name} with ERR_KEY_UNSUPPORTED`, () => {
    assert.throws(() => importPkcs8PrivateKey(c.der()), { code: 'ERR_KEY_UNSUPPORTED' });
  });
}

test('SEC1 and PKCS#1 bodies are malformed PKCS#8, and the message names them', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  assert.throws(() => importPkcs8PrivateKey(new Uint8Array(ec.export({ format: 'der', type: 'sec1' }))), { code: 'ERR_KEY_MALFORMED', message: /sec1/ });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.throws(() => importPkcs8PrivateKey(new Uint8Array(rsa.export({ format: 'der', type: 'pkcs1' }))), { code: 'ERR_KEY_MALFORMED', message: /pkcs#1/ });
  assert.throws(() => importPkcs8PrivateKey(new Uint8Array([48, 3, 2, 1, 0])), { code: 'ERR_KEY_MALFORMED' });
  assert.throws(() => importSpkiPublicKey(new Uint8Array([48, 3, 2, 1, 0])), { code: 'ERR_KEY_MALFORMED' });
});

test('scrypt matches RFC 7914 §12 (first vector)', async () => {
  const key = await deriveScryptKey(new Uint8Array(), new Uint8Array(), { N: 16, r: 1, p: 1 }, 64);
  assert.equal(Buffer.from(key).toString('hex'),
    '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906');
});

test('secretbox seals with a 16-byte tag in front and opens; a flipped bit is a wrong password', () => {
  const key = new Uint8Array(32).fill(7);
  const nonce = new Uint8Array(24).fill(9);
  const sealed = sealSecretbox(key, nonce, data);
  assert.equal(sealed.byteLength, data.byteLength + 16);
  assert.deepEqual(openSecretbox(key, nonce, sealed), data);
  const flipped = sealed.slice();
  flipped[20] = (flipped[20] ?? 0) ^ 1;
  assert.throws(() => openSecretbox(key, nonce, flipped), { code: 'ERR_KEY_PASSWORD_WRONG' });
  assert.throws(() => openSecretbox(key, nonce, sealed.subarray(0, 15)), { code: 'ERR_KEY_MALFORMED' });
  assert.throws(() => openSecretbox(key, nonce.subarray(1), sealed), { code: 'ERR_KEY_MALFORMED' });
  assert.throws(() => sealSecretbox(key.subarray(1), nonce, data), { code: 'ERR_KEY_MALFORMED' });
});
