// What sigil pushes, skopeo, oras and cosign read; what skopeo pushes, sigil copies unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DOCKER_MANIFEST, signatureTag } from '../../src/oci/index.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildIndex, pushIndex, type TestIndex } from '../support/images.ts';
import { runCli } from '../support/cli.ts';
import { runPeerOk as runPeer } from '../support/peers.ts';
import { makeTempDir } from '../support/temp.ts';

let one: Distribution;
let two: Distribution;
let index: TestIndex;

before(async () => {
  [one, two] = await Promise.all([startDistribution(), startDistribution()]);
  index = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
  await pushIndex(createTestClient().client, { registry: one.host, repository: 'src/multi' }, index, 'v1');
});
after(async () => { await Promise.all([one?.stop(), two?.stop()]); });

test('skopeo and oras read the exact index bytes sigil pushed and copied', async () => {
  const copied = await runCli(['copy', `${one.host}/src/multi:v1`, `${two.host}/copied/multi`]);
  assert.equal(copied.code, 0, copied.stderr);
  const skopeo = await runPeer('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${two.host}/copied/multi:v1`]);
  assert.deepEqual(new Uint8Array(skopeo), index.manifest);
  const oras = await runPeer('oras', ['manifest', 'fetch', '--plain-http', `${two.host}/copied/multi@${index.digest}`]);
  assert.deepEqual(new Uint8Array(oras), index.manifest);
  const child = index.children[1];
  assert.ok(child);
  const arm = await runPeer('oras', ['manifest', 'fetch', '--plain-http', `${two.host}/copied/multi@${child.digest}`]);
  assert.deepEqual(new Uint8Array(arm), child.manifest);
});

test('cosign triangulate names the same signature tag as signatureTag', async () => {
  const out = (await runPeer('cosign', ['triangulate', '--allow-insecure-registry', `${one.host}/src/multi:v1`])).toString().trim();
  assert.equal(out, `${one.host}/src/multi:${signatureTag(index.digest)}`);
});

test('sigil copies a docker v2s2 image skopeo pushed, byte for byte', async () => {
  const layout = join(makeTempDir('layout'), 'layout');
  await runPeer('skopeo', ['copy', '--src-tls-verify=false', '--override-arch', 'arm64', `docker://${one.host}/src/multi:v1`, `oci:${layout}:x`]);
  await runPeer('skopeo', ['copy', '--dest-tls-verify=false', '--format', 'v2s2', `oci:${layout}:x`, `docker://${one.host}/docker/app:v1`]);
  const pushed = await runPeer('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${one.host}/docker/app:v1`]);
  const r = await runCli(['copy', `${one.host}/docker/app:v1`, `${two.host}/docker/app`, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).mediaType, DOCKER_MANIFEST);
  const copied = await runPeer('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${two.host}/docker/app:v1`]);
  assert.deepEqual(copied, pushed);
  const digest = await runCli(['digest', `${two.host}/docker/app:v1`]);
  assert.equal(digest.stdout.trim(), JSON.parse(r.stdout).digest);
});
