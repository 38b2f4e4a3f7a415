import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, scriptedTerminal } from '../support/cli-capture.ts';

const vectors = new URL('../vectors/cosign-keys/', import.meta.url);
const cwd = mkdtempSync(join(tmpdir(), 'sigil-pub-'));
cpSync(vectors, cwd, { recursive: true });
const pub = (name: string): string => readFileSync(join(cwd, `${name}.pub`), 'utf8');

const positive: readonly [string, string][] = [
  ['cosign-generated-empty-password', ''], ['cosign-label-password-123', '123'],
  ['sigstore-label-password-hello', 'hello'], ['cosign-label-password-hello', 'hello'],
];
for (const [name, password] of positive) {
  test(`public-key --key ${name}.key prints its .pub exactly`, async () => {
    const r = await runCli(['public-key', '--key', `${name}.key`], { env: { COSIGN_PASSWORD: password }, cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, pub(name));
    assert.equal(r.stderr, '');
  });
}

test('env://VAR, a prompt on a terminal, --outfile and --output json', async () => {
  const text = readFileSync(join(cwd, 'cosign-label-password-123.key'), 'utf8');
  const env = await runCli(['public-key', '--key', 'env://MY_KEY'], { env: { MY_KEY: text, COSIGN_PASSWORD: '123' }, cwd });
  assert.equal(env.stdout, pub('cosign-label-password-123'));
  const t = scriptedTerminal(['123']);
  const prompted = await runCli(['public-key', '--key', 'cosign-label-password-123.key'], { cwd, terminal: t });
  assert.equal(prompted.stdout, pub('cosign-label-password-123'));
  assert.deepEqual(t.prompts, ['Enter password for private key: ']);
  const out = await runCli(['public-key', '--key', 'cosign-label-password-123.key', '--outfile', 'out.pub'], { env: { COSIGN_PASSWORD: '123' }, cwd });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, '');
  assert.equal(out.stderr, 'Public key written to out.pub\n');
  assert.equal(readFileSync(join(cwd, 'out.pub'), 'utf8'), pub('cosign-label-password-123'));
  assert.equal(statSync(join(cwd, 'out.pub')).mode & 0o600, 0o600);
  const json = await runCli(['public-key', '--key', 'cosign-label-password-123.key', '--output', 'json'], { env: { COSIGN_PASSWORD: '123' }, cwd });
  assert.deepEqual(JSON.parse(json.stdout), { keyType: 'ecdsa-p256', publicKey: pub('cosign-label-password-123') });
});

test('an unencrypted PKCS#8 key needs no password', async () => {
  const { generatePrivateKey, encodePem, encodePublicKeyPem } = await import('../../src/core/index.ts');
  const key = generatePrivateKey('ed25519');
  writeFileSync(join(cwd, 'plain.pem'), encodePem('PRIVATE KEY', key.toPkcs8Der()));
  const r = await runCli(['public-key', '--key', 'plain.pem'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, encodePublicKeyPem(key.publicKey()));
});

const failures: readonly { name: string; argv: string[]; env?: Record<string, string>; code: string; exit: number }[] = [
  { name: 'wrong password', argv: ['--key', 'cosign-label-password-123.key'], env: { COSIGN_PASSWORD: 'nope' }, code: 'ERR_KEY_PASSWORD_WRONG', exit: 5 },
  { name: 'unknown password (CI key)', argv: ['--key', 'cosign-ci-unknown-password.key'], env: { COSIGN_PASSWORD: '' }, code: 'ERR_KEY_PASSWORD_WRONG', exit: 5 },
  { name: 'no password and no terminal', argv: ['--key', 'cosign-label-password-123.key'], code: 'ERR_KEY_PASSWORD_MISSING', exit: 2 },
  { name: 'SEC1 inside (the negative vector)', argv: ['--key', 'negative-sec1-inside-password-hello.key'], env: { COSIGN_PASSWORD: 'hello' }, code: 'ERR_KEY_MALFORMED', exit: 2 },
  { name: 'a public key given as --key', argv: ['--key', 'cosign-label-password-123.pub'], code: 'ERR_KEY_UNSUPPORTED', exit: 2 },
  { name: 'a missing key file', argv: ['--key', 'missing.key'], code: 'ERR_FILE_NOT_FOUND', exit: 2 },
  { name: 'an unset env var', argv: ['--key', 'env://NOT_SET'], code: 'ERR_KEY_ENV_UNSET', exit: 2 },
  { name: 'a KMS reference', argv: ['--key', 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k'], code: 'ERR_KEY_REF_UNSUPPORTED', exit: 2 },
  { name: 'no --key', argv: [], code: 'ERR_USAGE', exit: 2 },
];
for (const c of failures) {
  test(`public-key with ${c.name}: ${c.code}, exit ${c.exit}, nothing on stdout`, async () => {
    const r = await runCli(['public-key', ...c.argv, '--outfile', 'never.pub'], { env: c.env ?? {}, cwd });
    assert.equal(r.code, c.exit, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: .+ \\(${c.code}\\)\\n$`));
    assert.equal(r.stdout, '');
    assert.throws(() => statSync(join(cwd, 'never.pub')), { code: 'ENOENT' });
  });
}

test('error messages never contain the password', async () => {
  const r = await runCli(['public-key', '--key', 'cosign-label-password-123.key', '--verbose'], { env: { COSIGN_PASSWORD: 'hunter2-secret' }, cwd });
  assert.equal(r.code, 5);
  assert.doesNotMatch(r.stderr, /hunter2/);
});
