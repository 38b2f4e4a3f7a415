// The whole keyless identity path in one `sigil server`: `sigil token` mints from sigil's own
// issuer, the CA verifies through real discovery and issues Fulcio's profile for email and
// GitHub Actions identities; signing_config.json names all three services.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem, encodePem, generatePrivateKey } from '../../src/core/index.ts';
import { parseCertificate, parseTrustedRoot } from '../../src/verify/index.ts';
import { verifyKeylessCertificate } from '../../src/verify/keyless.ts';
import { expectSuccess, runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { makeTempDir } from '../support/temp.ts';

let server: SigilServerProcess;
let dataDir = '';

before(async () => {
  dataDir = makeTempDir('sigil-ca-oidc-');
  server = await startSigilServer(dataDir, ['--only', 'oidc,ca,log']);
});
after(async () => { await server.stop(); });

async function mint(args: string[]): Promise<string> {
  return (await expectSuccess(runSigil(['token', '--issuer', `${server.url}/oidc`, '--data', dataDir, ...args]), 'sigil token')).trim();
}

function subjectOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

async function certify(token: string, challenge: string): Promise<string> {
  const key = generatePrivateKey('ecdsa-p256');
  const res = await fetch(`${server.url}/api/v2/signingCert`, {
    method: 'POST',
    body: JSON.stringify({
      credentials: { oidcIdentityToken: token },
      publicKeyRequest: { publicKey: { content: encodePem('PUBLIC KEY', key.publicKey().toSpkiDer()) }, proofOfPossession: Buffer.from(key.sign('ecdsa-p256-sha256', new TextEncoder().encode(challenge))).toString('base64') },
    }),
  });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return (JSON.parse(body) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } }).signedCertificateEmbeddedSct.chain.certificates[0] ?? '';
}

function opensslText(pem: string): string {
  return execFileSync('openssl', ['x509', '-text', '-noout'], { encoding: 'utf8', input: pem });
}

test('an email token from sigil\'s issuer gets a certificate that verifies against the server\'s trusted root', async () => {
  const pem = await certify(await mint(['--email', 'dev@example.com']), 'dev@example.com');
  const text = opensslText(pem);
  assert.match(text, /X509v3 Subject Alternative Name: critical\n\s+email:dev@example\.com/);
  assert.ok(text.includes(`1.3.6.1.4.1.57264.1.1: \n                ${server.url}/oidc\n`));
  const leaf = parseCertificate(decodePem(pem)[0]?.der ?? new Uint8Array());
  verifyKeylessCertificate(leaf, [leaf.notBefore], parseTrustedRoot(readFileSync(join(dataDir, 'trusted_root.json'))));
  const config = JSON.parse(readFileSync(join(dataDir, 'signing_config.json'), 'utf8'));
  assert.deepEqual([config.caUrls[0].url, config.rekorTlogUrls[0].url, config.oidcUrls[0].url], [server.url, server.url, `${server.url}/oidc`]);
  const issuers = ((await (await fetch(`${server.url}/api/v2/configuration`)).json()) as { issuers: { issuerUrl: string; issuerType: string }[] }).issuers;
  assert.deepEqual(issuers.map((i) => [i.issuerUrl, i.issuerType]).sort(), [
    [`${server.url}/oidc`, 'email'], [`${server.url}/oidc/buildkite`, 'ci-provider'], [`${server.url}/oidc/github-actions`, 'ci-provider'], [`${server.url}/oidc/gitlab`, 'ci-provider'],
  ]);
});

test('a GitHub Actions token gets the workflow SAN and the CI extensions; the proof signs the subject', async () => {
  const token = await mint(['--github-repository', 'octo/app', '--github-ref', 'refs/tags/v1.0.0', '--github-workflow-ref', '.github/workflows/release.yml@refs/tags/v1.0.0']);
  const subject = String(subjectOf(token)['sub']);
  const text = opensslText(await certify(token, subject));
  assert.match(text, /URI:https:\/\/github\.com\/octo\/app\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\.0/);
  assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.5: \n\s+octo\/app\n/);
  assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.12: \n\s+..https:\/\/github\.com\/octo\/app\n/);
  assert.match(text, /1\.3\.6\.1\.4\.1\.57264\.1\.14: \n\s+..refs\/tags\/v1\.0\.0\n/);
  // the challenge of a CI identity is its subject, not anything else
  const res = await fetch(`${server.url}/api/v2/signingCert`, { method: 'POST', body: JSON.stringify({ credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: encodePem('PUBLIC KEY', generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer()) }, proofOfPossession: 'AAAA' } }) });
  assert.equal(res.status, 400);
});

test('behind a public URL the server cannot reach itself, the CA still verifies its own issuer\'s tokens', async () => {
  const dir = makeTempDir('sigil-ca-public-url-');
  const publicUrl = 'https://sigil.invalid';
  const proxied = await startSigilServer(dir, ['--only', 'oidc,ca', '--public-url', publicUrl]);
  try {
    // the mint grant on the listening address (sigil token would follow discovery to the public URL)
    const secret = readFileSync(join(dir, 'oidc', 'access-secret'), 'utf8').trim();
    const minted = await fetch(`${proxied.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`test:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', identity: JSON.stringify({ kind: 'email', email: 'dev@example.com' }), audience: 'sigstore' }),
    });
    assert.equal(minted.status, 200, await minted.clone().text());
    const token = String(((await minted.json()) as { id_token: string }).id_token);
    assert.equal(subjectOf(token)['iss'], `${publicUrl}/oidc`);
    const key = generatePrivateKey('ecdsa-p256');
    const res = await fetch(`${proxied.url}/api/v2/signingCert`, {
      method: 'POST',
      body: JSON.stringify({
        credentials: { oidcIdentityToken: token },
        publicKeyRequest: { publicKey: { content: encodePem('PUBLIC KEY', key.publicKey().toSpkiDer()) }, proofOfPossession: Buffer.from(key.sign('ecdsa-p256-sha256', new TextEncoder().encode('dev@example.com'))).toString('base64') },
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const config = JSON.parse(readFileSync(join(dir, 'signing_config.json'), 'utf8'));
    assert.deepEqual([config.caUrls[0].url, config.oidcUrls[0].url, config.rekorTlogUrls.length], [publicUrl, `${publicUrl}/oidc`, 0]);
  } finally {
    await proxied.stop();
  }
});
