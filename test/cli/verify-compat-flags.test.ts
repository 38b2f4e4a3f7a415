// cosign's verification flags on sigil verify / verify-blob / verify-attestation: --check-claims,
// --private-infrastructure, --offline, --max-workers, --signature-digest-algorithm, against a real
// registry (distribution 2.8) and real keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';

const PASSWORD = 'verify-flags';
let registry: Distribution;
let dir = '';
let key = '';
let ref = '';
const image = buildImage([333]);
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
/** a loopback port nothing listens on */
const DEAD_LOG = 'http://127.0.0.1:9';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-verify-flags-'));
  registry = await startDistribution();
  await pushImage(createTestClient().client, { registry: registry.host, repository: 'app' }, image, 'v1');
  ref = `${registry.host}/app@${image.digest}`;
  key = join(dir, 'k');
  const g = await runCliIn(['generate-key-pair', '--output-key-prefix', key], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(g.code, 0, g.stderr);
  const s = await runCli(['sign', '--key', `${key}.key`, '--tlog-upload=false', '-a', 'team=a', ref], { env: env() });
  assert.equal(s.code, 0, s.stderr);
});
after(async () => { await registry.stop(); rmSync(dir, { recursive: true, force: true }); });

test('--check-claims=false accepts a payload whose annotations do not match, and says no claims were validated', async () => {
  const base = ['verify', '--key', `${key}.pub`, '--insecure-ignore-tlog', '-a', 'team=b', ref];
  const checked = await runCli(base, { env: env() });
  assert.equal(checked.code, 12, checked.stderr);
  assert.match(checked.stderr, /\(ERR_VERIFY_NO_MATCHING_SIGNATURE\)/);
  const unchecked = await runCli([...base, '--check-claims=false'], { env: env() });
  assert.equal(unchecked.code, 0, unchecked.stderr);
  assert.doesNotMatch(unchecked.stderr, /The cosign claims were validated/);
  assert.match(unchecked.stderr, /The signatures were verified against the specified public key/);
  const explicit = await runCli(['verify', '--key', `${key}.pub`, '--insecure-ignore-tlog', '--check-claims', 'true', ref], { env: env() });
  assert.equal(explicit.code, 0, explicit.stderr);
  assert.match(explicit.stderr, /The cosign claims were validated/);
});

test('--private-infrastructure skips the transparency log as --insecure-ignore-tlog does', async () => {
  const strict = await runCli(['verify', '--key', `${key}.pub`, ref], { env: env() });
  assert.equal(strict.code, 12, strict.stderr);
  const privateInfra = await runCli(['verify', '--key', `${key}.pub`, '--private-infrastructure', ref], { env: env() });
  assert.equal(privateInfra.code, 0, privateInfra.stderr);
  assert.doesNotMatch(privateInfra.stderr, /transparency log was verified/);
});

test('--offline never asks the log for its key (no network error), so an unlogged signature just does not match', async () => {
  const online = await runCli(['verify', '--key', `${key}.pub`, '--rekor-url', DEAD_LOG, ref], { env: env() });
  assert.equal(online.code, 4, online.stderr);
  const offline = await runCli(['verify', '--key', `${key}.pub`, '--rekor-url', DEAD_LOG, '--offline', ref], { env: env() });
  assert.equal(offline.code, 12, offline.stderr);
  assert.match(offline.stderr, /ERR_VERIFY_TLOG_MISSING/);
});

test('verify-blob --offline does not search the log for an entry', async () => {
  const blob = join(dir, 'blob.txt');
  writeFileSync(blob, 'offline blob\n');
  const sig = join(dir, 'blob.sig');
  const s = await runCli(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '--output-signature', sig, blob], { env: env() });
  assert.equal(s.code, 0, s.stderr);
  const pub = readKeyEnv();
  const online = await runCli(['verify-blob', '--key', `${key}.pub`, '--signature', sig, '--rekor-url', DEAD_LOG, blob], { env: pub });
  assert.equal(online.code, 4, online.stderr);
  const offline = await runCli(['verify-blob', '--key', `${key}.pub`, '--signature', sig, '--rekor-url', DEAD_LOG, '--offline', blob], { env: pub });
  assert.equal(offline.code, 12, offline.stderr);
  assert.match(offline.stderr, /--offline forbids searching the log.*\(ERR_VERIFY_TLOG_MISSING\)\n$/);
  const ignored = await runCli(['verify-blob', '--key', `${key}.pub`, '--signature', sig, '--offline', '--private-infrastructure', blob], { env: env() });
  assert.equal(ignored.code, 0, ignored.stderr);
});

/** An environment with a trusted log key (any P-256 key: the search for an entry comes after the key is known). */
function readKeyEnv(): Record<string, string> {
  return isolatedEnv({ SIGSTORE_REKOR_PUBLIC_KEY: `${key}.pub` });
}

const refusals: { name: string; argv: () => string[]; code: string }[] = [
  { name: '--max-workers 0', argv: () => ['verify', '--key', `${key}.pub`, '--max-workers', '0', ref], code: 'ERR_USAGE' },
  { name: '--signature-digest-algorithm md5', argv: () => ['verify', '--key', `${key}.pub`, '--signature-digest-algorithm', 'md5', ref], code: 'ERR_USAGE' },
  { name: '--signature-digest-algorithm sha512', argv: () => ['verify', '--key', `${key}.pub`, '--signature-digest-algorithm', 'sha512', ref], code: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--new-bundle-format with --key', argv: () => ['verify', '--key', `${key}.pub`, '--new-bundle-format', ref], code: 'ERR_FLAG_UNSUPPORTED' },
  { name: 'verify-attestation --check-claims=false', argv: () => ['verify-attestation', '--key', `${key}.pub`, '--check-claims=false', ref], code: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--local-image', argv: () => ['verify', '--key', `${key}.pub`, '--local-image', 'dir'], code: 'ERR_FLAG_UNSUPPORTED' },
];
for (const c of refusals) {
  test(`refused before any registry traffic: ${c.name}`, async () => {
    const r = await runCli(c.argv(), { env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`\\(${c.code}\\)\\n$`));
    assert.equal(r.stdout, '');
  });
}

test('accepted as cosign takes them: --max-workers N, --signature-digest-algorithm sha256, --experimental-oci11', async () => {
  const r = await runCli(['verify', '--key', `${key}.pub`, '--insecure-ignore-tlog', '--max-workers', '2', '--signature-digest-algorithm', 'sha256', '--experimental-oci11', ref], { env: env() });
  assert.equal(r.code, 0, r.stderr);
});
