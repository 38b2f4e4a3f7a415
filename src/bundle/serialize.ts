/**
 * Writes a Sigstore bundle v0.3 (sigstore/protobuf-specs `sigstore_bundle.proto`) in protobuf
 * JSON as sigstore-go and sigstore-js write it: lowerCamelCase in proto field order, int64 as
 * decimal strings, bytes as padded base64, the single leaf `certificate` (v0.3 keyless) or the
 * `publicKey` hint of a long-lived key, and
 * each Rekor v1 entry with its promise (SET) and its inclusion proof with the checkpoint.
 */
import { InputError, decodeUtf8, encodeBase64, hashBytes } from '../core/index.ts';
import type { RekorLogEntry } from './rekor-v1.ts';
import { BUNDLE_V03_MEDIA_TYPE } from './types.ts';

/** The signed content: a signature over a message (the artifact) or a DSSE envelope. */
export type BundleContentInput =
  | { readonly kind: 'message'; readonly digestSha256: Uint8Array; readonly signature: Uint8Array }
  | { readonly kind: 'dsse'; readonly payloadType: string; readonly payload: Uint8Array; readonly signature: Uint8Array };

/** What a v0.3 bundle is made of: who signed (a certificate, or a key named by its hint), the entry, the content. */
export type BundleV03Input = {
  /** the log entry, as the log answered the upload; it must carry a SET and an inclusion proof */
  readonly tlogEntry: RekorLogEntry;
  readonly content: BundleContentInput;
} & (
  /** keyless: the signing certificate (the leaf only: v0.3 forbids a chain) */
  | { readonly certificateDer: Uint8Array }
  /** a long-lived key: the bundle names it by a hint, base64 of the SHA-256 of its SubjectPublicKeyInfo, as cosign writes it */
  | { readonly publicKeySpki: Uint8Array }
);

/** The kind and apiVersion a canonical Rekor body names. @throws ERR_BUNDLE_INVALID */
function kindVersionOf(body: Uint8Array): { kind: string; version: string } {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(body)); } catch { throw new InputError('ERR_BUNDLE_INVALID', 'the log entry body is not json'); }
  const kind = typeof json === 'object' && json !== null && 'kind' in json ? json.kind : undefined;
  const version = typeof json === 'object' && json !== null && 'apiVersion' in json ? json.apiVersion : undefined;
  if (typeof kind !== 'string' || typeof version !== 'string') throw new InputError('ERR_BUNDLE_INVALID', 'the log entry body names no kind and apiVersion');
  return { kind, version };
}

/**
 * A Rekor v1 entry as a bundle `TransparencyLogEntry` (research rekor-fulcio §2.11).
 * @throws ERR_BUNDLE_INVALID when the entry lacks its SET or inclusion proof, which v0.3 needs
 */
export function toBundleTlogEntry(entry: RekorLogEntry): Record<string, unknown> {
  const proof = entry.inclusionProof;
  if (!entry.signedEntryTimestamp || !proof) throw new InputError('ERR_BUNDLE_INVALID', `log entry ${entry.uuid} lacks the signed entry timestamp or inclusion proof a v0.3 bundle needs`);
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: encodeBase64(Buffer.from(entry.logId, 'hex')) },
    kindVersion: kindVersionOf(entry.body),
    integratedTime: String(entry.integratedTime),
    inclusionPromise: { signedEntryTimestamp: encodeBase64(entry.signedEntryTimestamp) },
    inclusionProof: {
      logIndex: String(proof.logIndex),
      rootHash: encodeBase64(proof.rootHash),
      treeSize: String(proof.treeSize),
      hashes: proof.hashes.map(encodeBase64),
      checkpoint: { envelope: proof.checkpoint },
    },
    canonicalizedBody: entry.bodyBase64,
  };
}

function contentJson(content: BundleContentInput): Record<string, unknown> {
  if (content.kind === 'message') {
    return { messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: encodeBase64(content.digestSha256) }, signature: encodeBase64(content.signature) } };
  }
  return {
    dsseEnvelope: {
      payload: encodeBase64(content.payload),
      payloadType: content.payloadType,
      signatures: [{ sig: encodeBase64(content.signature), keyid: '' }],
    },
  };
}

/** Encodes a bundle v0.3 as compact JSON. @throws ERR_BUNDLE_INVALID as toBundleTlogEntry */
export function encodeBundleV03(input: BundleV03Input): string {
  return JSON.stringify({
    mediaType: BUNDLE_V03_MEDIA_TYPE,
    verificationMaterial: {
      ...('certificateDer' in input
        ? { certificate: { rawBytes: encodeBase64(input.certificateDer) } }
        : { publicKey: { hint: encodeBase64(hashBytes('sha256', input.publicKeySpki)) } }),
      tlogEntries: [toBundleTlogEntry(input.tlogEntry)],
      timestampVerificationData: {},
    },
    ...contentJson(input.content),
  });
}
