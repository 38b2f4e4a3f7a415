// The cosign flags sigil took over, checked against cosign 2.5 itself on a distribution 2.8
// registry: what sigil signs with --sign-container-identity and --record-creation-timestamp,
// cosign verifies (and reads the same identity); what cosign signs with them, sigil verifies;
// --check-claims=false accepts the same signature in both; cosign's raw --b64=false signature
// and sigil's verify each other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runSigil, expectSuccess } from '../support/peers.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';

const PASSWORD = 'compat-flags';
const env = { COSIGN_PASSWORD: PASSWORD };
let dir = '';
let dist: Distribution;
const bySigil = buildImage([201]);
const byCosign = buildImage([202]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-compat-interop-'));
  dist = await startDistribution();
  const client = createTestClient().client;
  await pushImage(client, { registry: dist.host, repository: 'by-sigil' }, bySigil, 'v1');
  await pushImage(client, { registry: dist.host, repository: 'by-cosign' }, byCosign, 'v1');
  await expectSuccess(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'sigil')], { env }), 'sigil keys');
  await expectSuccess(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env, cwd: dir }), 'cosign keys');
});
after(async () => { await dist.stop(); rmSync(dir, { recursive: true, force: true }); });

const identityOf = (stdout: string): string =>
  (JSON.parse(stdout) as { critical: { identity: { 'docker-reference': string } } }[])[0]?.critical.identity['docker-reference'] ?? '';

test('sigil sign --sign-container-identity --record-creation-timestamp: cosign verifies it and reads the identity', async () => {
  const ref = `${dist.host}/by-sigil@${bySigil.digest}`;
  await expectSuccess(runSigil(['sign', '--key', join(dir, 'sigil.key'), '--tlog-upload=false', '--sign-container-identity', 'mirror.example/app', '--record-creation-timestamp', '-a', 'team=a', ref], { env }), 'sigil sign');
  const out = await expectSuccess(runPeer('cosign', ['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', '--allow-http-registry', ref], { env }), 'cosign verify');
  assert.equal(identityOf(out), 'mirror.example/app');
  // --check-claims=false: both accept an annotation the payload does not carry; both refuse it by default
  const strictCosign = await runPeer('cosign', ['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', '--allow-http-registry', '-a', 'team=b', ref], { env });
  assert.notEqual(strictCosign.code, 0);
  const strictSigil = await runSigil(['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', '-a', 'team=b', ref], { env });
  assert.equal(strictSigil.code, 12, strictSigil.stderr);
  await expectSuccess(runPeer('cosign', ['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', '--allow-http-registry', '--check-claims=false', '-a', 'team=b', ref], { env }), 'cosign --check-claims=false');
  await expectSuccess(runSigil(['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', '--check-claims=false', '-a', 'team=b', ref], { env }), 'sigil --check-claims=false');
});

test('cosign sign --sign-container-identity --record-creation-timestamp: sigil verifies it and reads the identity', async () => {
  const ref = `${dist.host}/by-cosign@${byCosign.digest}`;
  await expectSuccess(runPeer('cosign', ['sign', '--key', join(dir, 'cosign.key'), '--tlog-upload=false', '-y', '--allow-http-registry', '--sign-container-identity', 'proxy.example/app', '--record-creation-timestamp', ref], { env }), 'cosign sign');
  const out = await expectSuccess(runSigil(['verify', '--key', join(dir, 'cosign.pub'), '--insecure-ignore-tlog', '--allow-http-registry', ref], { env }), 'sigil verify');
  assert.equal(identityOf(out), 'proxy.example/app');
});

test('sign-blob --b64=false: cosign and sigil verify each other\'s raw signature files', async () => {
  const file = join(dir, 'blob.txt');
  writeFileSync(file, 'raw interop\n');
  await expectSuccess(runSigil(['sign-blob', '--key', join(dir, 'sigil.key'), '--tlog-upload=false', '--b64=false', '--output-signature', join(dir, 'sigil.raw'), file], { env }), 'sigil sign-blob');
  await expectSuccess(runPeer('cosign', ['verify-blob', '--key', join(dir, 'sigil.pub'), '--signature', join(dir, 'sigil.raw'), '--insecure-ignore-tlog', file], { env }), 'cosign verify-blob');
  await expectSuccess(runPeer('cosign', ['sign-blob', '--key', join(dir, 'cosign.key'), '--tlog-upload=false', '--b64=false', '--output-signature', join(dir, 'cosign.raw'), file], { env }), 'cosign sign-blob');
  await expectSuccess(runSigil(['verify-blob', '--key', join(dir, 'cosign.pub'), '--signature', join(dir, 'cosign.raw'), '--insecure-ignore-tlog', file], { env }), 'sigil verify-blob');
});
