// A Fulcio v2 stand-in on 127.0.0.1 for client tests: it reads the token's claims (without
// checking its signature: the real CA's tests do that), refuses an expired token with Fulcio's
// body, checks the proof of possession or the CSR's self-signature as Fulcio does, and issues a
// leaf from a TestCa. The answer is Fulcio's embedded-SCT form (no SCT inside) or the detached form.
import { createServer, type Server } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { decodePem, encodePem } from '../../src/core/index.ts';
import { createTestCa, type TestCa } from './test-ca.ts';

/** A running stand-in. */
export interface FulcioDouble {
  readonly url: string;
  readonly ca: TestCa;
  /** how many certificates it issued */
  issued(): number;
  /** what the next answers look like */
  setMode(mode: 'embedded' | 'detached' | 'failing'): void;
  close(): Promise<void>;
}

const fail = (status: number, code: number, message: string): [number, unknown] => [status, { code, message, details: [] }];

function spkiFromRequest(body: Record<string, any>, subject: string): Uint8Array | [number, unknown] {
  const csrB64 = body['certificateSigningRequest'];
  if (typeof csrB64 === 'string') {
    try {
      const der = decodePem(Buffer.from(csrB64, 'base64').toString('utf8'))[0]?.der ?? new Uint8Array();
      const csr = AsnConvert.parse(der, CertificationRequest);
      const spki = new Uint8Array(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo));
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      if (!verify('sha256', Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo)), key, Buffer.from(csr.signature))) throw new Error('bad');
      return spki;
    } catch { return fail(400, 3, 'The certificate signing request could not be parsed'); }
  }
  const pem = body['publicKeyRequest']?.publicKey?.content;
  let key;
  try { key = createPublicKey(String(pem)); } catch { return fail(400, 3, 'The public key supplied in the request could not be parsed'); }
  const pop = Buffer.from(String(body['publicKeyRequest']?.proofOfPossession ?? ''), 'base64');
  if (!verify('sha256', Buffer.from(subject), key, pop)) return fail(400, 3, 'The signature supplied in the request could not be verified');
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }));
}

function answer(ca: TestCa, body: Record<string, any>, mode: string): [number, unknown] {
  if (mode === 'failing') return fail(500, 13, 'error communicating with CA backend');
  let claims: Record<string, unknown>;
  try { claims = decodeJwt(String(body['credentials']?.oidcIdentityToken ?? '')); } catch { return fail(401, 16, 'There was an error processing the identity token'); }
  if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 < Date.now()) return fail(401, 16, 'There was an error processing the identity token');
  const email = typeof claims['email'] === 'string' ? claims['email'] : undefined;
  const subject = email ?? String(claims['sub']);
  const spki = spkiFromRequest(body, subject);
  if (!(spki instanceof Uint8Array)) return spki;
  const leaf = ca.issue(spki, email ? { kind: 'email', value: email } : { kind: 'uri', value: subject }, String(claims['iss']));
  const chain = { chain: { certificates: [encodePem('CERTIFICATE', leaf), ca.rootPem] } };
  return [200, mode === 'embedded' ? { signedCertificateEmbeddedSct: chain } : { signedCertificateDetachedSct: chain }];
}

/** Starts the stand-in on an ephemeral port. */
export async function startFulcioDouble(): Promise<FulcioDouble> {
  const ca = createTestCa();
  let mode = 'embedded';
  let issued = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let out: [number, unknown];
      if (req.method === 'GET' && req.url === '/api/v2/trustBundle') out = [200, { chains: [{ certificates: [ca.rootPem] }] }];
      else if (req.method === 'POST' && req.url === '/api/v2/signingCert') {
        try { out = answer(ca, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>, mode); } catch { out = fail(400, 3, 'bad json'); }
        if (out[0] === 200) issued += 1;
      } else out = fail(404, 5, 'Not Found');
      res.writeHead(out[0], { 'content-type': 'application/json' }).end(JSON.stringify(out[1]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, ca, issued: () => issued,
    setMode: (m) => { mode = m; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
