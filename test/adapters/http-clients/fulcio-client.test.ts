// The Fulcio client over a scripted fetch: the request body, both answer forms, the trust bundle,
// retries, and Fulcio's error bodies mapped to stable codes.
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import assert from 'node:assert/strict';
import { createFulcioClient } from '../../../src/adapters/http-clients/fulcio-client.ts';
import type { CertificateAuthority } from '../../../src/sign/index.ts';
import { encodePem } from '../../../src/core/index.ts';
import { createTestCa } from '../../support/test-ca.ts';

type Step = Response | Error;
const ca = createTestCa();
const LEAF = encodePem('CERTIFICATE', ca.issue(rootSpki(), { kind: 'email', value: 'a@b.c' }, 'https://iss'));
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const fulcioError = (status: number, code: number, message: string): Response => json(status, { code, message, details: [] });
const econn = (code: string): Error => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

function rootSpki(): Uint8Array {
  // the root's own key is as good a subject key as any for parsing tests
  return new Uint8Array(new X509Certificate(Buffer.from(ca.rootDer)).publicKey.export({ format: 'der', type: 'spki' }));
}

function scripted(steps: Step[]): { client: CertificateAuthority; bodies: unknown[]; calls: string[]; sleeps: number[] } {
  const bodies: unknown[] = [];
  const calls: string[] = [];
  const sleeps: number[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    if (init?.body) bodies.push(JSON.parse(new TextDecoder().decode(init.body as Uint8Array)));
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    if (step instanceof Error) throw step;
    return step;
  };
  const client = createFulcioClient({ fetch, baseUrl: 'http://127.0.0.1:9/', timeoutMs: 1000, sleep: async (ms) => { sleeps.push(ms); }, now: () => new Date(0), jitter: () => 0 });
  return { client, bodies, calls, sleeps };
}

const popRequest = { kind: 'public-key', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n', proofOfPossession: new Uint8Array([1, 2, 3]) } as const;

test('public key request: Fulcio v2 body; an embedded-SCT answer is read leaf first', async () => {
  const { client, bodies, calls } = scripted([json(201, { signedCertificateEmbeddedSct: { chain: { certificates: [LEAF, ca.rootPem] } } })]);
  const issued = await client.requestCertificate('tok', popRequest);
  assert.deepEqual(calls, ['POST http://127.0.0.1:9/api/v2/signingCert']);
  assert.deepEqual(bodies[0], { credentials: { oidcIdentityToken: 'tok' }, publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: popRequest.publicKeyPem }, proofOfPossession: 'AQID' } });
  assert.deepEqual(issued, { chainPem: [LEAF, ca.rootPem], sctEmbedded: true });
});

test('CSR request: base64 of the PEM; a detached answer keeps its SCT', async () => {
  const { client, bodies } = scripted([json(200, { signedCertificateDetachedSct: { chain: { certificates: [LEAF] }, signedCertificateTimestamp: 'eyJ9' } })]);
  const issued = await client.requestCertificate('tok', { kind: 'csr', csrPem: 'PEM' });
  assert.deepEqual(bodies[0], { credentials: { oidcIdentityToken: 'tok' }, certificateSigningRequest: 'UEVN' });
  assert.deepEqual(issued, { chainPem: [LEAF], sctEmbedded: false, detachedSctBase64: 'eyJ9' });
});

test('trust bundle: each chain as PEM', async () => {
  const { client, calls } = scripted([json(200, { chains: [{ certificates: [ca.rootPem] }] })]);
  assert.deepEqual(await client.getTrustBundle(), [[ca.rootPem]]);
  assert.deepEqual(calls, ['GET http://127.0.0.1:9/api/v2/trustBundle']);
});

test('a 503 and a reset connection are retried', async () => {
  const { client, sleeps } = scripted([fulcioError(503, 14, 'unavailable'), econn('ECONNRESET'), json(200, { signedCertificateEmbeddedSct: { chain: { certificates: [LEAF] } } })]);
  assert.equal((await client.requestCertificate('tok', popRequest)).chainPem.length, 1);
  assert.equal(sleeps.length, 2);
});

const cases: { name: string; steps: Step[]; code: string }[] = [
  { name: 'the token message is ERR_FULCIO_TOKEN_REJECTED', steps: [fulcioError(401, 16, 'There was an error processing the identity token')], code: 'ERR_FULCIO_TOKEN_REJECTED' },
  { name: 'the token message on a 400 too', steps: [fulcioError(400, 3, 'There was an error processing the identity token')], code: 'ERR_FULCIO_TOKEN_REJECTED' },
  { name: 'a 403 without a known message', steps: [fulcioError(403, 7, 'denied')], code: 'ERR_FULCIO_TOKEN_REJECTED' },
  { name: 'an unparsable key', steps: [fulcioError(400, 3, 'The public key supplied in the request could not be parsed')], code: 'ERR_FULCIO_KEY_REJECTED' },
  { name: 'an insecure key', steps: [fulcioError(400, 3, 'The public key supplied in the request is insecure')], code: 'ERR_FULCIO_KEY_REJECTED' },
  { name: 'a wrong proof of possession', steps: [fulcioError(400, 3, 'The signature supplied in the request could not be verified')], code: 'ERR_FULCIO_PROOF_REJECTED' },
  { name: 'a bad CSR', steps: [fulcioError(400, 3, 'The certificate signing request could not be parsed')], code: 'ERR_FULCIO_CSR_REJECTED' },
  { name: 'another 400', steps: [fulcioError(400, 3, 'rate limited for identity')], code: 'ERR_FULCIO_REQUEST_REJECTED' },
  { name: 'a 500 that persists', steps: Array.from({ length: 5 }, () => fulcioError(500, 13, 'error communicating with CA backend')), code: 'ERR_HTTP_STATUS' },
  { name: 'a refused connection', steps: [econn('ECONNREFUSED')], code: 'ERR_NETWORK' },
  { name: 'an answer that is not json', steps: [new Response('<html>', { status: 200 })], code: 'ERR_HTTP_RESPONSE_INVALID' },
  { name: 'an answer with neither form', steps: [json(200, { chain: [] })], code: 'ERR_HTTP_RESPONSE_INVALID' },
  { name: 'a chain entry that is not a certificate', steps: [json(200, { signedCertificateEmbeddedSct: { chain: { certificates: ['junk'] } } })], code: 'ERR_HTTP_RESPONSE_INVALID' },
  { name: 'an empty chain', steps: [json(200, { signedCertificateEmbeddedSct: { chain: { certificates: [] } } })], code: 'ERR_HTTP_RESPONSE_INVALID' },
];
for (const c of cases) {
  test(c.name, async () => {
    const { client } = scripted(c.steps);
    await assert.rejects(client.requestCertificate('tok', popRequest), { code: c.code });
  });
}
