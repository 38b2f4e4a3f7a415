// Keyless signatures made with a test KeylessAuthority, in the layouts cosign writes: a classic
// signature layer (certificate, chain and Rekor bundle annotations over a simple-signing payload),
// a Sigstore bundle v0.3 with a DSSE in-toto statement about an image (cosign --new-bundle-format),
// and a v0.3 message-signature bundle for a blob.
import { createHash, sign as nodeSign } from 'node:crypto';
import { encodeBase64, encodeUtf8 } from '../../src/core/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN, ANNOTATION_SIGNATURE, SIMPLE_SIGNING_MEDIA_TYPE, type SignatureLayer,
} from '../../src/oci/index.ts';
import type { KeylessAuthority, TestIdentity } from './keyless-authority.ts';

const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function hashedRekord(data: Uint8Array, signature: Uint8Array, certPem: string): Record<string, unknown> {
  return {
    apiVersion: '0.0.1', kind: 'hashedrekord',
    spec: { data: { hash: { algorithm: 'sha256', value: hex(data) } }, signature: { content: encodeBase64(signature), publicKey: { content: encodeBase64(encodeUtf8(certPem)) } } },
  };
}

/** A classic cosign signature layer over `payload`, signed keylessly and logged. */
export async function signClassicLayer(authority: KeylessAuthority, identity: TestIdentity, payload: Uint8Array, options: { integratedTime?: number; withBundle?: boolean } = {}): Promise<SignatureLayer> {
  const { key, certPem } = await authority.issue(identity);
  const signature = new Uint8Array(nodeSign('sha256', payload, key));
  const entry = authority.log(hashedRekord(payload, signature, certPem), options.integratedTime);
  return {
    mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload,
    annotations: {
      [ANNOTATION_SIGNATURE]: encodeBase64(signature), [ANNOTATION_CERTIFICATE]: certPem, [ANNOTATION_CHAIN]: authority.rootPem,
      ...(options.withBundle === false ? {} : { [ANNOTATION_BUNDLE]: entry.cosignBundle }),
    },
  };
}

function pae(type: string, body: Uint8Array): Uint8Array {
  const t = encodeUtf8(type);
  return new Uint8Array(Buffer.concat([Buffer.from(`DSSEv1 ${t.byteLength} `), t, Buffer.from(` ${body.byteLength} `), body]));
}

/** A Sigstore bundle v0.3 as cosign --new-bundle-format attaches to an image. */
export async function signImageBundle(authority: KeylessAuthority, identity: TestIdentity, imageDigest: string, options: { annotations?: Record<string, string>; predicateType?: string } = {}): Promise<Uint8Array> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ digest: { sha256: imageDigest.replace(/^sha256:/, '') }, ...(options.annotations ? { annotations: options.annotations } : {}) }],
    predicateType: options.predicateType ?? 'https://sigstore.dev/cosign/sign/v1', predicate: {},
  };
  const payload = encodeUtf8(JSON.stringify(statement));
  const payloadType = 'application/vnd.in-toto+json';
  const { key, certPem, certDer } = await authority.issue(identity);
  const signature = new Uint8Array(nodeSign('sha256', pae(payloadType, payload), key));
  const envelope = { payload: encodeBase64(payload), payloadType, signatures: [{ sig: encodeBase64(signature), keyid: '' }] };
  const entry = authority.log({
    apiVersion: '0.0.1', kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: hex(encodeUtf8(JSON.stringify(envelope))) },
      payloadHash: { algorithm: 'sha256', value: hex(payload) },
      signatures: [{ signature: encodeBase64(signature), verifier: encodeBase64(encodeUtf8(certPem)) }],
    },
  });
  return encodeUtf8(JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: encodeBase64(certDer) }, tlogEntries: [entry.bundleEntry] },
    dsseEnvelope: envelope,
  }));
}

/** A Sigstore bundle v0.3 with a message signature over `artifact`. */
export async function signBlobBundle(authority: KeylessAuthority, identity: TestIdentity, artifact: Uint8Array): Promise<Uint8Array> {
  const { key, certPem, certDer } = await authority.issue(identity);
  const signature = new Uint8Array(nodeSign('sha256', artifact, key));
  const entry = authority.log(hashedRekord(artifact, signature, certPem));
  return encodeUtf8(JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: encodeBase64(certDer) }, tlogEntries: [entry.bundleEntry] },
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(artifact).digest('base64') }, signature: encodeBase64(signature) },
  }));
}
