// sigil sign-blob keyless against one `sigil server` (its OIDC issuer, CA with CT log, and log):
// an ephemeral key, a certificate, a hashedrekord entry, and cosign's bundle or a Sigstore bundle
// v0.3. cosign verify-blob and @sigstore/verify accept them with the server's trust material.
// Bad input leaves nothing written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startKeylessServer, type KeylessServer } from '../support/keyless-server.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';
import { verifyWithSigstoreJs } from '../support/sigstore-js.ts';
import { parseBundle } from '../../src/bundle/index.ts';

const EMAIL = 'signer@example.com';
let stack: KeylessServer;
let dir = '';
let artifact = '';
let token = '';
const url = (): string => stack.server.url;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-keyless-blob-'));
  stack = await startKeylessServer(dir);
  artifact = join(dir, 'artifact.txt');
  writeFileSync(artifact, 'keyless blob\n');
  token = await stack.token(['--email', EMAIL]);
});
after(async () => { await stack.server.stop(); rmSync(dir, { recursive: true, force: true }); });

const keyless = (extra: string[]): string[] => ['sign-blob', '--fulcio-url', url(), '--rekor-url', url(), ...extra];

describe('sign-blob keyless', () => {
  test('cosign bundle and certificate: cosign verify-blob accepts them by identity', async () => {
    const bundle = join(dir, 'cosign.bundle');
    const cert = join(dir, 'cert.b64');
    const r = await runCli(keyless(['--identity-token', token, '--bundle', bundle, '--output-certificate', cert, artifact]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[A-Za-z0-9+/]+=*\n$/);
    assert.match(r.stderr, /tlog entry created with index: \d+/);
    const json = JSON.parse(readFileSync(bundle, 'utf8')) as { base64Signature: string; cert: string; rekorBundle: unknown };
    assert.equal(json.cert, readFileSync(cert, 'utf8'));
    assert.ok(new X509Certificate(Buffer.from(json.cert, 'base64')).subjectAltName?.includes(EMAIL));
    await expectSuccess(runPeer('cosign', [
      'verify-blob', '--bundle', bundle, '--certificate-identity', EMAIL, '--certificate-oidc-issuer', stack.issuerUrl, artifact,
    ], { env: stack.cosignEnv }), 'cosign verify-blob');
  });

  test('--new-bundle-format writes a bundle v0.3 that @sigstore/verify accepts with the server\'s trusted root', async () => {
    const bundle = join(dir, 'v03.sigstore.json');
    const r = await runCli(keyless(['--identity-token', token, '--bundle', bundle, '--new-bundle-format', '--trusted-root', stack.trustedRootPath, artifact]));
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseBundle(readFileSync(bundle));
    assert.equal(parsed.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(parsed.verificationMaterial.signer.kind, 'certificate');
    assert.equal(parsed.verificationMaterial.tlogEntries[0]?.kindVersion.kind, 'hashedrekord');
    assert.equal(parsed.content.kind, 'message');
    const json: unknown = JSON.parse(readFileSync(bundle, 'utf8'));
    const policy = { identity: EMAIL, issuer: stack.issuerUrl };
    assert.equal(verifyWithSigstoreJs(json, readFileSync(artifact), stack.trustedRoot, policy).identity, EMAIL);
    assert.throws(() => verifyWithSigstoreJs(json, readFileSync(artifact), stack.trustedRoot, { ...policy, identity: 'other@example.com' }));
    assert.throws(() => verifyWithSigstoreJs(json, Buffer.from('tampered'), stack.trustedRoot, policy));
  });

  test('the token from a file, from SIGSTORE_ID_TOKEN, and a CSR instead of a proof of possession', async () => {
    const tokenFile = join(dir, 'token.jwt');
    writeFileSync(tokenFile, `${await stack.token(['--email', 'file@example.com'])}\n`);
    const fromFile = await runCli(keyless(['--identity-token', tokenFile, '--fulcio-csr', '--output', 'json', artifact]));
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual((JSON.parse(fromFile.stdout) as { certificate: unknown }).certificate, { subject: 'file@example.com', issuer: stack.issuerUrl });
    const fromEnv = await runCli(keyless(['--output', 'json', artifact]), { env: isolatedEnv({ SIGSTORE_ID_TOKEN: token }) });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal((JSON.parse(fromEnv.stdout) as { certificate: { subject: string } }).certificate.subject, EMAIL);
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
  const endpoint = await startActionsTokenEndpoint(await stack.token(['--email', 'runner@example.com']));
  try {
    const env = (bearer: string) => isolatedEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer });
    const r = await runCli(keyless(['--output', 'json', artifact]), { env: env('runner-secret') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { certificate: { subject: string } }).certificate.subject, 'runner@example.com');
    const refused = await runCli(keyless([artifact]), { env: env('wrong') });
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /\(ERR_KEYLESS_TOKEN_MISSING\)\n$/);
  } finally { await endpoint.close(); }
});

describe('sign-blob keyless refuses bad input and writes nothing', () => {
  const cases: { name: string; args: () => Promise<string[]>; code: string; exit: number }[] = [
    { name: 'no token at all', args: async () => keyless([]), code: 'ERR_KEYLESS_TOKEN_MISSING', exit: 5 },
    { name: 'a token that is not a jwt', args: async () => keyless(['--identity-token', 'not-a-jwt']), code: 'ERR_KEYLESS_TOKEN_MALFORMED', exit: 2 },
    { name: 'a token for another audience: the CA refuses it', args: async () => keyless(['--identity-token', await stack.token(['--email', EMAIL, '--audience', 'other'])]), code: 'ERR_FULCIO_TOKEN_REJECTED', exit: 5 },
    { name: 'the CA is down', args: async () => ['sign-blob', '--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', url(), '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'the log is down', args: async () => ['sign-blob', '--fulcio-url', url(), '--rekor-url', 'http://127.0.0.1:9', '--identity-token', token], code: 'ERR_NETWORK', exit: 4 },
    { name: 'no CA named', args: async () => ['sign-blob', '--identity-token', token], code: 'ERR_CONFIG_INVALID', exit: 3 },
    { name: '--key with keyless flags', args: async () => ['sign-blob', '--key', 'cosign.key', '--identity-token', token], code: 'ERR_USAGE', exit: 2 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const bundle = join(dir, `bad-${c.code}.json`);
      const r = await runCli([...(await c.args()), '--bundle', bundle, artifact]);
      assert.equal(r.code, c.exit, r.stderr);
      assert.match(r.stderr, new RegExp(`\\(${c.code}\\)\\n$`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(existsSync(bundle), false);
    });
  }
});
