// sigil sign --key and sigil verify --key against a real registry (distribution 2.8).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, buildIndex, pushImage, pushIndex } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { signatureTag } from '../../src/oci/index.ts';
import { startProxy } from '../support/proxy.ts';

const PASSWORD = 'sign-test';
let registry: Distribution;
let dir = '';
const keys: string[] = [];
const client = createTestClient().client;
const image = buildImage([512]);
const unsigned = buildImage([700]);
const index = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);

async function makeKey(name: string): Promise<string> {
  const prefix = join(dir, name);
  const r = await runCliIn(['generate-key-pair', '--output-key-prefix', prefix], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return prefix;
}
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
const ref = (repo: string, id = 'v1'): string => `${registry.host}/${repo}${id.startsWith('sha256:') ? '@' : ':'}${id}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-'));
  registry = await startDistribution();
  const repo = (name: string) => ({ registry: registry.host, repository: name });
  await pushImage(client, repo('app'), image, 'v1');
  await pushImage(client, repo('unsigned'), unsigned, 'v1');
  await pushIndex(client, repo('multi'), index, 'v1');
  for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) keys.push(await makeKey(n));
});
after(async () => { await registry.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('sign and verify with a key', () => {
  test('a signed image verifies, with cosign\'s output', async () => {
    const s = await runCli(['sign', '--key', `${keys[0]}.key`, ref('app'), '--output', 'json'], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /the tag resolves to sha256:/);
    const signed = JSON.parse(s.stdout) as { signatures: { digest: string; location: string; layers: number }[] };
    assert.equal(signed.signatures[0]?.digest, image.digest);
    assert.equal(signed.signatures[0]?.location, signatureTag(image.digest));
    const v = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', ref('app')], { env: env() });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, new RegExp(`Verification for ${ref('app').replace(/[.]/g, '\\.')} --`));
    assert.match(v.stderr, /The signatures were verified against the specified public key/);
    const payloads = JSON.parse(v.stdout) as { critical: { image: { 'docker-manifest-digest': string } } }[];
    assert.equal(payloads[0]?.critical.image['docker-manifest-digest'], image.digest);
  });

  test('without --insecure-ignore-tlog a signature with no log entry does not match (exit 12)', async () => {
    const v = await runCli(['verify', '--key', `${keys[0]}.pub`, ref('app')], { env: env() });
    assert.equal(v.code, 12);
    assert.match(v.stderr, /no matching signatures[\s\S]*ERR_VERIFY_TLOG_MISSING/);
  });

  test('a wrong key is rejected (exit 12) and names the reason', async () => {
    const v = await runCli(['verify', '--key', `${keys[5]}.pub`, '--insecure-ignore-tlog', ref('app')], { env: env() });
    assert.equal(v.code, 12);
    assert.match(v.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
  });

  test('an unsigned image has no signatures (exit 10); a missing one is not found (exit 11)', async () => {
    const none = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', ref('unsigned')], { env: env() });
    assert.equal(none.code, 10);
    assert.match(none.stderr, /^error: no signatures found \(ERR_VERIFY_NO_SIGNATURES\)/m);
    const missing = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', ref('nothing-here')], { env: env() });
    assert.equal(missing.code, 11);
  });

  test('concurrent signers with different keys all keep their signature', async () => {
    const signers = keys.slice(1, 5);
    const results = await Promise.all(signers.map((k) => runCli(['sign', '--key', `${k}.key`, ref('app')], { env: env(), deps: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } })));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    for (const k of [keys[0], ...signers]) {
      const v = await runCli(['verify', '--key', `${k}.pub`, '--insecure-ignore-tlog', ref('app'), '--output', 'json'], { env: env() });
      assert.equal(v.code, 0, `${k}: ${v.stderr}`);
    }
    const tag = await client.getManifest({ registry: registry.host, repository: 'app' }, signatureTag(image.digest));
    assert.equal((JSON.parse(new TextDecoder().decode(tag.bytes)) as { layers: unknown[] }).layers.length, 5);
  });

  test('signing again with the same key adds nothing', async () => {
    const s = await runCli(['sign', '--key', `${keys[0]}.key`, ref('app', image.digest), '--output', 'json'], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.equal((JSON.parse(s.stdout) as { signatures: { alreadyPresent: boolean; layers: number }[] }).signatures[0]?.alreadyPresent, true);
  });

  test('-a claims are signed and checked', async () => {
    const s = await runCli(['sign', '--key', `${keys[0]}.key`, '-a', 'env=prod', '-a', 'team=core', ref('unsigned')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const ok = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', '-a', 'env=prod', ref('unsigned')], { env: env() });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', '-a', 'env=dev', ref('unsigned')], { env: env() });
    assert.equal(bad.code, 12);
    assert.match(bad.stderr, /ERR_VERIFY_CLAIM_ANNOTATION/);
  });

  test('--recursive signs the index and every platform manifest', async () => {
    const s = await runCli(['sign', '--key', `${keys[0]}.key`, '--recursive', ref('multi'), '--output', 'json'], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const digests = (JSON.parse(s.stdout) as { signatures: { digest: string }[] }).signatures.map((x) => x.digest);
    assert.deepEqual(digests, [index.digest, ...index.children.map((c) => c.digest)]);
    for (const child of index.children) {
      const v = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', ref('multi', child.digest)], { env: env() });
      assert.equal(v.code, 0, v.stderr);
    }
  });

  test('oci-1-1 mode writes a referrer that verify finds (tag-schema index on a registry without the API)', async () => {
    const repo = { registry: registry.host, repository: 'referred' };
    const target = buildImage([300]);
    await pushImage(client, repo, target, 'v1');
    const s = await runCli(['sign', '--key', `${keys[1]}.key`, '--registry-referrers-mode', 'oci-1-1', ref('referred')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.equal(await client.hasManifest(repo, signatureTag(target.digest)), false);
    const v = await runCli(['verify', '--key', `${keys[1]}.pub`, '--insecure-ignore-tlog', ref('referred'), '--output', 'json'], { env: env() });
    assert.equal(v.code, 0, v.stderr);
    assert.match((JSON.parse(v.stdout) as { verified: { source: string }[] }).verified[0]?.source ?? '', /^referrer sha256:/);
  });

  test('--upload=false writes the signature and payload files and pushes nothing', async () => {
    const repo = { registry: registry.host, repository: 'offline' };
    const target = buildImage([400]);
    await pushImage(client, repo, target, 'v1');
    const sigFile = join(dir, 'sig.b64');
    const payloadFile = join(dir, 'payload.json');
    const s = await runCli(['sign', '--key', `${keys[0]}.key`, '--upload=false', '--output-signature', sigFile, '--output-payload', payloadFile, ref('offline')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.match(readFileSync(sigFile, 'utf8'), /^[A-Za-z0-9+/]+=*$/);
    assert.match(readFileSync(payloadFile, 'utf8'), new RegExp(target.digest));
    assert.equal(await client.hasManifest(repo, signatureTag(target.digest)), false);
  });

  test('bad input: missing key file, wrong password, bad flag values; nothing is written', async () => {
    const repo = { registry: registry.host, repository: 'bad' };
    const target = buildImage([200]);
    await pushImage(client, repo, target, 'v1');
    const missing = await runCli(['sign', '--key', join(dir, 'nope.key'), ref('bad')], { env: env() });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ERR_FILE_NOT_FOUND/);
    const wrong = await runCli(['sign', '--key', `${keys[0]}.key`, ref('bad')], { env: isolatedEnv({ COSIGN_PASSWORD: 'wrong' }) });
    assert.equal(wrong.code, 5);
    assert.match(wrong.stderr, /ERR_KEY_PASSWORD_WRONG/);
    const mode = await runCli(['sign', '--key', `${keys[0]}.key`, '--registry-referrers-mode', 'v2', ref('bad')], { env: env() });
    assert.equal(mode.code, 2);
    const annotation = await runCli(['sign', '--key', `${keys[0]}.key`, '-a', 'novalue', ref('bad')], { env: env() });
    assert.equal(annotation.code, 2);
    assert.match(annotation.stderr, /unable to parse annotation: novalue/);
    assert.equal(await client.hasManifest(repo, signatureTag(target.digest)), false);
    assert.equal(existsSync(join(dir, 'nope.key')), false);
  });

  test('a registry failing while signatures are looked up is an error (exit 4), never "no signatures"', async () => {
    const proxy = await startProxy({
      target: registry.url,
      intercept: (req, res) => {
        if (!(req.url ?? '').includes('/manifests/sha256-')) return false;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNKNOWN","message":"storage down"}]}');
        return true;
      },
    });
    try {
      const v = await runCli(['verify', '--key', `${keys[0]}.pub`, '--insecure-ignore-tlog', `${proxy.host}/app:v1`], { env: env() });
      assert.equal(v.code, 4, v.stderr);
      assert.match(v.stderr, /ERR_HTTP_STATUS/);
      assert.doesNotMatch(v.stderr, /no signatures found/);
    } finally {
      await proxy.stop();
    }
  });
});
