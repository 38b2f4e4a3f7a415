import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeKeyPem, parsePublicKeyPem } from '../../src/core/index.ts';
import { decodePrivateKeyPem, parseEncryptedKeyEnvelope } from '../../src/sign/index.ts';
import { runCli, scriptedTerminal } from '../support/cli-capture.ts';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'sigil-gen-'));

test('writes cosign.key (0600, SIGSTORE label, N=65536) and cosign.pub with COSIGN_PASSWORD', async () => {
  const cwd = fresh();
  const r = await runCli(['generate-key-pair'], { env: { COSIGN_PASSWORD: 'pw' }, cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'Private key written to cosign.key\nPublic key written to cosign.pub\n');
  const keyText = readFileSync(join(cwd, 'cosign.key'), 'utf8');
  assert.equal(statSync(join(cwd, 'cosign.key')).mode & 0o777, 0o600);
  const block = decodeKeyPem(keyText);
  assert.equal(block.label, 'ENCRYPTED SIGSTORE PRIVATE KEY');
  assert.deepEqual(parseEncryptedKeyEnvelope(block.der).kdf.params, { N: 65536, r: 8, p: 1 });
  const loaded = await decodePrivateKeyPem(keyText, async () => 'pw');
  assert.ok(loaded.key.publicKey().equals(parsePublicKeyPem(readFileSync(join(cwd, 'cosign.pub'), 'utf8'))));
  assert.deepEqual(readdirSync(cwd).sort(), ['cosign.key', 'cosign.pub']);
});

test('--output-key-prefix names the files, --output json reports them, an empty password is allowed', async () => {
  const cwd = fresh();
  mkdirSync(join(cwd, 'keys'));
  const r = await runCli(['generate-key-pair', '--output-key-prefix', 'keys/release', '--output', 'json'], { env: { COSIGN_PASSWORD: '' }, cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { keyType: 'ecdsa-p256', privateKey: 'keys/release.key', publicKey: 'keys/release.pub' });
  await decodePrivateKeyPem(readFileSync(join(cwd, 'keys/release.key'), 'utf8'), async () => '');
});

test('on a terminal the password is asked twice; a mismatch writes nothing', async () => {
  const cwd = fresh();
  const t = scriptedTerminal(['one', 'two']);
  const r = await runCli(['generate-key-pair'], { cwd, terminal: t });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\(ERR_KEY_PASSWORD_MISMATCH\)\n$/);
  assert.deepEqual(readdirSync(cwd), []);
  const ok = await runCli(['generate-key-pair'], { cwd, terminal: scriptedTerminal(['same', 'same']) });
  assert.equal(ok.code, 0, ok.stderr);
  await decodePrivateKeyPem(readFileSync(join(cwd, 'cosign.key'), 'utf8'), async () => 'same');
});

test('no COSIGN_PASSWORD and no terminal: ERR_KEY_PASSWORD_MISSING, exit 2, nothing written', async () => {
  const cwd = fresh();
  const r = await runCli(['generate-key-pair'], { cwd });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /COSIGN_PASSWORD.*\(ERR_KEY_PASSWORD_MISSING\)\n$/);
  assert.deepEqual(readdirSync(cwd), []);
});

test('existing files: refused without a terminal, kept unchanged; --force replaces them', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'cosign.pub'), 'old');
  const r = await runCli(['generate-key-pair'], { env: { COSIGN_PASSWORD: 'pw' }, cwd });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: cosign\.pub already exists: pass --force to overwrite \(ERR_KEY_FILE_EXISTS\)\n$/);
  assert.deepEqual(readdirSync(cwd), ['cosign.pub']);
  assert.equal(readFileSync(join(cwd, 'cosign.pub'), 'utf8'), 'old');
  const forced = await runCli(['generate-key-pair', '-f'], { env: { COSIGN_PASSWORD: 'pw' }, cwd });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(join(cwd, 'cosign.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
});

test('existing files on a terminal: cosign\'s question; no keeps them, y replaces them', async () => {
  const cwd = fresh();
  writeFileSync(join(cwd, 'cosign.key'), 'old');
  const no = scriptedTerminal(['n']);
  const r = await runCli(['generate-key-pair'], { env: { COSIGN_PASSWORD: 'pw' }, cwd, terminal: no });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\(ERR_KEY_FILE_EXISTS\)/);
  assert.deepEqual(no.prompts, ['WARNING: File cosign.key already exists. Overwrite?\nAre you sure you would like to continue? [y/N] ']);
  assert.equal(readFileSync(join(cwd, 'cosign.key'), 'utf8'), 'old');
  const yes = await runCli(['generate-key-pair'], { env: { COSIGN_PASSWORD: 'pw' }, cwd, terminal: scriptedTerminal(['y']) });
  assert.equal(yes.code, 0, yes.stderr);
  await decodePrivateKeyPem(readFileSync(join(cwd, 'cosign.key'), 'utf8'), async () => 'pw');
});

test('usage errors: unknown flag, extra argument, empty prefix, missing folder', async () => {
  const cwd = fresh();
  const env = { COSIGN_PASSWORD: 'pw' };
  for (const argv of [['generate-key-pair', '--no-such-flag', 'x'], ['generate-key-pair', 'k8s://ns/name'], ['generate-key-pair', '--output-key-prefix', '']]) {
    const r = await runCli(argv, { env, cwd });
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /\(ERR_USAGE\)\n$/, argv.join(' '));
  }
  // cosign's --kms is known and refused with its reason
  const kms = await runCli(['generate-key-pair', '--kms', 'gcpkms://x'], { env, cwd });
  assert.equal(kms.code, 2);
  assert.match(kms.stderr, /^error: --kms: .*\(ERR_FLAG_UNSUPPORTED\)\n$/);
  const missing = await runCli(['generate-key-pair', '--output-key-prefix', 'no/such/cosign'], { env, cwd });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\(ERR_FILE_NOT_FOUND\)\n$/);
  assert.deepEqual(readdirSync(cwd), []);
});
