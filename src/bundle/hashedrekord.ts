/**
 * What a signer sends to and keeps from a Rekor v1 log: the hashedrekord 0.0.1 proposed entry
 * (sigstore/rekor pkg/types/hashedrekord) and cosign's `dev.sigstore.cosign/bundle` annotation
 * value built from the logged entry (cosign pkg/oci/static, bundle.RekorBundle).
 */
import { encodeBase64, encodeUtf8, hashHex } from '../core/index.ts';
import type { RekorLogEntry } from './rekor-v1.ts';

/** A hashedrekord 0.0.1 proposed entry, field for field as Rekor's openapi names them. */
export interface HashedRekordProposal {
  readonly apiVersion: '0.0.1';
  readonly kind: 'hashedrekord';
  readonly spec: {
    readonly data: { readonly hash: { readonly algorithm: 'sha256'; readonly value: string } };
    readonly signature: { readonly content: string; readonly publicKey: { readonly content: string } };
  };
}

/**
 * Builds the proposed entry for a signature over `artifact` (hashed here with SHA-256) made by the
 * key or certificate in `publicKeyPem`. Requires `signatureBase64` to be standard base64.
 */
export function createHashedRekordProposal(artifact: Uint8Array, signatureBase64: string, publicKeyPem: string): HashedRekordProposal {
  return createHashedRekordProposalForDigest(hashHex('sha256', artifact), signatureBase64, publicKeyPem);
}

/** As createHashedRekordProposal, from a precomputed lower-case hex SHA-256 digest. */
export function createHashedRekordProposalForDigest(sha256Hex: string, signatureBase64: string, publicKeyPem: string): HashedRekordProposal {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256Hex } },
      signature: { content: signatureBase64, publicKey: { content: encodeBase64(encodeUtf8(publicKeyPem)) } },
    },
  };
}

/**
 * The compact JSON cosign stores as the `dev.sigstore.cosign/bundle` layer annotation: capitalised
 * outer keys, the Payload fields in Go struct order (body, integratedTime, logIndex, logID).
 * Requires the entry to carry its signedEntryTimestamp.
 */
export function encodeCosignBundleAnnotation(entry: RekorLogEntry & { readonly signedEntryTimestamp: Uint8Array }): string {
  return JSON.stringify({
    SignedEntryTimestamp: encodeBase64(entry.signedEntryTimestamp),
    Payload: { body: entry.bodyBase64, integratedTime: entry.integratedTime, logIndex: entry.logIndex, logID: entry.logId },
  });
}
