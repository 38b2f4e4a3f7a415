// Notary Project signatures written by test code per the specification
// (notaryproject/specifications: signature-specification.md, signature-envelope-jws.md,
// signature-envelope-cose.md), over an openssl-made PKI that follows its certificate rules
// (CA: critical basicConstraints and keyUsage keyCertSign; leaf: critical keyUsage
// digitalSignature, EKU codeSigning). Pushed with oras by the tests.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode as encodeCbor, Tag } from 'cbor2';
import { runTool } from './scan-tools.ts';

/** A signing certificate chain: the leaf key, and the chain's DER leaf first. */
export interface NotaryPki {
  readonly dir: string;
  /** the root's PEM path: the trust store content */
  readonly rootPem: string;
  readonly rsa: { readonly keyPem: string; readonly chainDer: readonly Buffer[]; readonly subject: string };
  readonly ec: { readonly keyPem: string; readonly chainDer: readonly Buffer[]; readonly subject: string };
}

/** The OCI descriptor a Notary signature covers. */
export interface TargetDescriptor { readonly mediaType: string; readonly digest: string; readonly size: number }

async function der(dir: string, pem: string): Promise<Buffer> {
  return runTool('openssl', ['x509', '-in', pem, '-outform', 'DER'], { cwd: dir });
}

/** Makes a root CA and an RSA-3072 and an EC P-256 code-signing leaf under it, in `dir`. */
export async function makeNotaryPki(dir: string): Promise<NotaryPki> {
  await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', 'root.key', '-out', 'root.crt', '-days', '3650', '-sha256',
    '-subj', '/C=US/ST=WA/O=Notary Test/CN=Notary Test Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
  await writeFile(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
  const leaves = [['rsa', ['-newkey', 'rsa:3072'], '/C=US/ST=WA/O=Notary Test, Inc./CN=Notary RSA Signer'], ['ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/C=US/ST=WA/O=Notary Test/CN=Notary EC Signer']] as const;
  for (const [name, keyArgs, subj] of leaves) {
    await runTool('openssl', ['req', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], { cwd: dir });
    await runTool('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', 'root.crt', '-CAkey', 'root.key', '-set_serial', name === 'rsa' ? '21' : '22',
      '-days', '365', '-sha256', '-extfile', 'leaf.ext', '-out', `${name}.crt`], { cwd: dir });
  }
  const rootDer = await der(dir, 'root.crt');
  const leaf = async (name: 'rsa' | 'ec', subject: string) => ({
    keyPem: await readFile(join(dir, `${name}.key`), 'utf8'), chainDer: [await der(dir, `${name}.crt`), rootDer], subject,
  });
  return {
    dir, rootPem: join(dir, 'root.crt'),
    rsa: await leaf('rsa', 'CN=Notary RSA Signer,O=Notary Test\\, Inc.,ST=WA,C=US'),
    ec: await leaf('ec', 'CN=Notary EC Signer,O=Notary Test,ST=WA,C=US'),
  };
}

/** The io.cncf.notary.x509chain.thumbprint#S256 value of a chain. */
export function thumbprintsOf(chainDer: readonly Buffer[]): string {
  return JSON.stringify(chainDer.map((c) => createHash('sha256').update(c).digest('hex')));
}

function payloadOf(target: TargetDescriptor): Buffer {
  return Buffer.from(JSON.stringify({ targetArtifact: { mediaType: target.mediaType, digest: target.digest, size: target.size } }));
}

/** A JWS (flattened JSON) envelope signed PS256 with the RSA leaf, scheme notary.x509. */
export function signNotaryJws(pki: NotaryPki, target: TargetDescriptor, signingTime: Date, extraProtected: Record<string, unknown> = {}): Buffer {
  const header = {
    alg: 'PS256', cty: 'application/vnd.cncf.notary.payload.v1+json', crit: ['io.cncf.notary.signingScheme', ...Object.keys(extraProtected).filter((k) => k.startsWith('io.cncf.notary.'))],
    'io.cncf.notary.signingScheme': 'notary.x509', 'io.cncf.notary.signingTime': signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...extraProtected,
  };
  const protectedB64 = Buffer.from(JSON.stringify(header)).toString('base64url');
  const payloadB64 = payloadOf(target).toString('base64url');
  const key = createPrivateKey(pki.rsa.keyPem);
  const signature = sign('sha256', Buffer.from(`${protectedB64}.${payloadB64}`), { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });
  return Buffer.from(JSON.stringify({
    payload: payloadB64, protected: protectedB64,
    header: { x5c: pki.rsa.chainDer.map((c) => c.toString('base64')), 'io.cncf.notary.signingAgent': 'sigil-test/1.0' },
    signature: signature.toString('base64url'),
  }));
}

/** A COSE_Sign1_Tagged envelope signed ES256 with the EC leaf, scheme notary.x509. */
export function signNotaryCose(pki: NotaryPki, target: TargetDescriptor, signingTime: Date): Buffer {
  const protectedHeader = encodeCbor(new Map<unknown, unknown>([
    [1, -7], [2, ['io.cncf.notary.signingScheme']], [3, 'application/vnd.cncf.notary.payload.v1+json'],
    ['io.cncf.notary.signingScheme', 'notary.x509'], ['io.cncf.notary.signingTime', new Tag(1, Math.floor(signingTime.getTime() / 1000))],
  ]));
  // cbor2 encodes a Buffer through its toJSON (a map): hand it plain Uint8Arrays
  const payload = new Uint8Array(payloadOf(target));
  const toBeSigned = encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), payload]);
  const signature = sign('sha256', toBeSigned, { key: createPrivateKey(pki.ec.keyPem), dsaEncoding: 'ieee-p1363' });
  const unprotected = new Map<unknown, unknown>([[33, pki.ec.chainDer.map((c) => new Uint8Array(c))], ['io.cncf.notary.signingAgent', 'sigil-test/1.0']]);
  return Buffer.from(encodeCbor(new Tag(18, [protectedHeader, unprotected, payload, new Uint8Array(signature)])));
}
