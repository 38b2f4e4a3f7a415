// Loads sigstore-conformance cases for the verify unit tests.
import { readFileSync } from 'node:fs';
import { parseBundle, type Bundle } from '../../src/bundle/index.ts';
import { parseTrustedRoot, type TrustedRoot } from '../../src/verify/trust-root.ts';
import { parseCertificate, type X509Certificate } from '../../src/verify/certificate.ts';

interface Case { name: string; bundle: string; artifact: string; trusted_root: string; identity: string; issuer: string }
const base = new URL('../vectors/sigstore-conformance/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', base), 'utf8')) as Case[];

/** Bytes of a corpus file (path relative to cases.json). */
export function readVector(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, base)));
}

/** One case, parsed. */
export function loadCase(name: string): { bundle: Bundle; root: TrustedRoot; artifact: Uint8Array; identity: string; issuer: string; leaf: X509Certificate | undefined } {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  const bundle = parseBundle(readVector(c.bundle));
  const signer = bundle.verificationMaterial.signer;
  const leafDer = signer.kind === 'certificate' ? signer.certificate : signer.kind === 'x509-chain' ? signer.certificates[0] : undefined;
  return {
    bundle, root: parseTrustedRoot(readVector(c.trusted_root)), artifact: readVector(c.artifact), identity: c.identity, issuer: c.issuer,
    leaf: leafDer ? parseCertificate(leafDer) : undefined,
  };
}

/** A copy of `bytes` with one byte changed. Requires 0 <= index < length. */
export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] ?? 0) ^ 0x01;
  return out;
}
