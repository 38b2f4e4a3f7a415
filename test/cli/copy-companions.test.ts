// `sigil copy` carries signatures, attestations, SBOMs and referrers, between distribution 2.8
// (no referrers API: the tag schema) and sigil's own registry (the referrers API).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { buildImage, buildIndex, pushImage, pushIndex } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { referrersTag, signatureTag } from '../../src/oci/index.ts';

const PASSWORD = 'copy-test';
let dist: Distribution;
let sigil: SigilServerProcess;
let dir = '';
let keyTag = '';
let keyReferrer = '';
const client = createTestClient().client;
const image = buildImage([256]);
const attestation = buildImage([64]);
const index = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });

interface Carried { kind: string; subject: string; digest: string; tag?: string; artifactType?: string; merged?: boolean }

async function makeKey(name: string): Promise<string> {
  const prefix = join(dir, name);
  const r = await runCliIn(['generate-key-pair', '--output-key-prefix', prefix], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return prefix;
}

async function sign(key: string, ref: string, extra: string[] = []): Promise<void> {
  const s = await runCli(['sign', '--key', `${key}.key`, ...extra, ref], { env: env() });
  assert.equal(s.code, 0, s.stderr);
}

async function verify(key: string, ref: string): Promise<number> {
  const v = await runCli(['verify', '--key', `${key}.pub`, '--insecure-ignore-tlog', ref], { env: env() });
  return v.code;
}

async function copy(args: string[]): Promise<{ code: number; carried: Carried[]; stderr: string }> {
  const r = await runCli(['copy', ...args, '--output', 'json'], { env: env() });
  return { code: r.code, stderr: r.stderr, carried: r.code === 0 ? (JSON.parse(r.stdout) as { carried: Carried[] }).carried : [] };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-copy-companions-'));
  [dist, sigil] = await Promise.all([startDistribution(), startSigilServer(join(dir, 'data'))]);
  keyTag = await makeKey('tag');
  keyReferrer = await makeKey('referrer');
  const app = { registry: dist.host, repository: 'app' };
  await pushImage(client, app, image, 'v1');
  await pushImage(client, app, attestation, signatureTag(image.digest, 'att'));
  await sign(keyTag, `${dist.host}/app:v1`);
  await sign(keyReferrer, `${dist.host}/app:v1`, ['--registry-referrers-mode', 'oci-1-1']);
  await pushIndex(client, { registry: dist.host, repository: 'multi' }, index, 'v1');
  await sign(keyTag, `${dist.host}/multi:v1`, ['--recursive']);
});
after(async () => {
  await Promise.all([dist?.stop(), sigil?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test('copy carries the .sig and .att tags and referrers to a registry with the referrers API; both keys verify there', async () => {
  const r = await copy([`${dist.host}/app:v1`, `${sigil.host}/copied/app`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => c.kind).sort(), ['att', 'referrer', 'sig']);
  const dst = { registry: sigil.host, repository: 'copied/app' };
  const src = { registry: dist.host, repository: 'app' };
  for (const c of r.carried) {
    const a = await client.getManifest(src, c.digest);
    const b = await client.getManifest(dst, c.digest);
    assert.deepEqual(b.bytes, a.bytes, c.kind);
    assert.equal(c.subject, image.digest);
  }
  assert.equal(r.carried.find((c) => c.kind === 'sig')?.tag, signatureTag(image.digest));
  assert.equal(await verify(keyTag, `${sigil.host}/copied/app:v1`), 0);
  assert.equal(await verify(keyReferrer, `${sigil.host}/copied/app:v1`), 0);
});

test('copy to a registry without the referrers API merges the tag-schema index; the referrer verifies', async () => {
  const r = await copy([`${sigil.host}/copied/app:v1`, `${dist.host}/back/app`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => c.kind).sort(), ['att', 'referrer', 'sig']);
  assert.ok(await client.hasManifest({ registry: dist.host, repository: 'back/app' }, referrersTag(image.digest)));
  assert.equal(await verify(keyReferrer, `${dist.host}/back/app:v1`), 0);
  assert.equal(await verify(keyTag, `${dist.host}/back/app:v1`), 0);
  const again = await copy([`${sigil.host}/copied/app:v1`, `${dist.host}/back/app`]);
  assert.equal(again.code, 0, again.stderr);
  const listed = await client.listReferrers({ registry: dist.host, repository: 'back/app' }, image.digest);
  assert.equal(listed.manifests.length, 1);
});

test('--only sig carries the signature tag alone: no attestation, no referrer', async () => {
  const r = await copy([`${dist.host}/app:v1`, `${dist.host}/only-sig/app`, '--only', 'sig']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => c.kind), ['sig']);
  const dst = { registry: dist.host, repository: 'only-sig/app' };
  assert.equal(await client.hasManifest(dst, signatureTag(image.digest, 'att')), false);
  assert.equal(await client.hasManifest(dst, referrersTag(image.digest)), false);
  assert.equal(await verify(keyTag, `${dist.host}/only-sig/app:v1`), 0);
  const text = await runCli(['copy', `${dist.host}/app:v1`, `${dist.host}/only-sig/app`, '--only', 'sig,att'], { env: env() });
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, `${dist.host}/only-sig/app@${image.digest}\n`);
  assert.match(text.stderr, /^carried: sig 1, att 1$/m);
  assert.equal(await verify(keyReferrer, `${dist.host}/only-sig/app:v1`), 12);
});

test('an index carries the signatures of every platform manifest', async () => {
  const r = await copy([`${dist.host}/multi:v1`, `${sigil.host}/copied/multi`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => c.subject), [index.digest, ...index.children.map((c) => c.digest)]);
  for (const child of index.children) assert.equal(await verify(keyTag, `${sigil.host}/copied/multi@${child.digest}`), 0);
});

test('--platform carries the chosen platform manifest\'s signatures only', async () => {
  const arm = index.children[1];
  assert.ok(arm);
  const r = await copy([`${dist.host}/multi:v1`, `${dist.host}/arm/multi`, '--platform', 'linux/arm64']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => [c.kind, c.subject]), [['sig', arm.digest]]);
  assert.equal(await verify(keyTag, `${dist.host}/arm/multi:v1`), 0);
});

test('a destination signed with another key keeps its signature when the source\'s are copied again (merged)', async () => {
  const first = await copy([`${dist.host}/app:v1`, `${dist.host}/merged/app`, '--only', 'sig']);
  assert.equal(first.code, 0, first.stderr);
  await sign(keyReferrer, `${dist.host}/merged/app:v1`);
  const again = await copy([`${dist.host}/app:v1`, `${dist.host}/merged/app`, '--only', 'sig']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.carried[0]?.merged, true);
  assert.equal(await verify(keyTag, `${dist.host}/merged/app:v1`), 0);
  assert.equal(await verify(keyReferrer, `${dist.host}/merged/app:v1`), 0);
  const third = await copy([`${dist.host}/app:v1`, `${dist.host}/merged/app`, '--only', 'sig']);
  assert.equal(third.carried[0]?.digest, again.carried[0]?.digest, 'nothing new: the tag is left as it is');
});

test('referrers of referrers travel too (a signature on a signature referrer)', async () => {
  const nested = buildImage([99]);
  await pushImage(client, { registry: dist.host, repository: 'nested' }, nested, 'v1');
  await sign(keyReferrer, `${dist.host}/nested:v1`, ['--registry-referrers-mode', 'oci-1-1']);
  const first = (await client.listReferrers({ registry: dist.host, repository: 'nested' }, nested.digest)).manifests[0];
  assert.ok(first);
  await sign(keyTag, `${dist.host}/nested@${first.digest}`, ['--registry-referrers-mode', 'oci-1-1']);
  const r = await copy([`${dist.host}/nested:v1`, `${sigil.host}/copied/nested`, '--only', 'referrers']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.carried.map((c) => c.subject), [nested.digest, first.digest]);
  assert.equal(await verify(keyReferrer, `${sigil.host}/copied/nested:v1`), 0);
  assert.equal(await verify(keyTag, `${sigil.host}/copied/nested@${first.digest}`), 0);
});

test('--only with an unknown kind is a usage error (exit 2); a missing image is exit 11', async () => {
  const bad = await runCli(['copy', `${dist.host}/app:v1`, `${dist.host}/x/app`, '--only', 'sig,blob'], { env: env() });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\(ERR_USAGE\)/);
  const missing = await runCli(['copy', `${dist.host}/nothing:v1`, `${dist.host}/x/app`], { env: env() });
  assert.equal(missing.code, 11);
});
