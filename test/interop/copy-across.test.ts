// Interop: `sigil copy` between Debian's distribution registry (no referrers API) and sigil's
// registry, in both directions, keeps a multi-platform index and every child byte for byte.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runProgram, runSigil, PROJECT_ROOT } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';

let dir = '';
let sigil: SigilServerProcess;
let dist: Distribution;
let indexDigest = '';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

async function rawManifest(ref: string): Promise<string> {
  const r = await runPeer('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The index and every child manifest, as served. */
async function snapshot(repoRef: string): Promise<string[]> {
  const index = await rawManifest(`${repoRef}:v1`);
  const children = (JSON.parse(index) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
  return [index, ...(await Promise.all(children.map((d) => rawManifest(`${repoRef}@${d}`))))];
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-copy-across-'));
  sigil = await startSigilServer(join(dir, 'data'));
  dist = await startDistribution();
  const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), '--platforms', 'linux/amd64,linux/arm64/v8,linux/s390x', '--size-kib', '512', join(dir, 'layout')]);
  assert.equal(made.code, 0, made.stderr);
  indexDigest = made.stdout.trim();
  const pushed = await runPeer('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${join(dir, 'layout')}:latest`, `docker://${dist.host}/origin/app:v1`]);
  assert.equal(pushed.code, 0, pushed.stderr);
});
after(async () => {
  assert.equal(await sigil.stop(), 0);
  await dist.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('distribution -> sigil -> distribution keeps the index and every child byte for byte', async () => {
  const original = await snapshot(`${dist.host}/origin/app`);
  assert.equal(sha256(original[0] ?? ''), indexDigest);
  assert.equal(original.length, 4);

  const there = await runSigil(['copy', `${dist.host}/origin/app:v1`, `${sigil.host}/copied/app:v1`, '--output', 'json']);
  assert.equal(there.code, 0, there.stderr);
  assert.equal((JSON.parse(there.stdout) as { digest: string }).digest, indexDigest);
  assert.deepEqual(await snapshot(`${sigil.host}/copied/app`), original);

  const back = await runSigil(['copy', `${sigil.host}/copied/app:v1`, `${dist.host}/returned/app:v1`]);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(await snapshot(`${dist.host}/returned/app`), original);
  assert.equal((await runSigil(['digest', `${dist.host}/returned/app:v1`])).stdout.trim(), indexDigest);
});

test('--platform copies one platform manifest from distribution into sigil', async () => {
  const r = await runSigil(['copy', '--platform', 'linux/arm64/v8', `${dist.host}/origin/app:v1`, `${sigil.host}/arm/app:v1`, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const copied = JSON.parse(r.stdout) as { digest: string };
  const index = JSON.parse((await snapshot(`${dist.host}/origin/app`))[0] ?? '{}') as { manifests: { digest: string; platform: { architecture: string } }[] };
  const arm = index.manifests.find((m) => m.platform.architecture === 'arm64');
  assert.equal(copied.digest, arm?.digest);
  assert.equal((await runSigil(['digest', `${sigil.host}/arm/app:v1`])).stdout.trim(), arm?.digest);
});
