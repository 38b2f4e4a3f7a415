// sigil verifies keyless signatures that cosign 2.5 made against one `sigil server` (registry, log,
// CA with its CT log, OIDC issuer) with tokens from `sigil token`: a classic image signature, and a
// blob in cosign's legacy bundle and in a Sigstore bundle; trust comes from the server's
// trusted_root.json, or from cosign's SIGSTORE_* files made from it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePem } from '../../src/core/index.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { expectSuccess, runPeer, runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';

const EMAIL = 'verifier@example.com';
let dir = '';
let sigil: SigilServerProcess;
let issuerUrl = '';
let token = '';
const client = createTestClient().client;
const image = buildImage([300]);
const at = (name: string): string => join(dir, name);
const ref = (repo: string): string => `${sigil.host}/${repo}@${image.digest}`;
const root = (): string => join(at('data'), 'trusted_root.json');
const cosignEnv = (): Record<string, string> => ({
  HOME: dir, SIGSTORE_ROOT_FILE: at('fulcio-chain.pem'), SIGSTORE_REKOR_PUBLIC_KEY: at('rekor.pub'), SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: at('ctlog.pub'),
});
const identity = (): string[] => ['--certificate-identity', EMAIL, '--certificate-oidc-issuer', issuerUrl];

interface RootJson {
  certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
  tlogs: { publicKey: { rawBytes: string } }[];
  ctlogs: { publicKey: { rawBytes: string } }[];
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-kverify-interop-'));
  sigil = await startSigilServer(at('data'));
  issuerUrl = `${sigil.url}/oidc`;
  token = (await expectSuccess(runSigil(['token', '--email', EMAIL, '--issuer', issuerUrl, '--data', at('data')]), 'sigil token')).trim();
  const json = JSON.parse(readFileSync(root(), 'utf8')) as RootJson;
  const der = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
  writeFileSync(at('fulcio-chain.pem'), json.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => encodePem('CERTIFICATE', der(c.rawBytes)))).join(''));
  writeFileSync(at('rekor.pub'), encodePem('PUBLIC KEY', der(json.tlogs[0]?.publicKey.rawBytes ?? '')));
  writeFileSync(at('ctlog.pub'), encodePem('PUBLIC KEY', der(json.ctlogs[0]?.publicKey.rawBytes ?? '')));
  writeFileSync(at('artifact.txt'), 'a keyless artifact\n');
  for (const repo of ['by-cosign']) await pushImage(client, { registry: sigil.host, repository: repo }, image, 'v1');
});
after(async () => { await sigil.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('sigil verifies keyless signatures made against sigil\'s CA and log', () => {
  test('cosign 2.5 signs keylessly; sigil verifies by identity with the server\'s trusted root, and with SIGSTORE_* files', async () => {
    await expectSuccess(runPeer('cosign', ['sign', '--fulcio-url', sigil.url, '--rekor-url', sigil.url, '--identity-token', token, '--yes', '--allow-insecure-registry', ref('by-cosign')], { env: cosignEnv() }), 'cosign sign');
    const out = await expectSuccess(runSigil(['verify', ...identity(), '--trusted-root', root(), ref('by-cosign')]), 'sigil verify');
    const [doc] = JSON.parse(out) as { optional: Record<string, unknown> }[];
    assert.equal(doc?.optional['Subject'], EMAIL);
    assert.equal(doc?.optional['Issuer'], issuerUrl);
    await expectSuccess(runSigil(['verify', ...identity(), ref('by-cosign')], { env: cosignEnv() }), 'sigil verify with SIGSTORE_* files');
    const wrong = await runSigil(['verify', '--certificate-identity', 'other@example.com', '--certificate-oidc-issuer', issuerUrl, '--trusted-root', root(), ref('by-cosign')]);
    assert.equal(wrong.code, 12);
    assert.match(wrong.stderr, new RegExp(`none of the expected identities matched what was in the certificate, got subjects \\[${EMAIL.replace('.', '\\.')}\\] with issuer ${issuerUrl.replace(/[./]/g, '\\$&')}`));
  });

  test('cosign 2.5 signs a blob keylessly, legacy bundle and Sigstore bundle; sigil verify-blob checks both', async () => {
    const keyless = ['--fulcio-url', sigil.url, '--rekor-url', sigil.url, '--identity-token', token, '--yes'];
    await expectSuccess(runPeer('cosign', ['sign-blob', ...keyless, '--bundle', at('legacy.json'), at('artifact.txt')], { env: cosignEnv() }), 'cosign sign-blob');
    const legacy = JSON.parse(readFileSync(at('legacy.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(typeof legacy['cert'] === 'string' && legacy['rekorBundle'], 'cosign wrote its legacy bundle with the certificate');
    await expectSuccess(runSigil(['verify-blob', '--bundle', at('legacy.json'), ...identity(), '--trusted-root', root(), at('artifact.txt')]), 'sigil verify-blob (legacy)');
    await expectSuccess(runPeer('cosign', ['sign-blob', ...keyless, '--new-bundle-format', '--bundle', at('sigstore.json'), at('artifact.txt')], { env: cosignEnv() }), 'cosign sign-blob --new-bundle-format');
    await expectSuccess(runSigil(['verify-blob', '--bundle', at('sigstore.json'), ...identity(), '--trusted-root', root(), at('artifact.txt')]), 'sigil verify-blob (bundle)');
    writeFileSync(at('other.txt'), 'another artifact\n');
    for (const bundle of ['legacy.json', 'sigstore.json']) {
      const other = await runSigil(['verify-blob', '--bundle', at(bundle), ...identity(), '--trusted-root', root(), at('other.txt')]);
      assert.equal(other.code, 12, `${bundle} must not verify another file`);
    }
    const wrong = await runSigil(['verify-blob', '--bundle', at('legacy.json'), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', 'https://accounts.google.com', '--trusted-root', root(), at('artifact.txt')]);
    assert.equal(wrong.code, 12);
    assert.match(wrong.stderr, /none of the expected identities matched/);
  });
});
