import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { isDigestSignatureValid, isMessageSignatureValid, parsePublicKeyInfo } from '../../src/verify/signature.ts';

function ecKey(namedCurve: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}
const data = new TextEncoder().encode('hello sigil');
const sha256 = new Uint8Array(createHash('sha256').update(data).digest());

test('ECDSA P-256 verifies from the SHA-256 digest alone (digest mode)', () => {
  const k = ecKey('prime256v1');
  const key = parsePublicKeyInfo(k.spki);
  assert.equal(key.kind, 'ec-p256');
  const sig = new Uint8Array(sign('sha256', data, k.privateKey));
  assert.equal(isDigestSignatureValid(key, sha256, sig), true);
  assert.equal(isDigestSignatureValid(key, sha256.map((b, i) => (i === 0 ? b ^ 1 : b)), sig), false);
});

test('a P-384 key that signed a SHA-256 digest verifies over the message and the digest', () => {
  const k = ecKey('secp384r1');
  const key = parsePublicKeyInfo(k.spki);
  const sig = new Uint8Array(sign('sha256', data, k.privateKey));
  assert.equal(isMessageSignatureValid(key, { hash: 'sha256' }, data, sig), true);
  assert.equal(isDigestSignatureValid(key, sha256, sig), true);
  assert.equal(isMessageSignatureValid(key, { hash: 'sha384' }, data, sig), false);
});

test('Ed25519 cannot be checked from a digest', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const key = parsePublicKeyInfo(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
  const sig = new Uint8Array(sign(null, data, privateKey));
  assert.equal(isMessageSignatureValid(key, { hash: null }, data, sig), true);
  assert.equal(isDigestSignatureValid(key, sha256, sig), false);
});

test('a well-formed SPKI whose point is off the curve is an invalid key', () => {
  const k = ecKey('prime256v1');
  const broken = k.spki.slice();
  broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 0xff;
  assert.throws(() => parsePublicKeyInfo(broken), { code: 'ERR_CRYPTO_KEY_INVALID' });
  assert.throws(() => parsePublicKeyInfo(new Uint8Array([1, 2, 3])), { code: 'ERR_CRYPTO_KEY_INVALID' });
});
