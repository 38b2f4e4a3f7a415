/**
 * Sigstore bundle v0.1–v0.3 (sigstore/protobuf-specs `sigstore_bundle.proto`) as readonly types,
 * with bytes decoded and int64 strings turned into numbers (bigint where they can pass 2^53).
 */

/** The bundle versions sigil reads. */
export type BundleVersion = '0.1' | '0.2' | '0.3';

/** Media type producers must write for v0.3. */
export const BUNDLE_V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** A log's identity inside a bundle entry. */
export interface LogId {
  readonly keyId: Uint8Array;
}

/** An inclusion proof in bundle form (hashes as bytes, checkpoint as its signed note). */
export interface BundleInclusionProof {
  readonly logIndex: bigint;
  readonly rootHash: Uint8Array;
  readonly treeSize: bigint;
  readonly hashes: readonly Uint8Array[];
  /** absent in some v0.1 bundles */
  readonly checkpoint?: string;
}

/** One transparency log entry of a bundle. */
export interface TransparencyLogEntry {
  readonly logIndex: bigint;
  readonly logId: LogId;
  readonly kindVersion: { readonly kind: string; readonly version: string };
  /** unix seconds; 0 for Rekor v2 entries */
  readonly integratedTime: bigint;
  readonly inclusionPromise?: { readonly signedEntryTimestamp: Uint8Array };
  readonly inclusionProof?: BundleInclusionProof;
  /** the canonical body bytes (base64-decoded) */
  readonly canonicalizedBody: Uint8Array;
  /** the base64 text exactly as in the bundle (a v1 SET signs this text) */
  readonly canonicalizedBodyBase64: string;
}

/** The signer's material: a certificate chain (v0.1/v0.2), one certificate (v0.3) or a key hint. */
export type SignerMaterial =
  | { readonly kind: 'x509-chain'; readonly certificates: readonly Uint8Array[] }
  | { readonly kind: 'certificate'; readonly certificate: Uint8Array }
  | { readonly kind: 'public-key'; readonly hint: string };

/** What the bundle's verifier checks the content against. */
export interface VerificationMaterial {
  readonly signer: SignerMaterial;
  readonly tlogEntries: readonly TransparencyLogEntry[];
  /** DER TimeStampResp blobs */
  readonly rfc3161Timestamps: readonly Uint8Array[];
}

/** A signature over a message (the artifact). */
export interface MessageSignature {
  readonly kind: 'message';
  readonly messageDigest?: { readonly algorithm: string; readonly digest: Uint8Array };
  readonly signature: Uint8Array;
}

/** A DSSE envelope (exactly one signature). */
export interface DsseEnvelope {
  readonly kind: 'dsse';
  readonly payload: Uint8Array;
  readonly payloadType: string;
  readonly signatures: readonly { readonly sig: Uint8Array; readonly keyid: string }[];
}

/** A parsed bundle. */
export interface Bundle {
  readonly mediaType: string;
  readonly version: BundleVersion;
  readonly verificationMaterial: VerificationMaterial;
  readonly content: MessageSignature | DsseEnvelope;
}
