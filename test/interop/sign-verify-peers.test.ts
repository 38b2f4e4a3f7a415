// Interop of key-based signatures with the real peers: what sigil signs, cosign 2.5 and skopeo 1.18
// accept; what they sign, sigil accepts; a wrong key, a tampered payload and a signature copied
// onto another image are rejected by all three. Run against sigil's registry and distribution 2.8.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runProgram, runSigil, PROJECT_ROOT, type RunResult, expectSuccess } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { signatureTag, parseSignatureManifest, buildSignatureImage, SIMPLE_SIGNING_MEDIA_TYPE } from '../../src/oci/index.ts';
import { bytesBlobSource } from '../../src/adapters/registry-client/index.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';
import { encodeUtf8 } from '../../src/core/index.ts';

const PASSWORD = 'interop-password';
const env = { COSIGN_PASSWORD: PASSWORD };
let dir = '';
let sigil: SigilServerProcess;
let dist: Distribution;

const ok = expectSuccess;

async function pushImage(host: string, repo: string, text: string, platforms = 'linux/amd64'): Promise<string> {
  const layout = join(dir, `layout-${repo.replace(/\W/g, '-')}-${host.replace(/\W/g, '-')}`);
  const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), '--platforms', platforms, '--text', text, layout]);
  assert.equal(made.code, 0, made.stderr);
  await ok(runPeer('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${host}/${repo}:v1`]), 'skopeo push');
  return made.stdout.trim();
}

function skopeoPolicy(host: string, repo: string, pub: string): { policy: string; registriesD: string } {
  const base = join(dir, `skopeo-${repo.replace(/\W/g, '-')}-${host.replace(/\W/g, '-')}`);
  mkdirSync(join(base, 'registries.d'), { recursive: true });
  const policy = join(base, 'policy.json');
  // cosign (and sigil) sign the repository name without a tag, so the identity rule is matchRepository
  writeFileSync(policy, JSON.stringify({
    default: [{ type: 'reject' }],
    transports: { docker: { [`${host}/${repo}`]: [{ type: 'sigstoreSigned', keyPath: pub, signedIdentity: { type: 'matchRepository' } }] } },
  }));
  writeFileSync(join(base, 'registries.d', 'sigil.yaml'), `docker:\n  ${host}:\n    use-sigstore-attachments: true\n`);
  return { policy, registriesD: join(base, 'registries.d') };
}

function skopeoPull(host: string, repo: string, pub: string, extra: string[] = []): Promise<RunResult> {
  const { policy, registriesD } = skopeoPolicy(host, repo, pub);
  // the oci: destination cannot store signatures; the policy is still enforced on the source
  return runPeer('skopeo', ['--policy', policy, '--registries.d', registriesD, 'copy', '--remove-signatures', ...extra, '--src-tls-verify=false', `docker://${host}/${repo}:v1`, `oci:${join(dir, `pulled-${Math.random().toString(16).slice(2)}`)}:x`]);
}

const cosignVerify = (ref: string, pub: string): Promise<RunResult> =>
  runPeer('cosign', ['verify', '--key', pub, '--insecure-ignore-tlog', '--allow-insecure-registry', '--allow-http-registry', ref], { env });
const sigilVerify = (ref: string, pub: string): Promise<RunResult> => runSigil(['verify', '--key', pub, '--insecure-ignore-tlog', ref], { env });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-interop-'));
  sigil = await startSigilServer(join(dir, 'data'));
  dist = await startDistribution();
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'sigil')], { env }), 'sigil keys');
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'other')], { env }), 'other keys');
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env, cwd: dir }), 'cosign keys');
  writeFileSync(join(dir, 'passphrase'), PASSWORD);
  await ok(runPeer('skopeo', ['generate-sigstore-key', '--output-prefix', join(dir, 'skopeo'), '--passphrase-file', join(dir, 'passphrase')]), 'skopeo keys');
});
after(async () => {
  assert.equal(await sigil.stop(), 0);
  await dist.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const target of ['sigil', 'distribution'] as const) {
  describe(`signatures on ${target}'s registry`, () => {
    const host = (): string => (target === 'sigil' ? sigil.host : dist.host);

    test('sigil signs; cosign verify and skopeo\'s sigstoreSigned policy accept; a wrong key is rejected by all three', async () => {
      await pushImage(host(), 'signed-by-sigil', 'a');
      const ref = `${host()}/signed-by-sigil:v1`;
      await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), ref], { env }), 'sigil sign');
      await ok(cosignVerify(ref, join(dir, 'sigil.pub')), 'cosign verify');
      await ok(skopeoPull(host(), 'signed-by-sigil', join(dir, 'sigil.pub')), 'skopeo policy');
      assert.notEqual((await cosignVerify(ref, join(dir, 'other.pub'))).code, 0);
      const refused = await skopeoPull(host(), 'signed-by-sigil', join(dir, 'other.pub'));
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /signature/i);
      assert.equal((await sigilVerify(ref, join(dir, 'other.pub'))).code, 12);
    });

    test('cosign signs; sigil verifies', async () => {
      await pushImage(host(), 'signed-by-cosign', 'b');
      const ref = `${host()}/signed-by-cosign:v1`;
      await ok(runPeer('cosign', ['sign', '--key', join(dir, 'cosign.key'), '--tlog-upload=false', '--allow-insecure-registry', '--allow-http-registry', '-y', ref], { env }), 'cosign sign');
      await ok(sigilVerify(ref, join(dir, 'cosign.pub')), 'sigil verify');
      assert.equal((await sigilVerify(ref, join(dir, 'sigil.pub'))).code, 12);
    });

    test('skopeo signs while pushing; sigil verifies', async () => {
      const layout = join(dir, `layout-skopeo-${target}`);
      const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), '--text', 'c', layout]);
      assert.equal(made.code, 0, made.stderr);
      const ref = `${host()}/signed-by-skopeo:v1`;
      const regD = skopeoPolicy(host(), 'signed-by-skopeo', join(dir, 'skopeo.pub')).registriesD;
      await ok(runPeer('skopeo', ['--registries.d', regD, 'copy', '--dest-tls-verify=false', '--sign-by-sigstore-private-key', join(dir, 'skopeo.private'), '--sign-passphrase-file', join(dir, 'passphrase'), `oci:${layout}:latest`, `docker://${ref}`]), 'skopeo sign');
      await ok(sigilVerify(ref, join(dir, 'skopeo.pub')), 'sigil verify');
    });

    test('a tampered payload and a signature copied onto another image are rejected by all three', async () => {
      const victim = await pushImage(host(), 'victim', 'd');
      const other = await pushImage(host(), 'victim-other', 'e');
      void other;
      const source = `${host()}/victim-other:v1`;
      await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), source], { env }), 'sign the other image');
      // copy the other image's signature manifest and payload under the victim's .sig tag
      const { client } = createTestClient();
      const repoOther = { registry: host(), repository: 'victim-other' };
      const repoVictim = { registry: host(), repository: 'victim' };
      const otherDigest = (await client.headManifest(repoOther, 'v1')).digest;
      const stolen = await readTaggedSignatures(client, repoOther, otherDigest);
      const image = buildSignatureImage(stolen.layers);
      for (const [digest, bytes] of [[image.configDigest, image.config] as const, ...image.blobs]) await client.pushBlob(repoVictim, bytesBlobSource(digest, bytes));
      await client.putManifest(repoVictim, signatureTag(victim), image.manifest, image.mediaType);
      const ref = `${host()}/victim:v1`;
      assert.notEqual((await cosignVerify(ref, join(dir, 'sigil.pub'))).code, 0);
      assert.notEqual((await skopeoPull(host(), 'victim', join(dir, 'sigil.pub'))).code, 0);
      const copied = await sigilVerify(ref, join(dir, 'sigil.pub'));
      assert.equal(copied.code, 12);
      assert.match(copied.stderr, /ERR_VERIFY_CLAIM_DIGEST/);
      // now a payload edited after signing (the signature annotation kept)
      const layer = stolen.layers[0];
      assert.ok(layer);
      const edited = buildSignatureImage([{ ...layer, payload: encodeUtf8(new TextDecoder().decode(layer.payload).replace(otherDigest, victim)) }]);
      for (const [digest, bytes] of [[edited.configDigest, edited.config] as const, ...edited.blobs]) await client.pushBlob(repoVictim, bytesBlobSource(digest, bytes));
      await client.putManifest(repoVictim, signatureTag(victim), edited.manifest, edited.mediaType);
      assert.equal(parseSignatureManifest(edited.manifest)[0]?.descriptor.mediaType, SIMPLE_SIGNING_MEDIA_TYPE);
      assert.notEqual((await cosignVerify(ref, join(dir, 'sigil.pub'))).code, 0);
      assert.notEqual((await skopeoPull(host(), 'victim', join(dir, 'sigil.pub'))).code, 0);
      const tampered = await sigilVerify(ref, join(dir, 'sigil.pub'));
      assert.equal(tampered.code, 12);
      assert.match(tampered.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
    });

    test('an index signed with --recursive passes skopeo\'s per-platform check', async () => {
      await pushImage(host(), 'multi', 'f', 'linux/amd64,linux/arm64/v8');
      const ref = `${host()}/multi:v1`;
      await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), '--recursive', ref], { env }), 'sigil sign --recursive');
      for (const arch of ['amd64', 'arm64']) {
        await ok(skopeoPull(host(), 'multi', join(dir, 'sigil.pub'), ['--override-arch', arch]), `skopeo ${arch}`);
      }
      await ok(cosignVerify(ref, join(dir, 'sigil.pub')), 'cosign verify index');
    });
  });
}
