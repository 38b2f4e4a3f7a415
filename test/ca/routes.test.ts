import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem, encodePem, generatePrivateKey, hashBytes, type PrivateKey } from '../../src/core/index.ts';
import { createCaRoutes, createCaService, createRateLimiter } from '../../src/ca/index.ts';
import { createCtRoutes } from '../../src/ct/index.ts';
import { createHttpServer, drainServer } from '../../src/http/serve.ts';
import { parseCertificate } from '../../src/verify/index.ts';
import { verifyEmbeddedScts } from '../../src/verify/sct.ts';
import { makeTempDir } from '../support/temp.ts';
import { createTestCa, type TestCa } from './support.ts';
import { createTestTokens, emailIdentityOf, type TestTokens } from './test-verifier.ts';

let server: Server;
let base = '';
let ca: TestCa;
let tokens: TestTokens;
const EMAIL = 'alice@example.com';
const RATE_LIMIT = 5;

before(async () => {
  ca = await createTestCa();
  tokens = await createTestTokens();
  const service = createCaService({
    verifier: tokens.verifier, identityOf: emailIdentityOf, issuer: ca.issuer,
    rateLimiter: createRateLimiter(RATE_LIMIT, () => ca.now),
  });
  const routes = [...createCaRoutes({ service, issuers: () => [{ issuerUrl: 'https://issuer.test/oidc', audience: 'sigstore', challengeClaim: 'email', issuerType: 'email' }] }), ...createCtRoutes(ca.ct)];
  server = createHttpServer({ routes, baseUrl: () => base, fallbackDialect: 'plain', onInternalError: () => undefined });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => { await drainServer(server, 1000); });

function sign(key: PrivateKey, text: string): string {
  return Buffer.from(key.sign(key.type === 'ecdsa-p256' ? 'ecdsa-p256-sha256' : 'ed25519', new TextEncoder().encode(text))).toString('base64');
}

function publicKeyPem(key: PrivateKey): string {
  return encodePem('PUBLIC KEY', key.publicKey().toSpkiDer());
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function treeSize(): Promise<number> {
  return ((await (await fetch(`${base}/ct/v1/get-sth`)).json()) as { tree_size: number }).tree_size;
}

function v2Body(token: string, key: PrivateKey, proof: string): unknown {
  return { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: publicKeyPem(key) }, proofOfPossession: proof } };
}

function checkChain(pems: readonly string[]): void {
  assert.equal(pems.length, 3);
  const [leaf, intermediate, root] = pems.map((p) => parseCertificate(decodePem(p)[0]?.der ?? new Uint8Array()));
  assert.ok(leaf && intermediate && root);
  assert.deepEqual(root.der, ca.rootDer);
  const ctlog = { baseUrl: 'ct', spkiDer: ca.ctSigner.spkiDer, algorithm: 'ecdsa-p256-sha256' as const, keyDetails: 'PKIX_ECDSA_P256_SHA_256', logId: hashBytes('sha256', ca.ctSigner.spkiDer) };
  verifyEmbeddedScts(leaf, intermediate, [ctlog]);
}

async function expectFulcioError(res: Response, status: number, grpcCode: number, sizeBefore: number): Promise<void> {
  assert.equal(res.status, status);
  const body = (await res.json()) as { code: number; message: string; details: unknown[] };
  assert.equal(body.code, grpcCode);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  assert.deepEqual(body.details, []);
  assert.equal(await treeSize(), sizeBefore, 'nothing was logged');
}

test('v2 signingCert with a public key and proof of possession returns leaf, intermediate and root with an SCT', async () => {
  const key = generatePrivateKey('ecdsa-p256');
  const before = await treeSize();
  const res = await post('/api/v2/signingCert', v2Body(await tokens.mint({ sub: 'alice', email: EMAIL }), key, sign(key, EMAIL)));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
  checkChain(body.signedCertificateEmbeddedSct.chain.certificates);
  assert.equal(await treeSize(), before + 1);
});

test('v2 signingCert takes the token from Authorization and an Ed25519 key', async () => {
  const key = generatePrivateKey('ed25519');
  const token = await tokens.mint({ sub: 'alice', email: EMAIL });
  const res = await post('/api/v2/signingCert', { publicKeyRequest: { publicKey: { content: publicKeyPem(key) }, proof_of_possession: sign(key, EMAIL) } }, { authorization: `Bearer ${token}` });
  assert.equal(res.status, 200);
});

function opensslCsr(): { csrPem: string; keyPem: string; dir: string } {
  const dir = makeTempDir('sigil-ca-csr-');
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'r.pem'), '-subj', '/CN=ignored'], { stdio: 'ignore' });
  return { csrPem: readFileSync(join(dir, 'r.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8'), dir };
}

test('v2 signingCert with an openssl CSR certifies the CSR key', async () => {
  const { csrPem, dir } = opensslCsr();
  const res = await post('/api/v2/signingCert', { credentials: { oidcIdentityToken: await tokens.mint({ sub: 'alice', email: EMAIL }) }, certificateSigningRequest: Buffer.from(csrPem).toString('base64') });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
  checkChain(body.signedCertificateEmbeddedSct.chain.certificates);
  writeFileSync(join(dir, 'leaf.pem'), body.signedCertificateEmbeddedSct.chain.certificates[0] ?? '');
  const leafKey = execFileSync('openssl', ['x509', '-in', join(dir, 'leaf.pem'), '-pubkey', '-noout'], { encoding: 'utf8' });
  const csrKey = execFileSync('openssl', ['req', '-in', join(dir, 'r.pem'), '-pubkey', '-noout'], { encoding: 'utf8' });
  assert.equal(leafKey, csrKey);
});

test('legacy v1 signingCert answers 201 with the PEM chain; rootCert and trustBundle serve the chain', async () => {
  const key = generatePrivateKey('ecdsa-p256');
  const token = await tokens.mint({ sub: 'alice', email: EMAIL });
  const res = await post('/api/v1/signingCert', { publicKey: { content: Buffer.from(publicKeyPem(key)).toString('base64'), algorithm: 'ecdsa' }, signedEmailAddress: sign(key, EMAIL) }, { authorization: `Bearer ${token}` });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-type'), 'application/pem-certificate-chain');
  checkChain(decodePem(await res.text()).map((b) => encodePem(b.label, b.der)));
  const root = await fetch(`${base}/api/v1/rootCert`);
  assert.deepEqual(decodePem(await root.text()).map((b) => b.der), [ca.intermediateDer, ca.rootDer]);
  const bundle = (await (await fetch(`${base}/api/v2/trustBundle`)).json()) as { chains: { certificates: string[] }[] };
  assert.deepEqual(bundle.chains[0]?.certificates, [encodePem('CERTIFICATE', ca.intermediateDer), encodePem('CERTIFICATE', ca.rootDer)]);
  const config = (await (await fetch(`${base}/api/v2/configuration`)).json()) as { issuers: { issuerUrl: string }[] };
  assert.equal(config.issuers[0]?.issuerUrl, 'https://issuer.test/oidc');
});

test('bad requests get Fulcio\'s error body, no certificate and no CT entry', async () => {
  const size = await treeSize();
  const token = await tokens.mint({ sub: 'alice', email: EMAIL });
  const key = generatePrivateKey('ecdsa-p256');
  // proof of possession over the wrong subject
  await expectFulcioError(await post('/api/v2/signingCert', v2Body(token, key, sign(key, 'mallory@example.com'))), 400, 3, size);
  // proof of possession by another key
  await expectFulcioError(await post('/api/v2/signingCert', v2Body(token, key, sign(generatePrivateKey('ecdsa-p256'), EMAIL))), 400, 3, size);
  // malformed JSON, and JSON with no key
  await expectFulcioError(await post('/api/v2/signingCert', '{"credentials":'), 400, 3, size);
  await expectFulcioError(await post('/api/v2/signingCert', { credentials: { oidcIdentityToken: token } }), 400, 3, size);
  // no token at all
  await expectFulcioError(await post('/api/v2/signingCert', { publicKeyRequest: { publicKey: { content: publicKeyPem(key) }, proofOfPossession: sign(key, EMAIL) } }), 401, 16, size);
  // unsupported key types: secp256k1, and RSA below 2048 bits
  for (const other of [generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), generateKeyPairSync('rsa', { modulusLength: 1024 })]) {
    const pem = other.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const body = { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: pem }, proofOfPossession: 'AAAA' } };
    await expectFulcioError(await post('/api/v2/signingCert', body), 400, 3, size);
  }
  // a key that is not a key
  await expectFulcioError(await post('/api/v2/signingCert', { credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }, proofOfPossession: 'AAAA' } }), 400, 3, size);
});

test('CSRs for another key, with a bad self-signature, or not CSRs at all are refused', async () => {
  const size = await treeSize();
  const token = await tokens.mint({ sub: 'alice', email: EMAIL });
  const { csrPem } = opensslCsr();
  const der = decodePem(csrPem)[0]?.der ?? new Uint8Array();
  const other = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  const own = (await import('@peculiar/asn1-schema')).AsnConvert;
  const { CertificationRequest } = await import('@peculiar/asn1-csr');
  const { SubjectPublicKeyInfo } = await import('@peculiar/asn1-x509');
  // the same signed request, its key swapped for another one: the self-signature no longer matches
  const csr = own.parse(der, CertificationRequest);
  csr.certificationRequestInfo.subjectPKInfo = own.parse(other, SubjectPublicKeyInfo);
  delete csr.certificationRequestInfoRaw;
  const swapped = new Uint8Array(own.serialize(csr));
  const flipped = der.slice();
  flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0x01;
  for (const bad of [encodePem('CERTIFICATE REQUEST', swapped), encodePem('CERTIFICATE REQUEST', flipped), encodePem('CERTIFICATE REQUEST', new Uint8Array([0x30, 0x00])), 'not pem']) {
    const body = { credentials: { oidcIdentityToken: token }, certificateSigningRequest: Buffer.from(bad).toString('base64') };
    await expectFulcioError(await post('/api/v2/signingCert', body), 400, 3, size);
  }
});

test('legacy v1 takes a CSR too; concurrent requests each get their own certificate and CT entry', async () => {
  const { csrPem } = opensslCsr();
  const token = await tokens.mint({ sub: 'alice', email: EMAIL });
  const v1 = await post('/api/v1/signingCert', { certificateSigningRequest: Buffer.from(csrPem).toString('base64') }, { authorization: `Bearer ${token}` });
  assert.equal(v1.status, 201);
  const size = await treeSize();
  const emails = ['p1@example.com', 'p2@example.com', 'p3@example.com', 'p4@example.com', 'p5@example.com', 'p6@example.com'];
  const answers = await Promise.all(emails.map(async (email) => {
    const key = generatePrivateKey('ecdsa-p256');
    const res = await post('/api/v2/signingCert', v2Body(await tokens.mint({ sub: email, email }), key, sign(key, email)));
    return (await res.json()) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
  }));
  for (const a of answers) checkChain(a.signedCertificateEmbeddedSct.chain.certificates);
  assert.equal(new Set(answers.map((a) => a.signedCertificateEmbeddedSct.chain.certificates[0])).size, emails.length);
  assert.equal(await treeSize(), size + emails.length);
});

test('each identity gets its configured number of certificates per minute, then 429 with Retry-After', async () => {
  const email = 'burst@example.com';
  const token = await tokens.mint({ sub: 'burst', email });
  const key = generatePrivateKey('ecdsa-p256');
  for (let i = 0; i < RATE_LIMIT; i++) assert.equal((await post('/api/v2/signingCert', v2Body(token, key, sign(key, email)))).status, 200);
  const size = await treeSize();
  const limited = await post('/api/v2/signingCert', v2Body(token, key, sign(key, email)));
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  await expectFulcioError(limited, 429, 8, size);
  // another identity is not affected
  const other = await tokens.mint({ sub: 'carol', email: 'carol@example.com' });
  assert.equal((await post('/api/v2/signingCert', v2Body(other, key, sign(key, 'carol@example.com')))).status, 200);
  // a minute later the identity may sign again
  ca.now = new Date(ca.now.getTime() + 60_000);
  assert.equal((await post('/api/v2/signingCert', v2Body(token, key, sign(key, email)))).status, 200);
});
