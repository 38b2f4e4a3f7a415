// Explicit-algorithm signing and verification: every algorithm round trips, and allowlist,
// key-type and tampering failures carry their codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  ed25519PublicKeyBytes, hashBytes, isSignatureValid, signData, verifySignature, type SignatureAlgorithm,
} from '../../src/core/index.ts';

interface Pair { readonly spkiDer: Uint8Array; readonly pkcs8Der: Uint8Array }

function der(pair: { publicKey: KeyObject; privateKey: KeyObject }): Pair {
  return {
    spkiDer: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
    pkcs8Der: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

const keys: Readonly<Record<SignatureAlgorithm, Pair>> = {
  'ecdsa-p256-sha256': der(generateKeyPairSync('ec', { namedCurve: 'prime256v1' })),
  'ecdsa-p384-sha384': der(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })),
  'ecdsa-p521-sha512': der(generateKeyPairSync('ec', { namedCurve: 'secp521r1' })),
  'ecdsa-p384-sha256': der(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })),
  'ecdsa-p521-sha256': der(generateKeyPairSync('ec', { namedCurve: 'secp521r1' })),
  'ed25519': der(generateKeyPairSync('ed25519')),
  'rsa-pkcs1v15-sha256': der(generateKeyPairSync('rsa', { modulusLength: 2048 })),
  'rsa-pss-sha256': der(generateKeyPairSync('rsa', { modulusLength: 2048 })),
};
const data = new TextEncoder().encode('tree head');
const ALL = Object.keys(keys) as SignatureAlgorithm[];

for (const algorithm of ALL) {
  test(`${algorithm}: signs, verifies, and rejects a changed message`, () => {
    const { spkiDer, pkcs8Der } = keys[algorithm];
    const sig = signData(algorithm, pkcs8Der, data);
    verifySignature(algorithm, spkiDer, data, sig, [algorithm]);
    assert.equal(isSignatureValid(algorithm, spkiDer, data.slice(1), sig, [algorithm]), false);
    assert.throws(() => verifySignature(algorithm, spkiDer, data, sig.slice(0, -1), [algorithm]), { code: 'ERR_CRYPTO_SIGNATURE_INVALID' });
  });
}

const failures: readonly { name: string; run: () => unknown; code: string }[] = [
  { name: 'algorithm outside the allowlist', run: () => isSignatureValid('ed25519', keys.ed25519.spkiDer, data, new Uint8Array(64), ['ecdsa-p256-sha256']), code: 'ERR_CRYPTO_ALGORITHM_NOT_ALLOWED' },
  { name: 'P-384 key named as P-256', run: () => isSignatureValid('ecdsa-p256-sha256', keys['ecdsa-p384-sha384'].spkiDer, data, new Uint8Array(8), ['ecdsa-p256-sha256']), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'RSA key named as Ed25519', run: () => isSignatureValid('ed25519', keys['rsa-pss-sha256'].spkiDer, data, new Uint8Array(8), ['ed25519']), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'garbage public key', run: () => isSignatureValid('ed25519', new Uint8Array([1, 2, 3]), data, new Uint8Array(8), ['ed25519']), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'garbage private key', run: () => signData('ed25519', new Uint8Array([1, 2, 3]), data), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'private key of another type', run: () => signData('ed25519', keys['ecdsa-p256-sha256'].pkcs8Der, data), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'RSA key below 2048 bits', run: () => isSignatureValid('rsa-pkcs1v15-sha256', der(generateKeyPairSync('rsa', { modulusLength: 1024 })).spkiDer, data, new Uint8Array(8), ['rsa-pkcs1v15-sha256']), code: 'ERR_CRYPTO_KEY_INVALID' },
  { name: 'raw Ed25519 bytes of an ECDSA key', run: () => ed25519PublicKeyBytes(keys['ecdsa-p256-sha256'].spkiDer), code: 'ERR_CRYPTO_KEY_INVALID' },
];

for (const c of failures) test(c.name, () => assert.throws(c.run, { code: c.code }));

test('garbage signature bytes are simply invalid', () => {
  assert.equal(isSignatureValid('ecdsa-p256-sha256', keys['ecdsa-p256-sha256'].spkiDer, data, new Uint8Array([0x30, 0xff]), ['ecdsa-p256-sha256']), false);
});

test('raw Ed25519 key is the last 32 bytes of its SPKI', () => {
  const spki = keys.ed25519.spkiDer;
  assert.deepEqual(ed25519PublicKeyBytes(spki), spki.slice(-32));
});

test('hashBytes returns the raw digest', () => {
  assert.equal(Buffer.from(hashBytes('sha256', '')).toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('a key array whose bytes change is parsed again: the cache by array never serves the old key', () => {
  const a = der(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const b = der(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const data = new Uint8Array([1, 2, 3]);
  const sigB = signData('ecdsa-p256-sha256', b.pkcs8Der, data);
  const key = a.spkiDer.slice();
  assert.equal(isSignatureValid('ecdsa-p256-sha256', key, data, sigB, ['ecdsa-p256-sha256']), false);
  key.set(b.spkiDer);
  assert.equal(isSignatureValid('ecdsa-p256-sha256', key, data, sigB, ['ecdsa-p256-sha256']), true);
  key.set(a.spkiDer);
  assert.equal(isSignatureValid('ecdsa-p256-sha256', key, data, sigB, ['ecdsa-p256-sha256']), false);
});
