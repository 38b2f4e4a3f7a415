// `sigil server --only ca,log --ca-config FILE` as a real process: real tokens from a loopback
// issuer, the Fulcio API over HTTP, the trust material on disk, bad tokens, restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem, encodePem, generatePrivateKey, type PrivateKey } from '../../src/core/index.ts';
import { parseCertificate, parseTrustedRoot } from '../../src/verify/index.ts';
import { verifyKeylessCertificate } from '../../src/verify/keyless.ts';
import { runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startTestOidcIssuer, type TestOidcIssuer } from '../support/oidc-issuer.ts';
import { makeTempDir } from '../support/temp.ts';

let issuer: TestOidcIssuer;
let server: SigilServerProcess;
let dataDir = '';
let configPath = '';
const EMAIL = 'alice@example.com';
const RATE_LIMIT = 4;

function serverArgs(): string[] {
  return ['--only', 'ca,log', '--ca-config', configPath, '--ca-rate-limit', String(RATE_LIMIT)];
}

before(async () => {
  issuer = await startTestOidcIssuer();
  dataDir = makeTempDir('sigil-ca-server-');
  // Fulcio's YAML form, with an anchor as its own config.yaml uses them (the JSON form is read by
  // test/interop/ca-cosign.test.ts)
  configPath = join(makeTempDir('sigil-ca-server-config-'), 'ca-config.yaml');
  writeFileSync(configPath, ['define:', '  - &email-type "email"', 'oidc-issuers:', `  ${issuer.issuer}:`, `    issuer-url: ${issuer.issuer}`,
    '    client-id: sigstore', '    type: *email-type', ''].join('\n'));
  server = await startSigilServer(dataDir, serverArgs());
});
after(async () => {
  await server.stop();
  await issuer.stop();
});

function request(key: PrivateKey, token: string, challenge = EMAIL): RequestInit {
  const proof = Buffer.from(key.sign('ecdsa-p256-sha256', new TextEncoder().encode(challenge))).toString('base64');
  return {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: encodePem('PUBLIC KEY', key.publicKey().toSpkiDer()) }, proofOfPossession: proof } }),
  };
}

async function treeSize(): Promise<number> {
  return ((await (await fetch(`${server.url}/ct/v1/get-sth`)).json()) as { tree_size: number }).tree_size;
}

function goodClaims(email = EMAIL): Record<string, unknown> {
  return { sub: email.split('@')[0], email, email_verified: true };
}

test('a real token gets a certificate that verifies against <data>/trusted_root.json (chain, usage, SCT)', async () => {
  const res = await fetch(`${server.url}/api/v2/signingCert`, request(generatePrivateKey('ecdsa-p256'), await issuer.mint(goodClaims())));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
  const [leafPem] = body.signedCertificateEmbeddedSct.chain.certificates;
  const leaf = parseCertificate(decodePem(leafPem ?? '')[0]?.der ?? new Uint8Array());
  const root = parseTrustedRoot(readFileSync(join(dataDir, 'trusted_root.json')));
  assert.equal(root.tlogs.length, 1);
  verifyKeylessCertificate(leaf, [leaf.notBefore], root);
  const config = JSON.parse(readFileSync(join(dataDir, 'signing_config.json'), 'utf8'));
  assert.deepEqual([config.caUrls[0].url, config.rekorTlogUrls[0].url, config.oidcUrls.length], [server.url, server.url, 0]);
  const configuration = (await (await fetch(`${server.url}/api/v2/configuration`)).json()) as { issuers: unknown[] };
  assert.deepEqual(configuration.issuers, [{ issuerUrl: issuer.issuer, audience: 'sigstore', challengeClaim: 'email', issuerType: 'email' }]);
});

test('refused tokens get Fulcio\'s error body (401, gRPC Unauthenticated), no certificate and no CT entry', async () => {
  const size = await treeSize();
  const now = Math.floor(Date.now() / 1000);
  const stranger = await startTestOidcIssuer();
  const cases: Record<string, string> = {
    'wrong audience': await issuer.mint({ ...goodClaims(), aud: 'someone-else' }),
    'expired': await issuer.mint({ ...goodClaims(), iat: now - 900, nbf: now - 900, exp: now - 600 }),
    'not yet valid': await issuer.mint({ ...goodClaims(), nbf: now + 600, exp: now + 900 }),
    'unknown issuer': await stranger.mint(goodClaims()),
    'badly signed': await issuer.mint(goodClaims(), { key: 'stranger' }),
    'unverified email': await issuer.mint({ ...goodClaims(), email_verified: false }),
    'alg none': `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: issuer.issuer, aud: 'sigstore', ...goodClaims(), exp: now + 300 })).toString('base64url')}.`,
    'not a token': 'hello',
  };
  await stranger.stop();
  for (const [name, token] of Object.entries(cases)) {
    const res = await fetch(`${server.url}/api/v2/signingCert`, request(generatePrivateKey('ecdsa-p256'), token));
    assert.equal(res.status, 401, name);
    const body = (await res.json()) as { code: number; message: string; details: unknown[] };
    assert.equal(body.code, 16, name);
    assert.ok(body.message.length > 0, name);
    assert.ok(!body.message.includes('eyJ'), `${name}: the message does not echo the token`);
  }
  assert.equal(await treeSize(), size);
});

test('the rate limit counts per identity; a restart keeps the root, the CT log and the trust files', async () => {
  const key = generatePrivateKey('ecdsa-p256');
  const email = 'burst@example.com';
  const token = await issuer.mint(goodClaims(email));
  const statuses = [];
  for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await fetch(`${server.url}/api/v2/signingCert`, request(key, token, email))).status);
  assert.deepEqual(statuses, [...Array(RATE_LIMIT).fill(200), 429]);
  const before = {
    bundle: await (await fetch(`${server.url}/api/v2/trustBundle`)).text(),
    sth: await (await fetch(`${server.url}/ct/v1/get-sth`)).json() as { tree_size: number; sha256_root_hash: string },
    trusted: readFileSync(join(dataDir, 'trusted_root.json'), 'utf8'),
  };
  assert.equal(await server.stop(), 0);
  server = await startSigilServer(dataDir, serverArgs());
  assert.equal(await (await fetch(`${server.url}/api/v2/trustBundle`)).text(), before.bundle);
  const sth = (await (await fetch(`${server.url}/ct/v1/get-sth`)).json()) as { tree_size: number; sha256_root_hash: string };
  assert.deepEqual([sth.tree_size, sth.sha256_root_hash], [before.sth.tree_size, before.sth.sha256_root_hash]);
  // the URL (an ephemeral port) changes, the keys and validity windows do not
  const strip = (text: string): string => text.replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, 'URL');
  assert.equal(strip(readFileSync(join(dataDir, 'trusted_root.json'), 'utf8')), strip(before.trusted));
  assert.equal((await fetch(`${server.url}/api/v2/signingCert`, request(generatePrivateKey('ecdsa-p256'), await issuer.mint(goodClaims())))).status, 200);
  assert.equal(await treeSize(), before.sth.tree_size + 1);
});

test('a missing or malformed --ca-config, or a bad --ca-rate-limit, stops the server at start with a clear error', async () => {
  const dir = makeTempDir('sigil-ca-bad-config-');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ OIDCIssuers: { 'https://x.example': { IssuerURL: 'https://x.example', Type: 'telepathy' } } }));
  for (const [args, code, exit] of [
    [['--ca-config', join(dir, 'missing.json')], 'ERR_OIDC_CONFIG_INVALID', 3],
    [['--ca-config', bad], 'ERR_OIDC_CONFIG_INVALID', 3],
    [['--ca-rate-limit', 'lots'], 'ERR_USAGE', 2],
  ] as const) {
    const r = await runSigil(['server', '--addr', '127.0.0.1:0', '--data', join(dir, 'data'), '--only', 'ca', ...args]);
    assert.equal(r.code, exit, r.stderr);
    assert.match(r.stderr, new RegExp(`\\(${code}\\)`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
