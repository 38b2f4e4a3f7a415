// Loads the production bundles in test/vectors/tlog and rebuilds the ProposedEntry each client sent.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { canonicalizeJson, encodePem } from '../../src/core/index.ts';

const dir = new URL('../vectors/tlog/', import.meta.url);

/** One production entry: what the client proposed and what Rekor logged. */
export interface EntryVector {
  readonly name: string;
  readonly kind: string;
  readonly proposed: unknown;
  readonly canonicalizedBody: string;
}

interface Bundle {
  readonly verificationMaterial: {
    readonly certificate?: { readonly rawBytes: string };
    readonly x509CertificateChain?: { readonly certificates: readonly { readonly rawBytes: string }[] };
    readonly tlogEntries: readonly { readonly canonicalizedBody: string }[];
  };
  readonly messageSignature?: { readonly messageDigest: { readonly digest: string }; readonly signature: string };
  readonly dsseEnvelope?: { readonly payload: string; readonly payloadType: string; readonly signatures: readonly { readonly sig: string; readonly keyid?: string }[] };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function load(file: string): Bundle {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Bundle;
}

function keyPem(bundle: Bundle, pemFile: string | undefined): string {
  if (pemFile) return readFileSync(new URL(pemFile, dir), 'utf8');
  const m = bundle.verificationMaterial;
  const raw = m.certificate?.rawBytes ?? m.x509CertificateChain?.certificates[0]?.rawBytes ?? '';
  return encodePem('CERTIFICATE', Buffer.from(raw, 'base64'));
}

function hashedrekord(bundle: Bundle, pem: string): unknown {
  const sig = bundle.messageSignature!;
  return {
    kind: 'hashedrekord', apiVersion: '0.0.1',
    spec: {
      data: { hash: { algorithm: 'sha256', value: Buffer.from(sig.messageDigest.digest, 'base64').toString('hex') } },
      signature: { content: sig.signature, publicKey: { content: b64(pem) } },
    },
  };
}

function dsse(bundle: Bundle, pem: string): unknown {
  return { kind: 'dsse', apiVersion: '0.0.1', spec: { proposedContent: { envelope: JSON.stringify(bundle.dsseEnvelope), verifiers: [b64(pem)] } } };
}

function intoto(bundle: Bundle, pem: string): unknown {
  const env = bundle.dsseEnvelope!;
  const jcsEnvelope = { payload: env.payload, payloadType: env.payloadType, signatures: env.signatures.map((s) => (s.keyid ? { keyid: s.keyid, sig: s.sig } : { sig: s.sig })) };
  const hash = createHash('sha256').update(canonicalizeJson(jcsEnvelope)).digest('hex');
  return {
    kind: 'intoto', apiVersion: '0.0.2',
    spec: {
      content: {
        envelope: { payload: b64(env.payload), payloadType: env.payloadType, signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: b64(s.sig), publicKey: b64(pem) })) },
        hash: { algorithm: 'sha256', value: hash },
      },
    },
  };
}

const BUILDERS = { hashedrekord, dsse, intoto } as const;

const FILES: readonly [string, keyof typeof BUILDERS, string?][] = [
  ['hashedrekord-v0.1-message-cert.json', 'hashedrekord'],
  ['hashedrekord-v0.3-message-cert.json', 'hashedrekord'],
  ['hashedrekord-conformance-happy-path-v0.3.json', 'hashedrekord'],
  ['hashedrekord-conformance-managed-key.json', 'hashedrekord', 'hashedrekord-conformance-managed-key.pub'],
  ['dsse-v0.3-dsse-cert.json', 'dsse'],
  ['dsse-conformance-intoto-in-dsse-v3.json', 'dsse'],
  ['intoto-v0.1-dsse-cert.json', 'intoto'],
];

/** Every vector, with the proposed entry rebuilt. */
export function loadEntryVectors(): EntryVector[] {
  return FILES.map(([file, kind, pemFile]) => {
    const bundle = load(file);
    const proposed = BUILDERS[kind](bundle, keyPem(bundle, pemFile));
    return { name: file.replace(/\.json$/, ''), kind, proposed, canonicalizedBody: bundle.verificationMaterial.tlogEntries[0]!.canonicalizedBody };
  });
}
