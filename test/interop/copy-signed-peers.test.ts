// Interop of `sigil copy` carrying signatures: an image signed (by sigil and by cosign, with a
// cosign attestation) on one registry and copied to another verifies there with cosign; cosign
// triangulate and download signature agree with sigil's. sigil's registry has the referrers API,
// distribution 2.8 does not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runSigil, type RunResult, expectSuccess } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';

const PASSWORD = 'copy-interop';
const env = { COSIGN_PASSWORD: PASSWORD };
const INSECURE = ['--allow-insecure-registry', '--allow-http-registry'];
let dir = '';
let sigil: SigilServerProcess;
let dist: Distribution;

const ok = expectSuccess;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-copy-signed-'));
  sigil = await startSigilServer(join(dir, 'data'));
  dist = await startDistribution();
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'sigil')], { env }), 'sigil keys');
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env, cwd: dir }), 'cosign keys');
  writeFileSync(join(dir, 'predicate.json'), '{"ok":true}');
});
after(async () => {
  assert.equal(await sigil.stop(), 0);
  await dist.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('signed on sigil\'s registry, copied to distribution: cosign verify accepts there', async () => {
  const image = buildImage([333]);
  await pushImage(createTestClient().client, { registry: sigil.host, repository: 'signed' }, image, 'v1');
  await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), `${sigil.host}/signed:v1`], { env }), 'sigil sign');
  const out = await ok(runSigil(['copy', `${sigil.host}/signed:v1`, `${dist.host}/mirror/signed`, '--output', 'json']), 'sigil copy');
  assert.deepEqual((JSON.parse(out) as { carried: { kind: string }[] }).carried.map((c) => c.kind), ['sig']);
  const dst = `${dist.host}/mirror/signed:v1`;
  await ok(runPeer('cosign', ['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', ...INSECURE, dst], { env }), 'cosign verify');
  await ok(runPeer('cosign', ['verify', '--key', join(dir, 'sigil.pub'), '--insecure-ignore-tlog', ...INSECURE, `${dist.host}/mirror/signed@${image.digest}`], { env }), 'cosign verify by digest');
  for (const type of ['signature', 'attestation', 'sbom', 'digest']) {
    const theirs = await ok(runPeer('cosign', ['triangulate', '--type', type, ...INSECURE, dst], { env }), `cosign triangulate ${type}`);
    const ours = await ok(runSigil(['triangulate', '--type', type, dst]), `sigil triangulate ${type}`);
    assert.equal(ours, theirs, type);
  }
  const theirs = await ok(runPeer('cosign', ['download', 'signature', ...INSECURE, dst], { env }), 'cosign download');
  const ours = await ok(runSigil(['download', 'signature', dst]), 'sigil download');
  const parse = (s: string): unknown[] => s.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(parse(ours), parse(theirs));
});

test('cosign signs, attests and attaches an SBOM on distribution; sigil tree matches cosign tree; sigil copy to sigil\'s registry; cosign verify and verify-attestation accept there', async () => {
  const image = buildImage([444]);
  await pushImage(createTestClient().client, { registry: dist.host, repository: 'by-cosign' }, image, 'v1');
  const src = `${dist.host}/by-cosign@${image.digest}`;
  await ok(runPeer('cosign', ['sign', '--key', join(dir, 'cosign.key'), '--tlog-upload=false', ...INSECURE, '-y', src], { env }), 'cosign sign');
  await ok(runPeer('cosign', ['attest', '--key', join(dir, 'cosign.key'), '--type', 'custom', '--predicate', join(dir, 'predicate.json'), '--tlog-upload=false', ...INSECURE, '-y', src], { env }), 'cosign attest');
  writeFileSync(join(dir, 'sbom.spdx'), 'SPDXVersion: SPDX-2.3\n');
  await ok(runPeer('cosign', ['attach', 'sbom', '--sbom', join(dir, 'sbom.spdx'), '--type', 'spdx', ...INSECURE, src], { env }), 'cosign attach sbom');
  const out = await ok(runSigil(['copy', `${dist.host}/by-cosign:v1`, `${sigil.host}/mirror/by-cosign`, '--output', 'json']), 'sigil copy');
  assert.deepEqual((JSON.parse(out) as { carried: { kind: string }[] }).carried.map((c) => c.kind), ['sig', 'att', 'sbom']);
  const dst = `${sigil.host}/mirror/by-cosign:v1`;
  const cosignTree = await ok(runPeer('cosign', ['tree', ...INSECURE, `${dist.host}/by-cosign:v1`], { env }), 'cosign tree');
  const sigilTree = await ok(runSigil(['tree', `${dist.host}/by-cosign:v1`]), 'sigil tree');
  // cosign walks a Go map, so its sections come in a random order; compare the sections as a set
  const sections = (tree: string): string[] => tree.split(/\n(?=└── )/).map((x) => x.trimEnd()).sort();
  assert.deepEqual(sections(sigilTree), sections(cosignTree));
  assert.equal(sigilTree.split('\n')[0], cosignTree.split('\n')[0]);
  await ok(runPeer('cosign', ['verify', '--key', join(dir, 'cosign.pub'), '--insecure-ignore-tlog', ...INSECURE, dst], { env }), 'cosign verify');
  await ok(runPeer('cosign', ['verify-attestation', '--key', join(dir, 'cosign.pub'), '--type', 'custom', '--insecure-ignore-tlog', ...INSECURE, dst], { env }), 'cosign verify-attestation');
  const only = await ok(runSigil(['copy', `${dist.host}/by-cosign:v1`, `${sigil.host}/mirror/sig-only`, '--only', 'sig', '--output', 'json']), 'sigil copy --only sig');
  assert.deepEqual((JSON.parse(only) as { carried: { kind: string }[] }).carried.map((c) => c.kind), ['sig']);
  const refused = await runPeer('cosign', ['verify-attestation', '--key', join(dir, 'cosign.pub'), '--type', 'custom', '--insecure-ignore-tlog', ...INSECURE, `${sigil.host}/mirror/sig-only:v1`], { env });
  assert.notEqual(refused.code, 0);
  await ok(runSigil(['clean', '-f', dst]), 'sigil clean');
  assert.notEqual((await runPeer('cosign', ['verify', '--key', join(dir, 'cosign.pub'), '--insecure-ignore-tlog', ...INSECURE, dst], { env })).code, 0);
  const emptied = await ok(runPeer('cosign', ['tree', ...INSECURE, dst], { env }), 'cosign tree after clean');
  assert.match(emptied, /No Supply Chain Security Related Artifacts artifacts found/);
  const ours = await ok(runSigil(['tree', dst]), 'sigil tree after clean');
  assert.equal(ours, `${emptied.replace('cosign sign', 'sigil sign')}\n`);
});
