// `sigil verify` keylessly against sigil's registry: classic signature layers (certificate, chain
// and Rekor bundle annotations) and Sigstore bundle v0.3 referrers, made by a Fulcio-shaped CA with
// a CT log and a Rekor signer (test/support/keyless-authority.ts) and trusted through
// --trusted-root or cosign's SIGSTORE_* overrides. cosign 2.5 checks the same classic signature.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesBlobSource, type RepositoryRef } from '../../src/adapters/registry-client/index.ts';
import { pushSignatureBlobs } from '../../src/adapters/signature-store/index.ts';
import { encodeUtf8, sha256Digest } from '../../src/core/index.ts';
import {
  ANNOTATION_BUNDLE, OCI_EMPTY, OCI_EMPTY_DIGEST, OCI_MANIFEST, buildSignatureImage, createSimpleSigningPayload, signatureTag, type SignatureLayer,
} from '../../src/oci/index.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { createKeylessAuthority, type KeylessAuthority } from '../support/keyless-authority.ts';
import { signClassicLayer, signImageBundle } from '../support/keyless-signatures.ts';
import { runPeer } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { makeTempDir } from '../support/temp.ts';

const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ISSUER = 'https://issuer.sigil.test';
const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const GITHUB = { '1.3.6.1.4.1.57264.1.2': 'push', '1.3.6.1.4.1.57264.1.5': 'acme/app', '1.3.6.1.4.1.57264.1.6': 'refs/heads/main' };
const ID = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER];
const dir = makeTempDir('kverify');
const client = createTestClient().client;
let server: SigilServerProcess;
let authority: KeylessAuthority;
let rootFile = '';
const images: Record<string, TestImage> = {};

const repo = (name: string): RepositoryRef => ({ registry: server.host, repository: name });
const ref = (name: string): string => `${server.host}/${name}:v1`;

async function pushClassic(name: string, layers: readonly SignatureLayer[]): Promise<void> {
  const image = images[name];
  assert.ok(image);
  const sig = buildSignatureImage(layers);
  await pushSignatureBlobs(client, repo(name), sig);
  await client.putManifest(repo(name), signatureTag(image.digest), sig.manifest, sig.mediaType);
}

/** Attaches a bundle as cosign --new-bundle-format does: empty config, one bundle layer, the image as subject. */
async function pushBundleReferrer(name: string, bundle: Uint8Array): Promise<void> {
  const image = images[name];
  assert.ok(image);
  const digest = sha256Digest(bundle);
  await client.pushBlob(repo(name), bytesBlobSource(digest, bundle));
  await client.pushBlob(repo(name), bytesBlobSource(OCI_EMPTY_DIGEST, encodeUtf8('{}')));
  const manifest = encodeUtf8(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_EMPTY, size: 2, digest: OCI_EMPTY_DIGEST, artifactType: BUNDLE_TYPE },
    layers: [{ mediaType: BUNDLE_TYPE, size: bundle.byteLength, digest }],
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
    subject: { mediaType: image.mediaType, size: image.manifest.byteLength, digest: image.digest },
    artifactType: BUNDLE_TYPE,
  }));
  await client.putManifest(repo(name), sha256Digest(manifest), manifest, OCI_MANIFEST);
}

const payloadFor = (name: string): Uint8Array => createSimpleSigningPayload(`${server.host}/${name}`, images[name]?.digest ?? '');
const verify = (name: string, extra: readonly string[] = [], env = isolatedEnv()) => runCli(['verify', ...ID, '--trusted-root', rootFile, ...extra, ref(name)], { env });

before(async () => {
  server = await startSigilServer(join(dir, 'data'));
  authority = await createKeylessAuthority();
  rootFile = join(dir, 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(authority.trustedRoot));
  // the same trust as cosign's SIGSTORE_* files
  const root = authority.trustedRoot as { ctlogs: { publicKey: { rawBytes: string } }[] };
  writeFileSync(join(dir, 'fulcio.pem'), authority.rootPem);
  writeFileSync(join(dir, 'rekor.pub'), authority.rekorPublicKeyPem);
  writeFileSync(join(dir, 'ct.pub'), `-----BEGIN PUBLIC KEY-----\n${root.ctlogs[0]?.publicKey.rawBytes ?? ''}\n-----END PUBLIC KEY-----\n`);
  for (const name of ['classic', 'bundled', 'unsigned', 'keyed', 'early', 'tampered', 'mixed']) {
    images[name] = buildImage([300]);
    await pushImage(client, repo(name), images[name], 'v1');
  }
  const identity = { san: SAN, issuer: ISSUER, github: GITHUB };
  await pushClassic('classic', [await signClassicLayer(authority, identity, payloadFor('classic'))]);
  await pushBundleReferrer('bundled', await signImageBundle(authority, identity, images['bundled']?.digest ?? '', { annotations: { env: 'prod' } }));
  const keyed = await signClassicLayer(authority, identity, payloadFor('keyed'));
  await pushClassic('keyed', [{ ...keyed, annotations: { 'dev.cosignproject.cosign/signature': keyed.annotations['dev.cosignproject.cosign/signature'] ?? '' } }]);
  // logged an hour before the certificate existed: the certificate was not valid at the integrated time
  await pushClassic('early', [await signClassicLayer(authority, identity, payloadFor('early'), { integratedTime: Math.floor(Date.now() / 1000) - 3600 })]);
  const good = await signClassicLayer(authority, identity, payloadFor('tampered'));
  const set = JSON.parse(good.annotations[ANNOTATION_BUNDLE] ?? '{}') as { SignedEntryTimestamp: string; Payload: Record<string, unknown> };
  const flipped = Buffer.from(set.SignedEntryTimestamp, 'base64');
  flipped[12] = (flipped[12] ?? 0) ^ 1;
  await pushClassic('tampered', [{ ...good, annotations: { ...good.annotations, [ANNOTATION_BUNDLE]: JSON.stringify({ ...set, SignedEntryTimestamp: flipped.toString('base64') }) } }]);
  // one signature by someone else, one by the expected signer: the image verifies
  await pushClassic('mixed', [
    await signClassicLayer(authority, { san: 'https://evil.example/ci', issuer: ISSUER }, payloadFor('mixed')),
    await signClassicLayer(authority, identity, payloadFor('mixed')),
  ]);
});
after(async () => { await server.stop(); });

describe('verify keylessly', () => {
  test('a classic keyless signature verifies with cosign\'s output, and --output-certificate writes the leaf', async () => {
    const certFile = join(dir, 'leaf.pem');
    const r = await verify('classic', ['--output-certificate', certFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The code-signing certificate was verified using trusted certificate authority certificates/);
    assert.match(r.stderr, /Existence of the claims in the transparency log was verified offline/);
    const [doc] = JSON.parse(r.stdout) as { critical: { image: Record<string, string> }; optional: Record<string, unknown> }[];
    assert.equal(doc?.critical.image['docker-manifest-digest'], images['classic']?.digest);
    assert.equal(doc?.optional['Subject'], SAN);
    assert.equal(doc?.optional['Issuer'], ISSUER);
    assert.equal(doc?.optional['githubWorkflowRepository'], 'acme/app');
    assert.ok(doc?.optional['Bundle'], 'the Rekor bundle is shown');
    assert.match(readFileSync(certFile, 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
  });

  test('an identity or issuer mismatch is cosign\'s "no matching signatures" with the subjects and issuer, exit 12', async () => {
    const r = await runCli(['verify', '--certificate-identity', 'https://github.com/acme/other', '--certificate-oidc-issuer', ISSUER, '--trusted-root', rootFile, ref('classic')], { env: isolatedEnv() });
    assert.equal(r.code, 12);
    assert.match(r.stderr, new RegExp(`no matching signatures: none of the expected identities matched what was in the certificate, got subjects \\[${SAN.replace(/[./]/g, '\\$&')}\\] with issuer ${ISSUER.replace(/[./]/g, '\\$&')} \\(ERR_VERIFY_IDENTITY_MISMATCH`));
    const issuer = await runCli(['verify', '--certificate-identity', SAN, '--certificate-oidc-issuer-regexp', '^https://accounts\\.google\\.com$', '--trusted-root', rootFile, ref('classic')], { env: isolatedEnv() });
    assert.equal(issuer.code, 12);
    assert.match(issuer.stderr, /none of the expected identities matched/);
  });

  test('GitHub workflow flags compare the certificate\'s extensions', async () => {
    const ok = await verify('classic', ['--certificate-github-workflow-trigger', 'push', '--certificate-github-workflow-repository', 'acme/app', '--certificate-github-workflow-ref', 'refs/heads/main']);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await verify('classic', ['--certificate-github-workflow-ref', 'refs/heads/dev']);
    assert.equal(bad.code, 12);
    assert.match(bad.stderr, /expected GitHub Workflow Ref not found in certificate/);
    const absent = await verify('classic', ['--certificate-github-workflow-sha', 'abc']);
    assert.equal(absent.code, 12, 'a flag for an extension the certificate lacks never matches');
  });

  test('a bundle v0.3 referrer (cosign --new-bundle-format) verifies, shown in cosign\'s simple-signing shape', async () => {
    const r = await verify('bundled', ['-a', 'env=prod']);
    assert.equal(r.code, 0, r.stderr);
    const [doc] = JSON.parse(r.stdout) as { critical: { type: string; image: Record<string, string> }; optional: Record<string, unknown> }[];
    assert.equal(doc?.critical.type, 'https://sigstore.dev/cosign/sign/v1');
    assert.equal(doc?.critical.image['docker-manifest-digest'], images['bundled']?.digest);
    assert.equal(doc?.optional['env'], 'prod');
    assert.equal(doc?.optional['Subject'], SAN);
    const wrongAnnotation = await verify('bundled', ['-a', 'env=dev']);
    assert.equal(wrongAnnotation.code, 12);
    assert.match(wrongAnnotation.stderr, /missing or incorrect annotation: env=dev/);
    const wrongId = await runCli(['verify', '--certificate-identity', 'x', '--certificate-oidc-issuer', ISSUER, '--trusted-root', rootFile, ref('bundled')], { env: isolatedEnv() });
    assert.equal(wrongId.code, 12);
    assert.match(wrongId.stderr, /none of the expected identities matched/);
  });

  test('bundles about another image or with another predicate are not signatures of this one', async () => {
    const other = buildImage([100]);
    images['wrong'] = images['bundled'] as TestImage;
    await pushBundleReferrer('wrong', await signImageBundle(authority, { san: SAN, issuer: ISSUER }, other.digest));
    await pushBundleReferrer('wrong', await signImageBundle(authority, { san: SAN, issuer: ISSUER }, images['bundled']?.digest ?? '', { predicateType: 'https://slsa.dev/provenance/v1' }));
    // the repository `wrong` holds only these two bundles for the image
    await pushImage(client, repo('wrong'), images['wrong'], 'v1');
    const r = await verify('wrong');
    assert.equal(r.code, 12);
    assert.match(r.stderr, /no matching subject digest found/);
    assert.match(r.stderr, /predicate type "https:\/\/slsa\.dev\/provenance\/v1" is not https:\/\/sigstore\.dev\/cosign\/sign\/v1/);
  });

  test('an unsigned image is "no signatures found" (exit 10); a key-based signature has no certificate (exit 13)', async () => {
    const none = await verify('unsigned');
    assert.equal(none.code, 10);
    assert.match(none.stderr, /no signatures found \(ERR_VERIFY_NO_SIGNATURES\)/);
    const keyed = await verify('keyed');
    assert.equal(keyed.code, 13);
    assert.match(keyed.stderr, /no certificate found on signature \(ERR_VERIFY_CERTIFICATE_MISSING\)/);
  });

  test('a certificate not valid at the integrated time, or a tampered SET, fails', async () => {
    const early = await verify('early');
    assert.equal(early.code, 12);
    assert.match(early.stderr, /certificate 0 of the path is not valid at .*ERR_CERT_CHAIN/);
    const tampered = await verify('tampered');
    assert.equal(tampered.code, 12);
    assert.match(tampered.stderr, /ERR_CRYPTO_SIGNATURE_INVALID|ERR_TLOG_SET_INVALID/);
  });

  test('one good signature among rejected ones is enough', async () => {
    const r = await verify('mixed', ['--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { verified: unknown[]; rejected: { code: string }[] };
    assert.equal(doc.verified.length, 1);
    assert.deepEqual(doc.rejected.map((x) => x.code), ['ERR_VERIFY_IDENTITY_MISMATCH']);
  });

  test('cosign\'s SIGSTORE_ROOT_FILE / SIGSTORE_REKOR_PUBLIC_KEY / SIGSTORE_CT_LOG_PUBLIC_KEY_FILE stand in for --trusted-root', async () => {
    const env = isolatedEnv({
      SIGSTORE_ROOT_FILE: join(dir, 'fulcio.pem'), SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'rekor.pub'), SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(dir, 'ct.pub'),
    });
    const ok = await runCli(['verify', ...ID, ref('classic')], { env });
    assert.equal(ok.code, 0, ok.stderr);
    // the built-in production root does not trust this CA
    const production = await runCli(['verify', ...ID, ref('classic')], { env: isolatedEnv() });
    assert.equal(production.code, 12);
    assert.match(production.stderr, /ERR_TLOG_LOG_ID_MISMATCH|ERR_CERT_CHAIN/);
  });

  test('keyless mode needs an identity and an issuer (cosign\'s messages, exit 2); --key excludes them', async () => {
    const noId = await runCli(['verify', '--certificate-oidc-issuer', ISSUER, ref('classic')], { env: isolatedEnv() });
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /--certificate-identity or --certificate-identity-regexp is required for verification in keyless mode/);
    const noIssuer = await runCli(['verify', '--certificate-identity', SAN, ref('classic')], { env: isolatedEnv() });
    assert.equal(noIssuer.code, 2);
    assert.match(noIssuer.stderr, /--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in keyless mode/);
    const both = await runCli(['verify', '--key', join(dir, 'none.pub'), ...ID, ref('classic')], { env: isolatedEnv() });
    assert.equal(both.code, 2);
    const badRegexp = await runCli(['verify', '--certificate-identity-regexp', '(', '--certificate-oidc-issuer', ISSUER, ref('classic')], { env: isolatedEnv() });
    assert.equal(badRegexp.code, 2);
  });

  test('cosign 2.5 accepts the same classic keyless signature (the layout is cosign\'s)', async () => {
    // cosign 2.5 reads the CA, log and CT keys from these variables without asking TUF
    const env = isolatedEnv({
      SIGSTORE_ROOT_FILE: join(dir, 'fulcio.pem'), SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'rekor.pub'), SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(dir, 'ct.pub'),
    });
    const r = await runPeer('cosign', ['verify', ...ID, '--offline', '--allow-insecure-registry', '--allow-http-registry', ref('classic')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The code-signing certificate was verified using trusted certificate authority certificates/);
    const wrong = await runPeer('cosign', ['verify', '--certificate-identity', 'x', '--certificate-oidc-issuer', ISSUER, '--offline', '--allow-insecure-registry', '--allow-http-registry', ref('classic')], { env });
    assert.equal(wrong.code, 12);
    assert.match(wrong.stderr, new RegExp(`none of the expected identities matched what was in the certificate, got subjects \\[${SAN.replace(/[./]/g, '\\$&')}\\] with issuer`));
  });
});
