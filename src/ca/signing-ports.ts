/**
 * What certificate issuing needs from outside, besides token verification (ports.ts, shared
 * with the identity side): the CA's signing key and a Certificate Transparency log that takes
 * precertificates. Kept apart from ports.ts so the two sides of the CA can grow independently.
 */

/** Signs with a CA key: ECDSA P-256 over SHA-256, ASN.1 DER signatures. */
export interface CaSigner {
  /** the DER SubjectPublicKeyInfo of the key */
  readonly spkiDer: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/** An RFC 6962 SCT as a CT log returns it (add-pre-chain's AddChainResponse, decoded). */
export interface IssuedSct {
  /** SHA-256 of the CT log's SPKI */
  readonly logId: Uint8Array;
  readonly timestampMs: bigint;
  readonly extensions: Uint8Array;
  /** the TLS DigitallySigned struct: hash algorithm, signature algorithm, u16 length, signature */
  readonly signature: Uint8Array;
}

/** Submits a precertificate chain (precert first, root last, DER) to a CT log. */
export type PrecertificateLogger = (chainDer: readonly Uint8Array[]) => Promise<IssuedSct>;
