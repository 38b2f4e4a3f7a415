// `sigil scan repo` against sigil's registry (referrers API) and distribution 2.8 (no referrers API:
// the tag-schema fallback), with signatures made by the real tools: cosign 2.5 (classic tag,
// attestation, OCI 1.1 referrer), sigil sign, and Notary JWS/COSE envelopes written per the
// specification and attached with oras (plus the older config.mediaType form pushed by the client).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess as ok, runPeer, runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, buildIndex, pushImage, pushIndex, type TestImage } from '../support/images.ts';
import { makeTempDir } from '../support/temp.ts';
import { runTool } from '../support/scan-tools.ts';
import { runCli } from '../support/cli.ts';
import { makeNotaryPki, signNotaryCose, signNotaryJws, thumbprintsOf, type NotaryPki } from '../support/notary.ts';
import { addToReferrersTagIndex, bytesBlobSource } from '../../src/adapters/registry-client/index.ts';
import { encodeUtf8, sha256Digest } from '../../src/core/index.ts';
import { OCI_MANIFEST } from '../../src/oci/index.ts';
import type { JsonRepoDocument } from '../../src/scan/index.ts';

const PASSWORD = 'scan-repo';
const env = { COSIGN_PASSWORD: PASSWORD, COSIGN_EXPERIMENTAL: '1' };
const COSIGN_INSECURE = ['--allow-insecure-registry', '--allow-http-registry', '-y'];
let dir = '';
let pki: NotaryPki;
let sigil: SigilServerProcess;
let dist: Distribution;
const signingTime = new Date('2026-01-02T03:04:05Z');

before(async () => {
  dir = makeTempDir('scan-repo');
  [sigil, dist, pki] = await Promise.all([startSigilServer(join(dir, 'data')), startDistribution(), (async () => { mkdirSync(join(dir, 'pki')); return makeNotaryPki(join(dir, 'pki')); })()]);
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env, cwd: dir }), 'cosign keys');
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'sigil')], { env }), 'sigil keys');
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'stranger')], { env }), 'stranger keys');
  // a notation-style trust store: x509/ca/<name>/root.crt
  mkdirSync(join(dir, 'truststore', 'x509', 'ca', 'test'), { recursive: true });
  copyFileSync(pki.rootPem, join(dir, 'truststore', 'x509', 'ca', 'test', 'root.crt'));
  writeFileSync(join(dir, 'predicate.json'), JSON.stringify({ hello: 'world' }));
});
after(async () => {
  await sigil.stop();
  await dist.stop();
});

function target(image: TestImage): { mediaType: string; digest: string; size: number } {
  return { mediaType: image.mediaType, digest: image.digest, size: image.manifest.byteLength };
}

async function orasAttach(ref: string, file: string, mediaType: string, thumbprints: string): Promise<void> {
  await ok(runPeer('oras', ['attach', '--plain-http', '--no-tty', '--disable-path-validation', '--artifact-type', 'application/vnd.cncf.notary.signature',
    '-a', `io.cncf.notary.x509chain.thumbprint#S256=${thumbprints}`, ref, `${file}:${mediaType}`], { cwd: dir }), 'oras attach');
}

/** The legacy Notary form (spec v1.1.0 and before): no artifactType, config.mediaType notary. */
async function pushLegacyNotary(host: string, repository: string, image: TestImage): Promise<void> {
  const { client } = createTestClient();
  const repo = { registry: host, repository };
  const envelope = new Uint8Array(signNotaryJws(pki, target(image), signingTime));
  const config = encodeUtf8('{}');
  for (const b of [config, envelope]) await client.pushBlob(repo, bytesBlobSource(sha256Digest(b), b));
  const manifest = encodeUtf8(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.cncf.notary.signature', digest: sha256Digest(config), size: config.byteLength },
    layers: [{ mediaType: 'application/jose+json', digest: sha256Digest(envelope), size: envelope.byteLength }],
    subject: target(image), annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': thumbprintsOf(pki.rsa.chainDer) },
  }));
  const digest = await client.putManifest(repo, sha256Digest(manifest), manifest, OCI_MANIFEST);
  await addToReferrersTagIndex(client, repo, image.digest, [{ mediaType: OCI_MANIFEST, digest, size: manifest.byteLength, artifactType: 'application/vnd.cncf.notary.signature' }]);
}

async function populate(host: string): Promise<void> {
  const { client } = createTestClient();
  const repo = (repository: string) => ({ registry: host, repository });
  const images = Object.fromEntries(['cosign', 'referrer', 'unsigned', 'sigil', 'jws', 'cose', 'legacy'].map((t) => [t, buildImage([64])]));
  for (const [tag, image] of Object.entries(images)) await pushImage(client, repo('scan/app'), image!, tag);
  const index = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
  await pushIndex(client, repo('scan/multi'), index, 'v1');
  await pushImage(client, repo('elsewhere/x'), buildImage([64]), 'v1');
  const ref = (tag: string) => `${host}/scan/app:${tag}`;
  const cosignKey = join(dir, 'cosign.key');
  await ok(runPeer('cosign', ['sign', '--key', cosignKey, '--tlog-upload=false', ...COSIGN_INSECURE, ref('cosign')], { env }), 'cosign sign');
  await ok(runPeer('cosign', ['attest', '--key', cosignKey, '--type', 'custom', '--predicate', join(dir, 'predicate.json'), '--tlog-upload=false', ...COSIGN_INSECURE, ref('cosign')], { env }), 'cosign attest');
  await ok(runPeer('cosign', ['sign', '--key', cosignKey, '--tlog-upload=false', '--registry-referrers-mode=oci-1-1', ...COSIGN_INSECURE, ref('referrer')], { env }), 'cosign sign oci-1-1');
  await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), ref('sigil')], { env }), 'sigil sign');
  await ok(runPeer('cosign', ['sign', '--key', cosignKey, '--tlog-upload=false', ...COSIGN_INSECURE, `${host}/scan/multi@${index.children[1]!.digest}`], { env }), 'cosign sign child');
  const jws = join(dir, `jws-${host.replace(/\W/g, '')}.sig`);
  writeFileSync(jws, signNotaryJws(pki, target(images['jws']!), signingTime));
  await orasAttach(ref('jws'), jws, 'application/jose+json', thumbprintsOf(pki.rsa.chainDer));
  const cose = join(dir, `cose-${host.replace(/\W/g, '')}.sig`);
  writeFileSync(cose, signNotaryCose(pki, target(images['cose']!), signingTime));
  await orasAttach(ref('cose'), cose, 'application/cose', thumbprintsOf(pki.ec.chainDer));
  await pushLegacyNotary(host, 'scan/app', images['legacy']!);
}

async function scanJson(args: readonly string[]): Promise<{ code: number; doc: JsonRepoDocument; stderr: string }> {
  const r = await runCli(['scan', 'repo', ...args, '--output', 'json']);
  return { code: r.code, doc: JSON.parse(r.stdout) as JsonRepoDocument, stderr: r.stderr };
}

const kindsOf = (doc: JsonRepoDocument, path: string): string[] => doc.registry.signatures.filter((s) => s.path === path).map((s) => s.kind).sort();

for (const which of ['sigil', 'distribution'] as const) {
  describe(`scan repo on ${which}'s registry`, () => {
    const host = (): string => (which === 'sigil' ? sigil.host : dist.host);
    before(async () => { await populate(host()); });

    test('finds every kind of signature, per tag and per platform, and only in the namespace', async () => {
      const { code, doc, stderr } = await scanJson([`${host()}/scan`]);
      assert.equal(code, 0, stderr);
      const paths = doc.entries.map((e) => e.path);
      assert.deepEqual(paths.filter((p) => p.startsWith('scan/app:')).sort(),
        ['cose', 'cosign', 'jws', 'legacy', 'referrer', 'sigil', 'unsigned'].map((t) => `scan/app:${t}`));
      assert.ok(!paths.some((p) => p.startsWith('elsewhere/')), 'outside the namespace');
      assert.ok(!paths.some((p) => /sha256-/.test(p)), 'attachment tags are not entries');
      assert.deepEqual(paths.filter((p) => p.startsWith('scan/multi')), ['scan/multi:v1', 'scan/multi:v1@linux/amd64', 'scan/multi:v1@linux/arm64']);
      assert.deepEqual(kindsOf(doc, 'scan/app:cosign'), ['cosign', 'cosign-attestation']);
      assert.deepEqual(kindsOf(doc, 'scan/app:referrer'), ['cosign']);
      assert.deepEqual(kindsOf(doc, 'scan/app:sigil'), ['cosign']);
      assert.deepEqual(kindsOf(doc, 'scan/app:unsigned'), []);
      assert.deepEqual(kindsOf(doc, 'scan/multi:v1@linux/arm64'), ['cosign']);
      assert.deepEqual(kindsOf(doc, 'scan/multi:v1@linux/amd64'), []);
      for (const t of ['jws', 'cose', 'legacy']) assert.deepEqual(kindsOf(doc, `scan/app:${t}`), ['notary'], t);
      const referrerSource = which === 'sigil' ? 'referrers-api' : 'referrers-tag-schema';
      assert.equal(doc.registry.signatures.find((s) => s.path === 'scan/app:referrer')?.source, referrerSource);
      assert.equal(doc.registry.signatures.find((s) => s.path === 'scan/app:cosign' && s.kind === 'cosign')?.source, 'tag');
      const jws = doc.registry.signatures.find((s) => s.path === 'scan/app:jws');
      assert.equal(jws?.envelope, 'jws');
      assert.equal(jws?.subjectname, pki.rsa.subject);
      assert.equal(jws?.thumbprints, (JSON.parse(thumbprintsOf(pki.rsa.chainDer)) as string[]).join(','));
      assert.equal(jws?.signingTime, signingTime.toISOString());
      assert.ok(jws?.certificate?.notAfter);
      const cose = doc.registry.signatures.find((s) => s.path === 'scan/app:cose');
      assert.equal(cose?.envelope, 'cose');
      assert.equal(cose?.subjectname, pki.ec.subject);
      assert.deepEqual(cose?.signer.thumbprints, JSON.parse(thumbprintsOf(pki.ec.chainDer)));
      const cosign = doc.registry.signatures.find((s) => s.path === 'scan/app:cosign' && s.kind === 'cosign');
      assert.equal(cosign?.subjectname, 'Unknown KeyPair');
      assert.equal(cosign?.status, 'not-checked');
      assert.equal(doc.summary.signatures, 8);
      assert.equal(doc.summary.unsigned, 3); // scan/app:unsigned, scan/multi:v1 (the index) and its amd64 platform
    });

    if (which === 'sigil') {
      test('a Sigstore bundle referrer (cosign attest --new-bundle-format) is found and, with --key, verified', async () => {
        const { client } = createTestClient();
        await pushImage(client, { registry: host(), repository: 'bundles/app' }, buildImage([64]), 'v1');
        await ok(runPeer('cosign', ['attest', '--new-bundle-format', '--key', join(dir, 'cosign.key'), '--type', 'custom', '--predicate', join(dir, 'predicate.json'),
          '--tlog-upload=false', ...COSIGN_INSECURE, `${host()}/bundles/app:v1`], { env }), 'cosign attest --new-bundle-format');
        const found = await scanJson([`${host()}/bundles`]);
        assert.deepEqual(found.doc.registry.signatures.map((s) => [s.kind, s.envelope, s.source, s.status]), [['sigstore-bundle', 'bundle', 'referrers-api', 'not-checked']]);
        const verified = await scanJson([`${host()}/bundles`, '--verify', '--key', join(dir, 'cosign.pub')]);
        assert.equal(verified.doc.registry.signatures[0]?.status, 'verified', JSON.stringify(verified.doc.registry.signatures[0]?.problems));
        const wrong = await scanJson([`${host()}/bundles`, '--verify', '--key', join(dir, 'stranger.pub'), '--fail-on', 'unverified']);
        assert.equal(wrong.code, 13);
        assert.equal(wrong.doc.registry.signatures[0]?.status, 'failed');
      });
    }

    test('--verify with the keys and the trust store verifies every signature and names the key', async () => {
      const { code, doc, stderr } = await scanJson([`${host()}/scan`, '--verify', '--key', join(dir, 'cosign.pub'), '--key', join(dir, 'sigil.pub'),
        '--trust-store', join(dir, 'truststore'), '--fail-on', 'unverified']);
      assert.equal(code, 0, stderr + JSON.stringify(doc.registry.signatures.filter((s) => s.status !== 'verified'), null, 1));
      assert.equal(doc.summary.verified, 8);
      const sigilSig = doc.registry.signatures.find((s) => s.path === 'scan/app:sigil');
      assert.match(sigilSig?.subjectname ?? '', /^key sha256:[0-9a-f]{64}$/);
    });

    test('a wrong key and a foreign trust store fail each signature; --fail-on unverified exits 13', async () => {
      const other = join(dir, 'other-store');
      mkdirSync(other, { recursive: true });
      await runTool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(other, 'k.key'), '-out', join(other, 'foreign.pem'),
        '-days', '30', '-subj', '/CN=Foreign Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
      const { code, doc } = await scanJson([`${host()}/scan/app`, '--verify', '--key', join(dir, 'stranger.pub'), '--trust-store', other, '--fail-on', 'unverified']);
      assert.equal(code, 13);
      assert.equal(doc.summary.verified, 0);
      assert.ok(doc.registry.signatures.every((s) => s.status === 'failed' && s.problems.length > 0));
      const notary = doc.registry.signatures.find((s) => s.path === 'scan/app:cose');
      assert.ok(notary?.problems.some((p) => p.code === 'ERR_SCAN_CHAIN_UNTRUSTED'), JSON.stringify(notary?.problems));
    });

    test('pretty output: a row per tag with ✅/❌ per format and the closing count; --fail-on unsigned exits 13', async () => {
      const r = await runCli(['scan', 'repo', `${host()}/scan/app`, '--fail-on', 'unsigned']);
      assert.equal(r.code, 13);
      assert.match(r.stdout, /NotaryV2 \| Cosign/);
      assert.match(r.stdout, /scan\/app:jws\s+\| sha256:\S+\s+\| ✅\s+\| ❌/);
      assert.match(r.stdout, /Found 7 signatures out of 7 entries\n$/);
      assert.match(r.stderr, /ERR_SCAN_FINDINGS/);
      assert.doesNotMatch(r.stderr, /scanned \d+ entries/, 'no progress when stderr is not a terminal');
      const tty = await runCli(['scan', 'repo', `${host()}/scan/app`], { stderrIsTty: true });
      assert.match(tty.stderr, /scanned \d+ entries, \d+ signatures/);
      assert.doesNotMatch(tty.stdout, /scanned/);
    });
  });
}
