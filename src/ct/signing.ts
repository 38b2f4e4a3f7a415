/**
 * The CT log's signatures (RFC 6962 §3.2, §3.5): SCTs over the timestamped entry and tree head
 * signatures, both TLS `DigitallySigned` structs with ECDSA (3) over SHA-256 (4).
 */
import { concatBytes, hashBytes } from '../core/index.ts';
import type { CtSigner } from './ports.ts';
import { encodeUint, encodeVector } from './tls.ts';

const HASH_SHA256 = 4;
const SIGNATURE_ECDSA = 3;

/** The log ID: SHA-256 of the log key's DER SPKI. */
export function logIdOf(signer: { readonly spkiDer: Uint8Array }): Uint8Array {
  return hashBytes('sha256', signer.spkiDer);
}

/** Signs `data` and wraps the signature as a TLS DigitallySigned. */
export function signDigitally(signer: CtSigner, data: Uint8Array): Uint8Array {
  return concatBytes([encodeUint(HASH_SHA256, 1), encodeUint(SIGNATURE_ECDSA, 1), encodeVector(signer.sign(data), 2)]);
}

/** The TreeHeadSignature input: version 0, signature type tree_hash (1), timestamp, size, root. */
export function encodeTreeHeadInput(timestampMs: number, treeSize: number, rootHash: Uint8Array): Uint8Array {
  return concatBytes([encodeUint(0, 1), encodeUint(1, 1), encodeUint(timestampMs, 8), encodeUint(treeSize, 8), rootHash]);
}
