// sigil sign --key --certificate --rekor-url: as cosign 2.5, the log entry records the certificate
// instead of the bare key; cosign and sigil verify it against the chain with the log, and verify --key with
// the log refuses it in sigil as in cosign. Registry and log: one `sigil server` on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';
import { createTestCaChain } from '../support/test-ca.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';
import { decodePem, encodePem } from '../../src/core/index.ts';

const PASSWORD = 'byo-pki-tlog';
let server: SigilServerProcess;
let dir = '';
const client = createTestClient().client;
const image = buildImage([310]);
const peerImage = buildImage([311]);
const at = (name: string): string => join(dir, name);
const env = (extra: Record<string, string> = {}): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD, ...extra });
const ref = (): string => `${server.host}/app@${image.digest}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-byopki-tlog-'));
  server = await startSigilServer(join(dir, 'data'));
  await pushImage(client, { registry: server.host, repository: 'app' }, image, 'v1');
  await pushImage(client, { registry: server.host, repository: 'peer' }, peerImage, 'v1');
  const r = await runCli(['generate-key-pair', '--output-key-prefix', at('key')], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const spki = decodePem(readFileSync(at('key.pub'), 'utf8'))[0]?.der ?? new Uint8Array();
  const ca = createTestCaChain();
  writeFileSync(at('leaf.pem'), encodePem('CERTIFICATE', ca.issue(spki, { kind: 'email', value: 'release@corp.example' }, 'https://idp.corp.example')));
  writeFileSync(at('chain.pem'), ca.intermediatePem + ca.rootPem);
  writeFileSync(at('log.pub'), await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
});
after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

async function loggedPublicKey(repo: string, digest: string): Promise<string> {
  const { layers } = await readTaggedSignatures(client, { registry: server.host, repository: repo }, digest);
  const bundle = JSON.parse(layers[0]?.annotations['dev.sigstore.cosign/bundle'] ?? '{}') as { Payload?: { body?: string } };
  const body = JSON.parse(Buffer.from(bundle.Payload?.body ?? '', 'base64').toString('utf8')) as { spec: { signature: { publicKey: { content: string } } } };
  return Buffer.from(body.spec.signature.publicKey.content, 'base64').toString('utf8');
}

test('the log entry records the certificate, as cosign 2.5 logs it; cosign and sigil verify it against the chain with the log', async () => {
  const s = await runCli(['sign', '--key', at('key.key'), '--certificate', at('leaf.pem'), '--certificate-chain', at('chain.pem'), '--rekor-url', server.url, ref()], { env: env() });
  assert.equal(s.code, 0, s.stderr);
  assert.equal(await loggedPublicKey('app', image.digest), readFileSync(at('leaf.pem'), 'utf8'));
  await expectSuccess(runPeer('cosign', ['sign', '--key', at('key.key'), '--certificate', at('leaf.pem'), '--certificate-chain', at('chain.pem'), '--rekor-url', server.url, '--yes', '--allow-http-registry', `${server.host}/peer@${peerImage.digest}`], { env: { COSIGN_PASSWORD: PASSWORD } }), 'cosign sign');
  assert.equal(await loggedPublicKey('peer', peerImage.digest), readFileSync(at('leaf.pem'), 'utf8'));
  await expectSuccess(runPeer('cosign', [
    'verify', '--certificate-chain', at('chain.pem'), '--certificate-identity', 'release@corp.example', '--certificate-oidc-issuer', 'https://idp.corp.example',
    '--insecure-ignore-sct', '--allow-http-registry', ref(),
  ], { env: { SIGSTORE_REKOR_PUBLIC_KEY: at('log.pub') } }), 'cosign verify --certificate-chain');
  for (const signed of [ref(), `${server.host}/peer@${peerImage.digest}`]) {
    const v = await runCli([
      'verify', '--certificate-chain', at('chain.pem'), '--certificate-identity', 'release@corp.example', '--certificate-oidc-issuer', 'https://idp.corp.example',
      '--insecure-ignore-sct', signed,
    ], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: at('log.pub') }) });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /Existence of the claims in the transparency log was verified offline/);
  }
});

test('verify --key with the log refuses such a signature, as cosign 2.5 does (the entry names the certificate, not the key)', async () => {
  const v = await runCli(['verify', '--key', at('key.pub'), ref()], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: at('log.pub') }) });
  assert.equal(v.code, 12, v.stderr);
  assert.match(v.stderr, /ERR_VERIFY_BUNDLE_MISMATCH/);
  const c = await runPeer('cosign', ['verify', '--key', at('key.pub'), '--allow-http-registry', ref()], { env: { SIGSTORE_REKOR_PUBLIC_KEY: at('log.pub') } });
  assert.equal(c.code, 12, c.stderr);
  assert.match(c.stderr, /comparing public key PEMs/);
});
