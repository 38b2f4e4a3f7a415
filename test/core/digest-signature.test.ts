// Signatures over precomputed digests: ECDSA on every NIST curve with every hash, RSA PKCS#1
// v1.5, and Ed25519ph (RFC 8032 test vector and node-made keys); tampering fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { type HashAlgorithm } from '../../src/core/index.ts';
import { isDigestSignatureValid } from '../../src/core/digest-signature.ts';

const HASHES: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];
const message = Buffer.from('artifact bytes');

const KEYS = [
  ['ecdsa p-256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
  ['ecdsa p-384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
  ['ecdsa p-521', generateKeyPairSync('ec', { namedCurve: 'secp521r1' })],
  ['rsa 2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
] as const;

for (const [name, pair] of KEYS) {
  for (const hash of HASHES) {
    test(`${name} over a ${hash} digest verifies, and a flipped bit does not`, () => {
      const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
      const signature = new Uint8Array(sign(hash, message, pair.privateKey));
      const digest = new Uint8Array(createHash(hash).update(message).digest());
      assert.equal(isDigestSignatureValid(spki, hash, digest, signature), true);
      const bad = signature.slice();
      bad[bad.length - 3]! ^= 1;
      assert.equal(isDigestSignatureValid(spki, hash, digest, bad), false);
      digest[0]! ^= 1;
      assert.equal(isDigestSignatureValid(spki, hash, digest, signature), false);
    });
  }
}

// RFC 8032 §7.3, Ed25519ph test vector 1 ("abc")
const RFC_PUBLIC = 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf';
const RFC_SIGNATURE = '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406';

test('ed25519ph over a sha512 digest verifies the RFC 8032 vector', () => {
  const spki = new Uint8Array(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(RFC_PUBLIC, 'hex')]));
  const digest = new Uint8Array(createHash('sha512').update('abc').digest());
  assert.equal(isDigestSignatureValid(spki, 'sha512', digest, Buffer.from(RFC_SIGNATURE, 'hex')), true);
  assert.equal(isDigestSignatureValid(spki, 'sha512', new Uint8Array(createHash('sha512').update('abd').digest()), Buffer.from(RFC_SIGNATURE, 'hex')), false);
  assert.throws(() => isDigestSignatureValid(spki, 'sha256', new Uint8Array(32), new Uint8Array(64)), { code: 'ERR_CRYPTO_KEY_INVALID' });
});

test('a digest of the wrong length is an input error', () => {
  const spki = new Uint8Array(KEYS[0][1].publicKey.export({ format: 'der', type: 'spki' }));
  assert.throws(() => isDigestSignatureValid(spki, 'sha256', new Uint8Array(31), new Uint8Array(70)), { code: 'ERR_INPUT_INVALID' });
});
