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
import { buildImage, buildIndex, pushImage, pushIndex } from '../support/images.ts';

const PASSWORD = 'compat-flags';
const env = { COSIGN_PASSWORD: PASSWORD };
let dir = '';
let dist: Distribution;
const bySigil = buildImage([201]);
const byCosign = buildImage([202]);
const attested = buildImage([203]);
const multi = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-compat-interop-'));
  dist = await startDistribution();
  const client = createTestClient().client;
  await pushImage(client, { registry: dist.host, repository: 'by-sigil' }, bySigil, 'v1');
  await pushImage(client, { registry: dist.host, repository: 'by-cosign' }, byCosign, 'v1');
  await pushImage(client, { registry: dist.host, repository: 'attested' }, attested, 'v1');
  await pushIndex(client, { registry: dist.host, repository: 'multi' }, multi, 'v1');
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

test('download attestation prints what cosign prints; --predicate-type and --platform choose', async () => {
  const ref = `${dist.host}/attested:v1`;
  writeFileSync(join(dir, 'predicate.json'), '{"built":"here"}');
  await expectSuccess(runPeer('cosign', ['attest', '--key', join(dir, 'cosign.key'), '--tlog-upload=false', '-y', '--allow-http-registry', '--type', 'custom', '--predicate', join(dir, 'predicate.json'), ref], { env }), 'cosign attest');
  await expectSuccess(runSigil(['attest', '--key', join(dir, 'sigil.key'), '--tlog-upload=false', '--type', 'https://example.com/build/v1', '--predicate', join(dir, 'predicate.json'), ref], { env }), 'sigil attest');
  const fromCosign = await expectSuccess(runPeer('cosign', ['download', 'attestation', '--allow-http-registry', ref]), 'cosign download');
  const fromSigil = await expectSuccess(runSigil(['download', 'attestation', ref]), 'sigil download');
  // cosign fetches the payloads in parallel and prints them as they arrive; sigil in layer order
  const lines = (text: string): string[] => text.trimEnd().split('\n').sort();
  assert.deepEqual(lines(fromSigil), lines(fromCosign));
  assert.equal(lines(fromSigil).length, 2);
  const custom = await expectSuccess(runSigil(['download', 'attestation', '--predicate-type', 'custom', ref]), 'sigil --predicate-type custom');
  assert.equal(custom, await expectSuccess(runPeer('cosign', ['download', 'attestation', '--allow-http-registry', '--predicate-type', 'custom', ref]), 'cosign --predicate-type'));
  assert.equal(custom.trimEnd().split('\n').length, 1);
  const none = await runSigil(['download', 'attestation', '--predicate-type', 'cyclonedx', ref]);
  assert.equal(none.code, 10, none.stderr);
  assert.match(none.stderr, /no attestations with predicate type 'https:\/\/cyclonedx.org\/bom' found \(ERR_VERIFY_NO_ATTESTATIONS\)/);

  const arm = multi.children[1]?.digest ?? '';
  await expectSuccess(runSigil(['attest', '--key', join(dir, 'sigil.key'), '--tlog-upload=false', '--predicate', join(dir, 'predicate.json'), `${dist.host}/multi@${arm}`], { env }), 'attest arm64');
  const platform = await expectSuccess(runSigil(['download', 'attestation', '--platform', 'linux/arm64/v8', `${dist.host}/multi:v1`]), 'sigil --platform');
  const statement = JSON.parse(Buffer.from((JSON.parse(platform) as { payload: string }).payload, 'base64').toString('utf8')) as { subject: { digest: { sha256: string } }[] };
  assert.equal(`sha256:${statement.subject[0]?.digest.sha256}`, arm);
  const index = await runSigil(['download', 'attestation', `${dist.host}/multi:v1`]);
  assert.equal(index.code, 10, index.stderr);
});
