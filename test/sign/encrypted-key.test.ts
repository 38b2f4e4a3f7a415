// The encrypted envelope: one-field mutations of a real cosign envelope (cosign-label-password-hello.key),
// and byte-exact re-encryption of every positive vector with its own salt and nonce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeKeyPem, encodePem } from '../../src/core/index.ts';
import {
  decodePrivateKeyPem, decryptKeyBytes, encodeEncryptedKeyEnvelope, encryptKeyBytes, parseEncryptedKeyEnvelope, type PasswordSource,
} from '../../src/sign/index.ts';

const text = readFileSync(new URL('../vectors/cosign-keys/cosign-label-password-hello.key', import.meta.url), 'utf8');
const block = decodeKeyPem(text);
type Json = { kdf: { name: unknown; params: Record<string, unknown>; salt: unknown }; cipher: { name: unknown; nonce: unknown }; ciphertext: unknown };
const original = (): Json => JSON.parse(new TextDecoder().decode(block.der)) as Json;
const never: PasswordSource = async () => { throw new Error('the password was asked for'); };

const mutations: readonly { name: string; code: string; mutate: (j: Json) => unknown }[] = [
  { name: 'kdf-name-pbkdf2', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.kdf.name = 'pbkdf2'; return j; } },
  { name: 'cipher-name-aes', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.cipher.name = 'aes-gcm'; return j; } },
  { name: 'scrypt-n-1024', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.kdf.params['N'] = 1024; return j; } },
  { name: 'scrypt-n-2-pow-30', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.kdf.params['N'] = 2 ** 30; return j; } },
  { name: 'scrypt-r-16', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.kdf.params['r'] = 16; return j; } },
  { name: 'scrypt-p-2', code: 'ERR_KEY_UNSUPPORTED', mutate: (j) => { j.kdf.params['p'] = 2; return j; } },
  { name: 'scrypt-n-string', code: 'ERR_KEY_MALFORMED', mutate: (j) => { j.kdf.params['N'] = '32768'; return j; } },
  { name: 'nonce-23-bytes', code: 'ERR_KEY_MALFORMED', mutate: (j) => { j.cipher.nonce = Buffer.alloc(23).toString('base64'); return j; } },
  { name: 'nonce-not-base64', code: 'ERR_KEY_MALFORMED', mutate: (j) => { j.cipher.nonce = '!!!!'; return j; } },
  { name: 'salt-missing', code: 'ERR_KEY_MALFORMED', mutate: (j) => { delete (j.kdf as Partial<Json['kdf']>).salt; return j; } },
  { name: 'ciphertext-number', code: 'ERR_KEY_MALFORMED', mutate: (j) => { j.ciphertext = 5; return j; } },
  { name: 'cipher-array', code: 'ERR_KEY_MALFORMED', mutate: (j) => { (j as { cipher: unknown }).cipher = []; return j; } },
  { name: 'root-null', code: 'ERR_KEY_MALFORMED', mutate: () => null },
];
for (const m of mutations) {
  test(`${m.name}: ${m.code}, before any password is asked for`, async () => {
    const der = new TextEncoder().encode(JSON.stringify(m.mutate(original())));
    assert.throws(() => parseEncryptedKeyEnvelope(der), { code: m.code });
    await assert.rejects(decodePrivateKeyPem(encodePem(block.label, der), never), { code: m.code });
  });
}

test('a body that is not json, or not utf-8, is ERR_KEY_MALFORMED', () => {
  assert.throws(() => parseEncryptedKeyEnvelope(new TextEncoder().encode('{"kdf":')), { code: 'ERR_KEY_MALFORMED' });
  assert.throws(() => parseEncryptedKeyEnvelope(new Uint8Array([0xff, 0xfe])), { code: 'ERR_KEY_MALFORMED' });
});

test('ciphertext-flipped: one altered ciphertext byte reads as a wrong password', async () => {
  const j = original();
  const ct = Buffer.from(String(j.ciphertext), 'base64');
  ct[40] = (ct[40] ?? 0) ^ 0x80;
  j.ciphertext = ct.toString('base64');
  const pem = encodePem(block.label, new TextEncoder().encode(JSON.stringify(j)));
  await assert.rejects(decodePrivateKeyPem(pem, async () => 'hello'), { code: 'ERR_KEY_PASSWORD_WRONG' });
});

test('the envelope of the vector parses to its fields', () => {
  const e = parseEncryptedKeyEnvelope(block.der);
  assert.deepEqual(e.kdf.params, { N: 32768, r: 8, p: 1 });
  assert.equal(e.kdf.salt.byteLength, 32);
  assert.equal(e.cipher.nonce.byteLength, 24);
  assert.equal(e.ciphertext.byteLength, 138 + 16);
});

const vectors: readonly [string, string][] = [
  ['cosign-generated-empty-password', ''], ['cosign-label-password-123', '123'],
  ['sigstore-label-password-hello', 'hello'], ['cosign-label-password-hello', 'hello'],
];
for (const [name, password] of vectors) {
  test(`re-encrypting ${name} with its own salt and nonce reproduces the file byte for byte`, async () => {
    const fileText = readFileSync(new URL(`../vectors/cosign-keys/${name}.key`, import.meta.url), 'utf8');
    const pem = decodeKeyPem(fileText);
    const envelope = parseEncryptedKeyEnvelope(pem.der);
    const plaintext = await decryptKeyBytes(envelope, password);
    const replay = [envelope.kdf.salt, envelope.cipher.nonce];
    const random = { bytes: (n: number) => { const next = replay.shift(); assert.equal(next?.byteLength, n); return next ?? new Uint8Array(n); }, uuid: () => '' };
    const again = await encryptKeyBytes(plaintext, password, random, envelope.kdf.params);
    assert.equal(encodePem(pem.label, encodeEncryptedKeyEnvelope(again)), fileText);
  });
}
