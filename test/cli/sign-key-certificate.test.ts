// sigil sign --key --certificate [--certificate-chain]: a key whose certificate comes from a
// private CA (a root, an intermediate, a leaf with an email SAN and code-signing EKU). The
// certificate and chain go into cosign's annotations exactly as cosign 2.5 writes them, a
// certificate for another key or one outside the chain is refused before anything is pushed, and
// cosign 2.5 verifies what sigil wrote against the chain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';
import { createTestCa, createTestCaChain } from '../support/test-ca.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';
import { ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN } from '../../src/oci/index.ts';
import { decodePem, encodePem } from '../../src/core/index.ts';

const PASSWORD = 'byo-pki';
const EMAIL = 'release@corp.example';
const ISSUER = 'https://idp.corp.example';
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
const cosignEnv = { COSIGN_PASSWORD: PASSWORD };
const client = createTestClient().client;
const ca = createTestCaChain();
const images: Record<string, TestImage> = {};
let registry: Distribution;
let dir = '';
const at = (name: string): string => join(dir, name);
const ref = (repo: string): string => `${registry.host}/${repo}@${images[repo]?.digest ?? ''}`;
const repoOf = (repo: string) => ({ registry: registry.host, repository: repo });

function spkiOf(pubPath: string): Uint8Array {
  const block = decodePem(readFileSync(pubPath, 'utf8'))[0];
  assert.ok(block);
  return block.der;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-byopki-'));
  registry = await startDistribution();
  for (const [i, repo] of ['sigil', 'cosign', 'refused', 'nochain', 'cosign-nochain', 'att', 'cosign-att'].entries()) {
    images[repo] = buildImage([300 + i]);
    await pushImage(client, repoOf(repo), images[repo], 'v1');
  }
  for (const name of ['key', 'other']) {
    const r = await runCli(['generate-key-pair', '--output-key-prefix', at(name)], { env: env() });
    assert.equal(r.code, 0, r.stderr);
  }
  const leafDer = ca.issue(spkiOf(at('key.pub')), { kind: 'email', value: EMAIL }, ISSUER);
  writeFileSync(at('leaf.der'), leafDer);
  writeFileSync(at('leaf.pem'), encodePem('CERTIFICATE', leafDer));
  writeFileSync(at('other-leaf.pem'), encodePem('CERTIFICATE', ca.issue(spkiOf(at('other.pub')), { kind: 'email', value: EMAIL }, ISSUER)));
  writeFileSync(at('chain.pem'), ca.intermediatePem + ca.rootPem);
  writeFileSync(at('root.pem'), ca.rootPem);
  writeFileSync(at('intermediate.pem'), ca.intermediatePem);
  writeFileSync(at('stranger-root.pem'), createTestCa().rootPem);
  writeFileSync(at('predicate.json'), '{"release":"1.0"}');
});
after(async () => { await registry.stop(); rmSync(dir, { recursive: true, force: true }); });

async function annotationsOf(repo: string, suffix: 'sig' | 'att' = 'sig'): Promise<Readonly<Record<string, string>>[]> {
  const read = await readTaggedSignatures(client, repoOf(repo), images[repo]?.digest ?? '', suffix);
  return read.layers.map((l) => l.annotations);
}

describe('sign --key --certificate', () => {
  test('stores the certificate and chain as cosign does; cosign 2.5 writes the same annotations', async () => {
    const s = await runCli(['sign', '--key', at('key.key'), '--certificate', at('leaf.pem'), '--certificate-chain', at('chain.pem'), '--tlog-upload=false', ref('sigil')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const [ours] = await annotationsOf('sigil');
    assert.equal(ours?.[ANNOTATION_CERTIFICATE], readFileSync(at('leaf.pem'), 'utf8'));
    assert.equal(ours?.[ANNOTATION_CHAIN], readFileSync(at('chain.pem'), 'utf8'));
    await expectSuccess(runPeer('cosign', ['sign', '--key', at('key.key'), '--certificate', at('leaf.pem'), '--certificate-chain', at('chain.pem'), '--tlog-upload=false', '--yes', '--allow-http-registry', ref('cosign')], { env: cosignEnv }), 'cosign sign');
    const [theirs] = await annotationsOf('cosign');
    assert.equal(theirs?.[ANNOTATION_CERTIFICATE], ours?.[ANNOTATION_CERTIFICATE]);
    assert.equal(theirs?.[ANNOTATION_CHAIN], ours?.[ANNOTATION_CHAIN]);
  });

  test('cosign 2.5 verifies what sigil signed: against the chain with the identity, and with the key', async () => {
    await expectSuccess(runPeer('cosign', [
      'verify', '--certificate-chain', at('chain.pem'), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', ISSUER,
      '--insecure-ignore-tlog', '--insecure-ignore-sct', '--allow-http-registry', ref('sigil'),
    ], { env: cosignEnv }), 'cosign verify --certificate-chain');
    const wrongIdentity = await runPeer('cosign', [
      'verify', '--certificate-chain', at('chain.pem'), '--certificate-identity', 'someone@else.example', '--certificate-oidc-issuer', ISSUER,
      '--insecure-ignore-tlog', '--insecure-ignore-sct', '--allow-http-registry', ref('sigil'),
    ], { env: cosignEnv });
    assert.notEqual(wrongIdentity.code, 0);
    await expectSuccess(runPeer('cosign', ['verify', '--key', at('key.pub'), '--insecure-ignore-tlog', '--allow-http-registry', ref('sigil')], { env: cosignEnv }), 'cosign verify --key');
  });

  test('a DER certificate without a chain: the leaf as PEM and no chain annotation, as cosign writes them', async () => {
    const s = await runCli(['sign', '--key', at('key.key'), '--cert', at('leaf.der'), '--tlog-upload=false', ref('nochain')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const [ours] = await annotationsOf('nochain');
    assert.equal(ours?.[ANNOTATION_CERTIFICATE], readFileSync(at('leaf.pem'), 'utf8'));
    assert.equal(ours?.[ANNOTATION_CHAIN], undefined);
    await expectSuccess(runPeer('cosign', ['sign', '--key', at('key.key'), '--certificate', at('leaf.der'), '--tlog-upload=false', '--yes', '--allow-http-registry', ref('cosign-nochain')], { env: cosignEnv }), 'cosign sign');
    const [theirs] = await annotationsOf('cosign-nochain');
    assert.equal(theirs?.[ANNOTATION_CERTIFICATE], ours?.[ANNOTATION_CERTIFICATE]);
    assert.equal(theirs?.[ANNOTATION_CHAIN], undefined);
  });

  const refusals = [
    { name: 'a certificate for another key', args: ['--certificate', 'other-leaf.pem'], code: 'ERR_SIGN_CERTIFICATE_KEY_MISMATCH' },
    { name: 'a chain the certificate is not under', args: ['--certificate', 'leaf.pem', '--certificate-chain', 'stranger-root.pem'], code: 'ERR_SIGN_CERTIFICATE_CHAIN' },
    { name: 'a chain without its intermediate', args: ['--certificate', 'leaf.pem', '--certificate-chain', 'root.pem'], code: 'ERR_SIGN_CERTIFICATE_CHAIN' },
    { name: 'a public key file as the certificate', args: ['--certificate', 'key.pub'], code: 'ERR_INPUT_INVALID' },
    { name: 'a chain without a certificate', args: ['--certificate-chain', 'chain.pem'], code: 'ERR_USAGE' },
    { name: 'a missing certificate file', args: ['--certificate', 'absent.pem'], code: 'ERR_FILE_NOT_FOUND' },
  ];
  for (const c of refusals) {
    test(`${c.name} is refused (exit 2, ${c.code}) and nothing is pushed`, async () => {
      const args = c.args.map((a) => (a.startsWith('--') ? a : at(a)));
      const s = await runCli(['sign', '--key', at('key.key'), ...args, '--tlog-upload=false', ref('refused')], { env: env() });
      assert.equal(s.code, 2, s.stderr);
      assert.match(s.stderr, new RegExp(`^error: .*\\(${c.code}\\)$`, 'm'));
      assert.doesNotMatch(s.stderr, /\n\s+at /);
      assert.deepEqual(await annotationsOf('refused'), []);
    });
  }

  test('--certificate without --key is refused (exit 2): keyless signing gets its certificate from the CA', async () => {
    const s = await runCli(['sign', '--certificate', at('leaf.pem'), '--identity-token', 'x.y.z', '--fulcio-url', 'http://127.0.0.1:9', ref('refused')], { env: env() });
    assert.equal(s.code, 2, s.stderr);
    assert.match(s.stderr, /\(ERR_USAGE\)/);
  });
});

describe('attest --key --certificate', () => {
  const chainFlags = (): string[] => ['--certificate', at('leaf.pem'), '--certificate-chain', at('chain.pem')];

  test('stores the certificate and chain as cosign attest does; cosign 2.5 verifies the attestation against the chain', async () => {
    const s = await runCli(['attest', '--key', at('key.key'), ...chainFlags(), '--predicate', at('predicate.json'), '--tlog-upload=false', ref('att')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const [ours] = await annotationsOf('att', 'att');
    assert.equal(ours?.[ANNOTATION_CERTIFICATE], readFileSync(at('leaf.pem'), 'utf8'));
    assert.equal(ours?.[ANNOTATION_CHAIN], readFileSync(at('chain.pem'), 'utf8'));
    await expectSuccess(runPeer('cosign', ['attest', '--key', at('key.key'), ...chainFlags(), '--predicate', at('predicate.json'), '--tlog-upload=false', '--yes', '--allow-http-registry', ref('cosign-att')], { env: cosignEnv }), 'cosign attest');
    const [theirs] = await annotationsOf('cosign-att', 'att');
    assert.equal(theirs?.[ANNOTATION_CERTIFICATE], ours?.[ANNOTATION_CERTIFICATE]);
    assert.equal(theirs?.[ANNOTATION_CHAIN], ours?.[ANNOTATION_CHAIN]);
    await expectSuccess(runPeer('cosign', [
      'verify-attestation', '--type', 'custom', '--certificate-chain', at('chain.pem'), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', ISSUER,
      '--insecure-ignore-tlog', '--insecure-ignore-sct', '--allow-http-registry', ref('att'),
    ], { env: cosignEnv }), 'cosign verify-attestation --certificate-chain');
  });

  test('a certificate for another key is refused (exit 2) and no attestation is pushed', async () => {
    const s = await runCli(['attest', '--key', at('key.key'), '--certificate', at('other-leaf.pem'), '--predicate', at('predicate.json'), '--tlog-upload=false', ref('refused')], { env: env() });
    assert.equal(s.code, 2, s.stderr);
    assert.match(s.stderr, /\(ERR_SIGN_CERTIFICATE_KEY_MISMATCH\)$/m);
    assert.deepEqual(await annotationsOf('refused', 'att'), []);
  });
});

describe('verify --ca-roots / --certificate-chain (a private CA instead of the trusted root)', () => {
  const identity = (email = EMAIL): string[] => ['--certificate-identity', email, '--certificate-oidc-issuer', ISSUER, '--insecure-ignore-tlog', '--insecure-ignore-sct'];
  const verify = (repo: string, ...extra: string[]) => runCli(['verify', ...extra, ref(repo)], { env: env() });

  test('what sigil and cosign 2.5 signed with the key and its certificate verifies against the private root and intermediate', async () => {
    for (const repo of ['sigil', 'cosign']) {
      const v = await verify(repo, '--ca-roots', at('root.pem'), '--ca-intermediates', at('intermediate.pem'), ...identity());
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stderr, /verified using the given certificate authority certificates/);
      const chain = await verify(repo, '--certificate-chain', at('chain.pem'), ...identity());
      assert.equal(chain.code, 0, chain.stderr);
    }
  });

  test('the identity flags still apply; another root, or a missing intermediate, does not verify (exit 12)', async () => {
    const wrong = await verify('sigil', '--certificate-chain', at('chain.pem'), ...identity('someone@else.example'));
    assert.equal(wrong.code, 12, wrong.stderr);
    assert.match(wrong.stderr, /ERR_VERIFY_IDENTITY_MISMATCH/);
    const stranger = await verify('sigil', '--ca-roots', at('stranger-root.pem'), ...identity());
    assert.equal(stranger.code, 12, stranger.stderr);
    const rootOnly = await verify('sigil', '--ca-roots', at('root.pem'), ...identity());
    assert.equal(rootOnly.code, 12, rootOnly.stderr);
    const builtin = await verify('sigil', ...identity());
    assert.equal(builtin.code, 12, builtin.stderr);
  });

  const misuse = [
    { name: '--ca-intermediates without --ca-roots', args: ['--ca-intermediates', 'intermediate.pem'], code: 'ERR_USAGE', exit: 2 },
    { name: '--certificate-chain with --ca-roots', args: ['--certificate-chain', 'chain.pem', '--ca-roots', 'root.pem'], code: 'ERR_USAGE', exit: 2 },
    { name: 'a --ca-roots file without a certificate', args: ['--ca-roots', 'predicate.json'], code: 'ERR_CONFIG_INVALID', exit: 3 },
    { name: 'a --ca-roots file with no self-signed root', args: ['--ca-roots', 'intermediate.pem'], code: 'ERR_CONFIG_INVALID', exit: 3 },
    { name: 'a missing --ca-roots file', args: ['--ca-roots', 'absent.pem'], code: 'ERR_FILE_NOT_FOUND', exit: 2 },
  ];
  for (const c of misuse) {
    test(`${c.name} is refused (exit ${c.exit}, ${c.code})`, async () => {
      const v = await verify('sigil', ...c.args.map((a) => (a.startsWith('--') ? a : at(a))), ...identity());
      assert.equal(v.code, c.exit, v.stderr);
      assert.match(v.stderr, new RegExp(`\\(${c.code}\\)$`, 'm'));
      assert.doesNotMatch(v.stderr, /\n\s+at /);
    });
  }

  test('--ca-roots with --key is refused (exit 2)', async () => {
    const v = await verify('sigil', '--key', at('key.pub'), '--ca-roots', at('root.pem'), '--insecure-ignore-tlog');
    assert.equal(v.code, 2, v.stderr);
    assert.match(v.stderr, /\(ERR_USAGE\)$/m);
  });
});
