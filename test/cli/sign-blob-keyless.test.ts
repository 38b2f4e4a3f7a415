// sigil sign-blob keyless: an ephemeral key, a certificate from a Fulcio v2 API, a hashedrekord
// entry in sigil's real log (one `sigil server` on 127.0.0.1), and cosign's bundle or a Sigstore
// bundle v0.3. cosign verify-blob accepts the cosign bundle. Bad input leaves nothing written.
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startFulcioDouble, type FulcioDouble } from '../support/fulcio-double.ts';
import { mintIdToken } from '../support/id-tokens.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';
import { parseBundle } from '../../src/bundle/index.ts';
import { decodePem, hashBytes } from '../../src/core/index.ts';
import { verifyWithSigstoreJs } from '../support/sigstore-js.ts';

/** A trusted root naming the stand-in CA and sigil's log (no CT log: the stand-in embeds no SCT). */
function trustedRootJson(logPem: string, rootDer: Uint8Array): unknown {
  const spki = decodePem(logPem)[0]?.der ?? new Uint8Array();
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  const validFor = { start: '2020-01-01T00:00:00Z' };
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: server.url, hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: b64(spki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor }, logId: { keyId: b64(hashBytes('sha256', spki)) } }],
    certificateAuthorities: [{ subject: { organization: 'sigil test', commonName: 'sigil test root' }, uri: fulcio.url, certChain: { certificates: [{ rawBytes: b64(rootDer) }] }, validFor }],
    ctlogs: [], timestampAuthorities: [],
  };
}

const ISSUER = 'https://issuer.example/oidc';
const EMAIL = 'signer@example.com';
let server: SigilServerProcess;
let fulcio: FulcioDouble;
let dir = '';
let artifact = '';
let token = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-keyless-blob-'));
  server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  fulcio = await startFulcioDouble();
  artifact = join(dir, 'artifact.txt');
  writeFileSync(artifact, 'keyless blob\n');
  token = await mintIdToken({ iss: ISSUER, sub: 'user-123', email: EMAIL, email_verified: true });
  writeFileSync(join(dir, 'log.pub'), await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
  writeFileSync(join(dir, 'root.pem'), fulcio.ca.rootPem);
});
after(async () => { await server.stop(); await fulcio.close(); rmSync(dir, { recursive: true, force: true }); });

const keyless = (extra: string[]): string[] => ['sign-blob', '--fulcio-url', fulcio.url, '--rekor-url', server.url, ...extra];

describe('sign-blob keyless', () => {
  test('cosign bundle and certificate: cosign verify-blob accepts them by identity', async () => {
    const bundle = join(dir, 'cosign.bundle');
    const cert = join(dir, 'cert.pem');
    const r = await runCli(keyless(['--identity-token', token, '--bundle', bundle, '--output-certificate', cert, artifact]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[A-Za-z0-9+/]+=*\n$/);
    assert.match(r.stderr, /tlog entry created with index: \d+/);
    const json = JSON.parse(readFileSync(bundle, 'utf8')) as { base64Signature: string; cert: string; rekorBundle: unknown };
    assert.equal(Buffer.from(json.cert, 'base64').toString(), readFileSync(cert, 'utf8'));
    assert.ok(new X509Certificate(readFileSync(cert)).subjectAltName?.includes(EMAIL));
    await expectSuccess(runPeer('cosign', [
      'verify-blob', '--bundle', bundle, '--certificate-identity', EMAIL, '--certificate-oidc-issuer', ISSUER,
      '--certificate-chain', join(dir, 'root.pem'), '--insecure-ignore-sct', artifact,
    ], { env: { SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'log.pub'), HOME: dir } }), 'cosign verify-blob');
  });

  test('--new-bundle-format writes a Sigstore bundle v0.3 with the leaf, the entry and its proof', async () => {
    const bundle = join(dir, 'v03.sigstore.json');
    const r = await runCli(keyless(['--identity-token', token, '--bundle', bundle, '--new-bundle-format', artifact]));
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseBundle(readFileSync(bundle));
    assert.equal(parsed.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(parsed.verificationMaterial.signer.kind, 'certificate');
    const entry = parsed.verificationMaterial.tlogEntries[0];
    assert.equal(entry?.kindVersion.kind, 'hashedrekord');
    assert.ok(entry?.inclusionPromise && entry.inclusionProof?.checkpoint);
    assert.equal(parsed.content.kind, 'message');
    const certDer = parsed.verificationMaterial.signer.kind === 'certificate' ? parsed.verificationMaterial.signer.certificate : new Uint8Array();
    const key = new X509Certificate(certDer).publicKey;
    assert.ok(parsed.content.kind === 'message' && verifySignature('sha256', readFileSync(artifact), key, parsed.content.signature));
    const root = trustedRootJson(readFileSync(join(dir, 'log.pub'), 'utf8'), fulcio.ca.rootDer);
    const bundleJson: unknown = JSON.parse(readFileSync(bundle, 'utf8'));
    assert.equal(verifyWithSigstoreJs(bundleJson, readFileSync(artifact), root, { identity: EMAIL, issuer: ISSUER, ctlogThreshold: 0 }).identity, EMAIL);
    assert.throws(() => verifyWithSigstoreJs(bundleJson, readFileSync(artifact), root, { identity: 'other@example.com', issuer: ISSUER, ctlogThreshold: 0 }));
    assert.throws(() => verifyWithSigstoreJs(bundleJson, Buffer.from('tampered'), root, { identity: EMAIL, issuer: ISSUER, ctlogThreshold: 0 }));
  });

  test('the token from SIGSTORE_ID_TOKEN, a CSR instead of a proof, the detached answer form', async () => {
    fulcio.setMode('detached');
    try {
      const tokenFile = join(dir, 'token.jwt');
      writeFileSync(tokenFile, `${await mintIdToken({ iss: ISSUER, sub: 'spiffe://ci/job' })}\n`);
      const fromFile = await runCli(keyless(['--identity-token', tokenFile, '--fulcio-csr', '--output', 'json', artifact]));
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.deepEqual((JSON.parse(fromFile.stdout) as { certificate: unknown }).certificate, { subject: 'spiffe://ci/job', issuer: ISSUER });
      const fromEnv = await runCli(keyless(['--output', 'json', artifact]), { env: isolatedEnv({ SIGSTORE_ID_TOKEN: token }) });
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      assert.equal((JSON.parse(fromEnv.stdout) as { certificate: { subject: string } }).certificate.subject, EMAIL);
    } finally { fulcio.setMode('embedded'); }
  });
});

/** GitHub Actions' token endpoint: answers `{value}` for the right bearer and audience sigstore. */
async function startActionsTokenEndpoint(value: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const audience = new URL(req.url ?? '/', 'http://x').searchParams.get('audience');
    const ok = req.headers.authorization === 'Bearer runner-secret' && audience === 'sigstore';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { count: 1, value } : { message: 'no' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/token?api-version=2.0`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('in GitHub Actions the ambient token is fetched for audience sigstore', async () => {
  const endpoint = await startActionsTokenEndpoint(await mintIdToken({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:org/app:ref:refs/heads/main' }));
  try {
    const env = (bearer: string) => isolatedEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer });
    const r = await runCli(keyless(['--output', 'json', artifact]), { env: env('runner-secret') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { certificate: { subject: string } }).certificate.subject, 'repo:org/app:ref:refs/heads/main');
    const refused = await runCli(keyless([artifact]), { env: env('wrong') });
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /\(ERR_KEYLESS_TOKEN_MISSING\)\n$/);
  } finally { await endpoint.close(); }
});

describe('sign-blob keyless refuses bad input and writes nothing', () => {
  const cases: { name: string; args: () => Promise<string[]>; code: string; exit: number }[] = [
    { name: 'no token at all', args: async () => keyless([]), code: 'ERR_KEYLESS_TOKEN_MISSING', exit: 5 },
    { name: 'a token that is not a jwt', args: async () => keyless(['--identity-token', 'not-a-jwt']), code: 'ERR_KEYLESS_TOKEN_MALFORMED', exit: 2 },
    { name: 'an expired token: the CA refuses it', args: async () => keyless(['--identity-token', await mintIdToken({ iss: ISSUER, email: EMAIL }, -60)]), code: 'ERR_FULCIO_TOKEN_REJECTED', exit: 5 },
    { name: 'the CA is down', args: async () => ['sign-blob', '--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', server.url, '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'the log is down', args: async () => ['sign-blob', '--fulcio-url', fulcio.url, '--rekor-url', 'http://127.0.0.1:9', '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'no CA named', args: async () => ['sign-blob', '--identity-token', token], code: 'ERR_CONFIG_INVALID', exit: 3 },
    { name: '--key with keyless flags', args: async () => ['sign-blob', '--key', 'cosign.key', '--identity-token', token], code: 'ERR_USAGE', exit: 2 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const bundle = join(dir, `bad-${c.code}.json`);
      const before = fulcio.issued();
      const r = await runCli([...(await c.args()), '--bundle', bundle, artifact]);
      assert.equal(r.code, c.exit, r.stderr);
      assert.match(r.stderr, new RegExp(`\\(${c.code}\\)\\n$`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(existsSync(bundle), false);
      if (c.code !== 'ERR_NETWORK' || c.name.includes('CA')) assert.equal(fulcio.issued(), before);
    });
  }
});
