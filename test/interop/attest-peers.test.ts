// Attestations between sigil and cosign 2.5 against one `sigil server` (registry, log, CA with its
// CT log, OIDC issuer): cosign attests (no log; logged as dsse and as intoto 0.0.1; keyless) and
// sigil verify-attestation accepts; sigil attests (the same three ways) and cosign verify-attestation
// accepts; a wrong key, a wrong --type, a tampered payload and an attestation copied onto another
// image are refused by both; `sigil copy` carries the .att tag and both verify at the destination.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSuccess, runPeer, runSigil, type RunResult } from '../support/peers.ts';
import { startKeylessServer, type KeylessServer } from '../support/keyless-server.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { decodeBase64, decodeUtf8, encodeBase64, encodeUtf8 } from '../../src/core/index.ts';
import { buildSignatureImage, signatureTag } from '../../src/oci/index.ts';
import { bytesBlobSource } from '../../src/adapters/registry-client/index.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';

const PASSWORD = 'attest-interop';
const EMAIL = 'attester@example.com';
let dir = '';
let stack: KeylessServer;
let token = '';
const client = createTestClient().client;
const at = (name: string): string => join(dir, name);
const images = new Map<string, ReturnType<typeof buildImage>>();
const ref = (repo: string): string => `${stack.server.host}/${repo}@${images.get(repo)?.digest ?? ''}`;
const repoOf = (repo: string) => ({ registry: stack.server.host, repository: repo });
const env = (): Record<string, string> => ({ ...stack.cosignEnv, COSIGN_PASSWORD: PASSWORD });
const insecure = ['--allow-insecure-registry', '--allow-http-registry'];
const ok = expectSuccess;

const cosignAttest = (repo: string, ...flags: string[]): Promise<RunResult> =>
  runPeer('cosign', ['attest', '--predicate', at('slsa.json'), '--type', 'slsaprovenance', '-y', ...insecure, ...flags, ref(repo)], { env: env() });
const cosignVerify = (repo: string, ...flags: string[]): Promise<RunResult> =>
  runPeer('cosign', ['verify-attestation', '--type', 'slsaprovenance', ...insecure, ...flags, ref(repo)], { env: env() });
const sigilAttest = (repo: string, ...flags: string[]): Promise<RunResult> =>
  runSigil(['attest', '--predicate', at('slsa.json'), '--type', 'slsaprovenance', ...flags, ref(repo)], { env: env() });
const sigilVerify = (repo: string, ...flags: string[]): Promise<RunResult> =>
  runSigil(['verify-attestation', '--type', 'slsaprovenance', ...flags, ref(repo)], { env: env() });

const keyOnly = (name: string) => ['--key', at(`${name}.key`), '--tlog-upload=false'];
const pubNoLog = (name: string) => ['--key', at(`${name}.pub`), '--insecure-ignore-tlog'];
const pubLogged = (name: string) => ['--key', at(`${name}.pub`), '--rekor-url', stack.server.url];
const identity = (email = EMAIL) => ['--certificate-identity', email, '--certificate-oidc-issuer', stack.issuerUrl];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-attest-interop-'));
  stack = await startKeylessServer(dir);
  token = await stack.token(['--email', EMAIL]);
  writeFileSync(at('slsa.json'), JSON.stringify({ buildType: 'https://example.com/build', builder: { id: 'https://ci.example/builder' } }));
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', at('cosign')], { env: env(), cwd: dir }), 'cosign keys');
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', at('sigil')], { env: env() }), 'sigil keys');
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', at('other')], { env: env() }), 'other keys');
  const repos = ['c-nolog', 'c-dsse', 'c-intoto', 'c-keyless', 'c-bundle', 's-nolog', 's-dsse', 's-intoto', 's-keyless', 'victim', 'tampered', 'source', 'untouched', 's-bundle'];
  for (const [i, repo] of repos.entries()) {
    const image = buildImage([400 + i]);
    images.set(repo, image);
    await pushImage(client, repoOf(repo), image, 'v1');
  }
});
after(async () => { await stack.server.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('cosign 2.5 attests; sigil verify-attestation accepts', () => {
  test('with a key and no log', async () => {
    await ok(cosignAttest('c-nolog', ...keyOnly('cosign')), 'cosign attest');
    const v = await ok(sigilVerify('c-nolog', ...pubNoLog('cosign')), 'sigil verify-attestation');
    assert.match(v, /"payloadType":"application\/vnd\.in-toto\+json"/);
    assert.equal((await sigilVerify('c-nolog', ...pubNoLog('sigil'))).code, 12);
    const wrongType = await sigilVerify('c-nolog', ...pubNoLog('cosign'), '--type', 'cyclonedx');
    assert.equal(wrongType.code, 12);
    assert.match(wrongType.stderr, /ERR_VERIFY_PREDICATE_TYPE/);
  });

  for (const kind of ['dsse', 'intoto'] as const) {
    test(`with a key, logged in sigil's log as ${kind}`, async () => {
      await ok(cosignAttest(`c-${kind}`, '--key', at('cosign.key'), '--rekor-url', stack.server.url, '--rekor-entry-type', kind), 'cosign attest');
      const v = await runSigil(['verify-attestation', '--type', 'slsaprovenance', ...pubLogged('cosign'), ref(`c-${kind}`)], { env: env() });
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stderr, /Existence of the claims in the transparency log was verified offline/);
    });
  }

  test('keylessly against sigil\'s CA and log, by identity', async () => {
    await ok(cosignAttest('c-keyless', '--fulcio-url', stack.server.url, '--rekor-url', stack.server.url, '--identity-token', token), 'cosign attest keyless');
    await ok(sigilVerify('c-keyless', ...identity(), '--trusted-root', stack.trustedRootPath), 'sigil verify-attestation keyless');
    const wrong = await sigilVerify('c-keyless', ...identity('someone@example.com'), '--trusted-root', stack.trustedRootPath);
    assert.equal(wrong.code, 12);
  });
});

describe('cosign 2.5 attests as Sigstore bundles (--new-bundle-format); sigil verify-attestation reads the referrers', () => {
  test('keyless and with a key, against sigil\'s trusted root; another identity and another key are refused', async () => {
    await ok(cosignAttest('c-bundle', '--new-bundle-format', '--fulcio-url', stack.server.url, '--rekor-url', stack.server.url, '--identity-token', token), 'cosign attest keyless bundle');
    await ok(cosignAttest('c-bundle', '--new-bundle-format', '--key', at('cosign.key'), '--rekor-url', stack.server.url), 'cosign attest key bundle');
    const root = ['--trusted-root', stack.trustedRootPath];
    const keyless = await ok(sigilVerify('c-bundle', ...identity(), ...root), 'sigil verify-attestation keyless bundle');
    assert.equal(keyless.trim().split('\n').length, 1);
    assert.match(keyless, /^\{"payload":"[^"]+","payloadType":"application\/vnd\.in-toto\+json","signatures":\[\{"sig":"[^"]+"\}\]\}$/m);
    await ok(sigilVerify('c-bundle', '--key', at('cosign.pub'), ...root), 'sigil verify-attestation key bundle');
    assert.equal((await sigilVerify('c-bundle', ...identity('someone@example.com'), ...root)).code, 12);
    assert.equal((await sigilVerify('c-bundle', '--key', at('sigil.pub'), ...root)).code, 12);
    // without a trust root a key-based verifier reads no bundles, so it finds no attestation
    assert.equal((await sigilVerify('c-bundle', '--key', at('cosign.pub'))).code, 10);
  });
});

describe('sigil attests; cosign 2.5 verify-attestation accepts', () => {
  test('with a key and no log', async () => {
    await ok(sigilAttest('s-nolog', ...keyOnly('sigil')), 'sigil attest');
    const v = await ok(cosignVerify('s-nolog', ...pubNoLog('sigil')), 'cosign verify-attestation');
    assert.match(v, /"payloadType":"application\/vnd\.in-toto\+json"/);
    assert.notEqual((await cosignVerify('s-nolog', ...pubNoLog('other'))).code, 0);
    const wrongType = await runPeer('cosign', ['verify-attestation', '--type', 'cyclonedx', ...insecure, ...pubNoLog('sigil'), ref('s-nolog')], { env: env() });
    assert.notEqual(wrongType.code, 0);
    assert.match(wrongType.stderr, /none of the attestations matched the predicate type/);
  });

  for (const kind of ['dsse', 'intoto'] as const) {
    test(`with a key, logged in sigil's log as ${kind}`, async () => {
      await ok(sigilAttest(`s-${kind}`, '--key', at('sigil.key'), '--rekor-url', stack.server.url, '--rekor-entry-type', kind), 'sigil attest');
      await ok(cosignVerify(`s-${kind}`, ...pubLogged('sigil')), 'cosign verify-attestation');
      await ok(sigilVerify(`s-${kind}`, ...pubLogged('sigil')), 'sigil verify-attestation');
      // the log key from the trust root alone
      const { SIGSTORE_REKOR_PUBLIC_KEY: _k, ...noLogKey } = env();
      const fromRoot = await runSigil(['verify-attestation', '--type', 'slsaprovenance', '--key', at('sigil.pub'), '--trusted-root', stack.trustedRootPath, ref(`s-${kind}`)], { env: noLogKey });
      assert.equal(fromRoot.code, 0, fromRoot.stderr);
    });
  }

  test('keylessly, by identity; another identity is refused by both', async () => {
    await ok(sigilAttest('s-keyless', '--fulcio-url', stack.server.url, '--rekor-url', stack.server.url, '--identity-token', token), 'sigil attest keyless');
    await ok(cosignVerify('s-keyless', ...identity(), '--rekor-url', stack.server.url), 'cosign verify-attestation keyless');
    await ok(sigilVerify('s-keyless', ...identity(), '--trusted-root', stack.trustedRootPath), 'sigil verify-attestation keyless');
    assert.notEqual((await cosignVerify('s-keyless', ...identity('someone@example.com'), '--rekor-url', stack.server.url)).code, 0);
  });
});

describe('sigil attests as Sigstore bundles (--new-bundle-format); cosign 2.5 reads the referrers', () => {
  test('keyless and with a key; cosign verify-attestation --new-bundle-format and sigil accept, another key is refused', async () => {
    await ok(sigilAttest('s-bundle', '--new-bundle-format', '--fulcio-url', stack.server.url, '--rekor-url', stack.server.url, '--identity-token', token), 'sigil attest keyless bundle');
    await ok(sigilAttest('s-bundle', '--new-bundle-format', '--key', at('sigil.key'), '--rekor-url', stack.server.url), 'sigil attest key bundle');
    const root = ['--new-bundle-format', '--trusted-root', stack.trustedRootPath];
    await ok(cosignVerify('s-bundle', ...identity(), ...root), 'cosign verify-attestation keyless bundle');
    await ok(cosignVerify('s-bundle', '--key', at('sigil.pub'), ...root), 'cosign verify-attestation key bundle');
    assert.notEqual((await cosignVerify('s-bundle', '--key', at('other.pub'), ...root)).code, 0);
    await ok(sigilVerify('s-bundle', ...identity(), '--trusted-root', stack.trustedRootPath), 'sigil verify-attestation keyless bundle');
    await ok(sigilVerify('s-bundle', '--key', at('sigil.pub'), '--trusted-root', stack.trustedRootPath), 'sigil verify-attestation key bundle');
  });
});

describe('forgeries are refused by both', () => {
  const pushAtt = async (repo: string, layers: Parameters<typeof buildSignatureImage>[0]): Promise<void> => {
    const image = buildSignatureImage(layers);
    for (const [digest, bytes] of [[image.configDigest, image.config] as const, ...image.blobs]) await client.pushBlob(repoOf(repo), bytesBlobSource(digest, bytes));
    await client.putManifest(repoOf(repo), signatureTag(images.get(repo)?.digest ?? '', 'att'), image.manifest, image.mediaType);
  };

  test('an attestation copied onto another image', async () => {
    const stolen = await readTaggedSignatures(client, repoOf('s-nolog'), images.get('s-nolog')?.digest ?? '', 'att');
    await pushAtt('victim', stolen.layers);
    assert.notEqual((await cosignVerify('victim', ...pubNoLog('sigil'))).code, 0);
    const s = await sigilVerify('victim', ...pubNoLog('sigil'));
    assert.equal(s.code, 12);
    assert.match(s.stderr, /no matching subject digest found \(ERR_VERIFY_ATTESTATION_SUBJECT/);
  });

  test('a statement edited after signing (the signature kept)', async () => {
    await ok(sigilAttest('tampered', ...keyOnly('sigil')), 'sigil attest');
    const [layer] = (await readTaggedSignatures(client, repoOf('tampered'), images.get('tampered')?.digest ?? '', 'att')).layers;
    assert.ok(layer);
    const env1 = JSON.parse(decodeUtf8(layer.payload)) as { payload: string };
    const edited = decodeUtf8(decodeBase64(env1.payload)).replace('ci.example', 'evil.example');
    await pushAtt('tampered', [{ ...layer, payload: encodeUtf8(JSON.stringify({ ...env1, payload: encodeBase64(encodeUtf8(edited)) })) }]);
    assert.notEqual((await cosignVerify('tampered', ...pubNoLog('sigil'))).code, 0);
    const s = await sigilVerify('tampered', ...pubNoLog('sigil'));
    assert.equal(s.code, 12);
    assert.match(s.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
  });
});

test('a bad --type or predicate with --rekor-url reaches neither the log nor the registry', async () => {
  const treeSize = async (): Promise<number> => ((await (await fetch(`${stack.server.url}/api/v1/log`)).json()) as { treeSize: number }).treeSize;
  const before = await treeSize();
  writeFileSync(at('broken.json'), '{"builder":');
  for (const flags of [['--type', ''], ['--type', 'slsaprovenance', '--predicate', at('broken.json')]]) {
    const r = await runSigil(['attest', '--key', at('sigil.key'), '--rekor-url', stack.server.url, '--predicate', at('slsa.json'), ...flags, ref('untouched')], { env: env() });
    assert.equal(r.code, 2, r.stderr);
  }
  assert.equal(await treeSize(), before);
  assert.equal((await readTaggedSignatures(client, repoOf('untouched'), images.get('untouched')?.digest ?? '', 'att')).layers.length, 0);
});

test('sigil copy carries the .att tag; cosign and sigil verify the attestation at the destination', async () => {
  await ok(sigilAttest('source', ...keyOnly('sigil')), 'sigil attest');
  await ok(runSigil(['copy', ref('source'), `${stack.server.host}/mirror/source`]), 'sigil copy');
  const dest = `${stack.server.host}/mirror/source@${images.get('source')?.digest ?? ''}`;
  await ok(runPeer('cosign', ['verify-attestation', '--type', 'slsaprovenance', ...insecure, ...pubNoLog('sigil'), dest], { env: env() }), 'cosign at the destination');
  await ok(runSigil(['verify-attestation', '--type', 'slsaprovenance', ...pubNoLog('sigil'), dest], { env: env() }), 'sigil at the destination');
});
