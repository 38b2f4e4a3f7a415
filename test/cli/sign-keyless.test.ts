// sigil sign keyless: the certificate and chain as cosign's layer annotations next to the Rekor
// bundle (cosign verify accepts it by identity), or with --new-bundle-format a Sigstore bundle
// v0.3 referrer; bad input pushes nothing. Registry and log: one `sigil server` on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startFulcioDouble, type FulcioDouble } from '../support/fulcio-double.ts';
import { mintIdToken } from '../support/id-tokens.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';
import { parseBundle } from '../../src/bundle/index.ts';
import { collectBytes, decodeUtf8 } from '../../src/core/index.ts';

const ISSUER = 'https://issuer.example/oidc';
const EMAIL = 'image-signer@example.com';
let server: SigilServerProcess;
let fulcio: FulcioDouble;
let dir = '';
let token = '';
const client = createTestClient().client;
const image = buildImage([200]);
const repo = (name: string) => ({ registry: server.host, repository: name });
const keyless = (extra: string[]): string[] => ['sign', '--fulcio-url', fulcio.url, '--rekor-url', server.url, '--yes', ...extra];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-keyless-sign-'));
  server = await startSigilServer(join(dir, 'data'));
  fulcio = await startFulcioDouble();
  for (const name of ['classic', 'bundle', 'bad']) await pushImage(client, repo(name), image, 'v1');
  token = await mintIdToken({ iss: ISSUER, sub: 'u1', email: EMAIL, email_verified: true });
  writeFileSync(join(dir, 'log.pub'), await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
  writeFileSync(join(dir, 'root.pem'), fulcio.ca.rootPem);
});
after(async () => { await server.stop(); await fulcio.close(); rmSync(dir, { recursive: true, force: true }); });

describe('sign keyless', () => {
  test('classic: certificate, chain and Rekor bundle annotations; cosign verify accepts the identity', async () => {
    const cert = join(dir, 'cert.pem');
    const r = await runCli(keyless(['--identity-token', token, '--output-certificate', cert, `${server.host}/classic:v1`]));
    assert.equal(r.code, 0, r.stderr);
    const { layers } = await readTaggedSignatures(client, repo('classic'), image.digest);
    const annotations = layers[0]?.annotations ?? {};
    assert.equal(annotations['dev.sigstore.cosign/certificate'], readFileSync(cert, 'utf8'));
    assert.equal(annotations['dev.sigstore.cosign/chain'], fulcio.ca.rootPem);
    assert.match(annotations['dev.sigstore.cosign/bundle'] ?? '', /^\{"SignedEntryTimestamp":/);
    const verified = await expectSuccess(runPeer('cosign', [
      'verify', '--certificate-identity', EMAIL, '--certificate-oidc-issuer', ISSUER, '--certificate-chain', join(dir, 'root.pem'),
      '--insecure-ignore-sct', '--allow-insecure-registry', `${server.host}/classic@${image.digest}`,
    ], { env: { SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'log.pub'), HOME: dir } }), 'cosign verify');
    assert.match(verified, new RegExp(`"Subject":"${EMAIL}"`));
  });

  test('--new-bundle-format: a bundle v0.3 referrer over a DSSE in-toto statement of the digest', async () => {
    const r = await runCli(keyless(['--identity-token', token, '--new-bundle-format', '-a', 'team=blue', `${server.host}/bundle:v1`]));
    assert.equal(r.code, 0, r.stderr);
    const listed = await client.listReferrers(repo('bundle'), image.digest);
    const descriptor = listed.manifests.find((m) => m.artifactType === 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.ok(descriptor, JSON.stringify(listed.manifests));
    assert.equal(descriptor.annotations?.['dev.sigstore.bundle.predicateType'], 'https://sigstore.dev/cosign/sign/v1');
    const manifest = JSON.parse(decodeUtf8((await client.getManifest(repo('bundle'), descriptor.digest)).bytes)) as { layers: { digest: string }[]; subject: { digest: string } };
    assert.equal(manifest.subject.digest, image.digest);
    const blob = await client.getBlob(repo('bundle'), { digest: manifest.layers[0]?.digest ?? '' });
    const bundle = parseBundle(await collectBytes(blob.body, 1 << 20));
    assert.equal(bundle.content.kind, 'dsse');
    assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind, 'dsse');
    const statement = JSON.parse(decodeUtf8(bundle.content.kind === 'dsse' ? bundle.content.payload : new Uint8Array())) as { subject: unknown[] };
    assert.deepEqual(statement.subject, [{ digest: { sha256: image.digest.slice(7) }, annotations: { team: 'blue' } }]);
  });
});

describe('sign keyless refuses bad input and pushes nothing', () => {
  const cases: { name: string; args: () => Promise<string[]>; code: string; exit: number }[] = [
    { name: 'no token', args: async () => keyless([]), code: 'ERR_KEYLESS_TOKEN_MISSING', exit: 5 },
    { name: 'an expired token', args: async () => keyless(['--identity-token', await mintIdToken({ iss: ISSUER, email: EMAIL }, -60)]), code: 'ERR_FULCIO_TOKEN_REJECTED', exit: 5 },
    { name: 'the CA is down', args: async () => ['sign', '--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', server.url, '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'the log is down', args: async () => ['sign', '--fulcio-url', fulcio.url, '--rekor-url', 'http://127.0.0.1:9', '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'the log is down, bundle format', args: async () => ['sign', '--fulcio-url', fulcio.url, '--rekor-url', 'http://127.0.0.1:9', '--identity-token', token, '--new-bundle-format'], code: 'ERR_NETWORK', exit: 4 },
    { name: 'a certificate the trusted root does not vouch for', args: async () => keyless(['--identity-token', token, '--trusted-root', new URL('../../src/verify/trust/production-trusted-root.json', import.meta.url).pathname]), code: 'ERR_CERT_CHAIN', exit: 12 },
    { name: 'bundle format without a log', args: async () => ['sign', '--fulcio-url', fulcio.url, '--identity-token', token, '--new-bundle-format'], code: 'ERR_USAGE', exit: 2 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await runCli([...(await c.args()), `${server.host}/bad:v1`]);
      assert.equal(r.code, c.exit, r.stderr);
      assert.match(r.stderr, new RegExp(`\\(${c.code}\\)\\n$`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal((await readTaggedSignatures(client, repo('bad'), image.digest)).layers.length, 0);
      assert.equal((await client.listReferrers(repo('bad'), image.digest)).manifests.length, 0);
    });
  }
});
