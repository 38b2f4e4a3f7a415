// Keyless interop against one `sigil server` (registry, log, CA with its CT log, OIDC issuer, on
// one port), tokens from `sigil token`: cosign 2.5 signs keylessly and cosign
// verifies by identity, sigil signs keylessly (classic and --new-bundle-format) and cosign 2.5
// verifies by identity, sigstore-js signs against sigil's CA and log and sigil verifies the
// bundle, and @sigstore/verify verifies sigil's bundles against sigil's trusted_root.json.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSuccess, runPeer, runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { signWithSigstoreJs, verifyWithSigstoreJs } from '../support/sigstore-js.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { encodePem } from '../../src/core/index.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';

const EMAIL = 'keyless@example.com';
let dir = '';
let sigil: SigilServerProcess;
let issuerUrl = '';
let token = '';
let trustedRoot: unknown;
const client = createTestClient().client;
const image = buildImage([300]);
const at = (name: string): string => join(dir, name);
const ref = (repo: string): string => `${sigil.host}/${repo}@${image.digest}`;
/** cosign 2.5's overrides of its TUF trust: the CA chain, the log key and the CT log key, from sigil's trusted_root.json. */
const cosignEnv = (): Record<string, string> => ({
  HOME: dir, SIGSTORE_ROOT_FILE: at('fulcio-chain.pem'), SIGSTORE_REKOR_PUBLIC_KEY: at('rekor.pub'), SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: at('ctlog.pub'),
});
const identityFlags = (): string[] => ['--certificate-identity', EMAIL, '--certificate-oidc-issuer', issuerUrl];

interface RootJson {
  certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
  tlogs: { publicKey: { rawBytes: string } }[];
  ctlogs: { publicKey: { rawBytes: string } }[];
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-keyless-interop-'));
  sigil = await startSigilServer(at('data'));
  issuerUrl = `${sigil.url}/oidc`;
  token = (await expectSuccess(runSigil(['token', '--email', EMAIL, '--issuer', issuerUrl, '--data', at('data')]), 'sigil token')).trim();
  trustedRoot = JSON.parse(readFileSync(join(at('data'), 'trusted_root.json'), 'utf8'));
  const root = trustedRoot as RootJson;
  const der = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
  writeFileSync(at('fulcio-chain.pem'), root.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => encodePem('CERTIFICATE', der(c.rawBytes)))).join(''));
  writeFileSync(at('rekor.pub'), encodePem('PUBLIC KEY', der(root.tlogs[0]?.publicKey.rawBytes ?? '')));
  writeFileSync(at('ctlog.pub'), encodePem('PUBLIC KEY', der(root.ctlogs[0]?.publicKey.rawBytes ?? '')));
  writeFileSync(at('artifact.txt'), 'a keyless artifact\n');
  for (const repo of ['by-cosign', 'by-sigil', 'by-sigil-bundle']) await pushImage(client, { registry: sigil.host, repository: repo }, image, 'v1');
});
after(async () => { await sigil.stop(); rmSync(dir, { recursive: true, force: true }); });

const sigilKeyless = (): string[] => ['--fulcio-url', sigil.url, '--rekor-url', sigil.url, '--identity-token', token];

describe('keyless images with cosign 2.5', () => {
  test('cosign signs keylessly against sigil; cosign verifies by identity', async () => {
    await expectSuccess(runPeer('cosign', ['sign', '--fulcio-url', sigil.url, '--rekor-url', sigil.url, '--identity-token', token, '--yes', '--allow-insecure-registry', ref('by-cosign')], { env: cosignEnv() }), 'cosign sign');
    await expectSuccess(runPeer('cosign', ['verify', ...identityFlags(), '--rekor-url', sigil.url, '--allow-insecure-registry', ref('by-cosign')], { env: cosignEnv() }), 'cosign verify');
  });

  test('sigil signs keylessly (classic); cosign verifies by identity, and refuses another identity', async () => {
    await expectSuccess(runSigil(['sign', ...sigilKeyless(), ref('by-sigil')]), 'sigil sign');
    const out = await expectSuccess(runPeer('cosign', ['verify', ...identityFlags(), '--rekor-url', sigil.url, '--allow-insecure-registry', ref('by-sigil')], { env: cosignEnv() }), 'cosign verify');
    assert.match(out, new RegExp(`"Subject":"${EMAIL}"`));
    const wrong = await runPeer('cosign', ['verify', '--certificate-identity', 'someone@example.com', '--certificate-oidc-issuer', issuerUrl, '--rekor-url', sigil.url, '--allow-insecure-registry', ref('by-sigil')], { env: cosignEnv() });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /none of the expected identities matched/);
  });

  test('sigil signs --new-bundle-format; cosign 2.5 verifies the referrer bundle with sigil\'s trusted root', async () => {
    // cosign 2.5's `verify` reads only .sig tags; its bundle reader is verify-attestation --new-bundle-format
    // (and it refuses a log entry at index 0, which the earlier tests have already taken)
    await expectSuccess(runSigil(['sign', ...sigilKeyless(), '--new-bundle-format', ref('by-sigil-bundle')]), 'sigil sign --new-bundle-format');
    const out = await expectSuccess(runPeer('cosign', [
      'verify-attestation', ...identityFlags(), '--new-bundle-format', '--type', 'https://sigstore.dev/cosign/sign/v1',
      '--trusted-root', join(at('data'), 'trusted_root.json'), '--allow-insecure-registry', '--allow-http-registry', ref('by-sigil-bundle'),
    ], { env: cosignEnv() }), 'cosign verify-attestation --new-bundle-format');
    assert.match(out, /"payloadType":"application\/vnd\.in-toto\+json"/);
    const wrong = await runPeer('cosign', [
      'verify-attestation', '--certificate-identity', 'someone@example.com', '--certificate-oidc-issuer', issuerUrl, '--new-bundle-format', '--type', 'https://sigstore.dev/cosign/sign/v1',
      '--trusted-root', join(at('data'), 'trusted_root.json'), '--allow-insecure-registry', '--allow-http-registry', ref('by-sigil-bundle'),
    ], { env: cosignEnv() });
    assert.notEqual(wrong.code, 0);
  });
});

describe('sigil\'s CA refuses a bad token and nothing reaches the registry', () => {
  test('a token for another audience: ERR_FULCIO_TOKEN_REJECTED, exit 5, no signature pushed', async () => {
    const other = (await expectSuccess(runSigil(['token', '--email', EMAIL, '--audience', 'not-sigstore', '--issuer', issuerUrl, '--data', at('data')]), 'sigil token')).trim();
    await pushImage(client, { registry: sigil.host, repository: 'refused' }, image, 'v1');
    const r = await runSigil(['sign', '--fulcio-url', sigil.url, '--rekor-url', sigil.url, '--identity-token', other, ref('refused')]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /\(ERR_FULCIO_TOKEN_REJECTED\)\n$/);
    assert.equal((await readTaggedSignatures(client, { registry: sigil.host, repository: 'refused' }, image.digest)).layers.length, 0);
  });
});

describe('keyless blobs and bundles with cosign 2.5 and sigstore-js', () => {
  test('sigil sign-blob keyless → cosign verify-blob --bundle by identity', async () => {
    await expectSuccess(runSigil(['sign-blob', ...sigilKeyless(), '--bundle', at('sigil.bundle'), at('artifact.txt')]), 'sigil sign-blob');
    await expectSuccess(runPeer('cosign', ['verify-blob', '--bundle', at('sigil.bundle'), ...identityFlags(), at('artifact.txt')], { env: cosignEnv() }), 'cosign verify-blob');
  });

  test('sigil sign-blob --new-bundle-format and sign-bundle → @sigstore/verify with sigil\'s trusted_root.json', async () => {
    await expectSuccess(runSigil(['sign-blob', ...sigilKeyless(), '--new-bundle-format', '--bundle', at('blob.sigstore.json'), at('artifact.txt')]), 'sigil sign-blob');
    await expectSuccess(runSigil([
      'sign-bundle', '--identity-token', token, '--bundle', at('conf.sigstore.json'),
      '--signing-config', join(at('data'), 'signing_config.json'), '--trusted-root', join(at('data'), 'trusted_root.json'), at('artifact.txt'),
    ]), 'sigil sign-bundle');
    for (const name of ['blob.sigstore.json', 'conf.sigstore.json']) {
      const bundle: unknown = JSON.parse(readFileSync(at(name), 'utf8'));
      assert.equal(verifyWithSigstoreJs(bundle, readFileSync(at('artifact.txt')), trustedRoot, { identity: EMAIL, issuer: issuerUrl }).identity, EMAIL);
      assert.throws(() => verifyWithSigstoreJs(bundle, readFileSync(at('artifact.txt')), trustedRoot, { identity: 'other@example.com', issuer: issuerUrl }));
    }
  });

  test('sigstore-js signs against sigil\'s CA and log; sigil verify-bundle accepts it, and refuses another identity', async () => {
    const bundle = await signWithSigstoreJs(readFileSync(at('artifact.txt')), { fulcioUrl: sigil.url, rekorUrl: sigil.url, token });
    writeFileSync(at('sjs.sigstore.json'), JSON.stringify(bundle));
    const root = join(at('data'), 'trusted_root.json');
    await expectSuccess(runSigil(['verify-bundle', '--bundle', at('sjs.sigstore.json'), ...identityFlags(), '--trusted-root', root, at('artifact.txt')]), 'sigil verify-bundle');
    const wrong = await runSigil(['verify-bundle', '--bundle', at('sjs.sigstore.json'), '--certificate-identity', 'other@example.com', '--certificate-oidc-issuer', issuerUrl, '--trusted-root', root, at('artifact.txt')]);
    assert.equal(wrong.code, 12, wrong.stderr);
  });
});
