/**
 * cosign 2's legacy `sign-blob --bundle` file (cosign pkg/cosign LocalSignedPayload): the base64
 * signature, the signing certificate (base64 of its PEM; absent for a key) and the Rekor bundle,
 * which has the same shape as the `dev.sigstore.cosign/bundle` layer annotation.
 */
import { InputError, decodeUtf8, encodeBase64, encodeUtf8 } from '../core/index.ts';
import { encodeCosignBundleAnnotation } from './hashedrekord.ts';
import type { RekorLogEntry } from './rekor-v1.ts';

/** The parts of a legacy blob bundle a verifier needs. */
export interface CosignBlobBundle {
  readonly signatureBase64: string;
  /** base64 of the certificate PEM, when the signature was made with a certificate */
  readonly certBase64?: string;
  /** the `rekorBundle` member re-encoded as compact JSON, ready for the annotation verifier */
  readonly rekorBundle?: Uint8Array;
}

/**
 * Encodes the file as cosign 2 writes it: compact JSON in Go struct order
 * (base64Signature, cert, rekorBundle), empty members left out, no trailing newline.
 */
export function encodeCosignBlobBundle(
  signatureBase64: string,
  entry: (RekorLogEntry & { readonly signedEntryTimestamp: Uint8Array }) | undefined,
  certPem?: string,
): string {
  const cert = certPem === undefined ? '' : `,"cert":${JSON.stringify(encodeBase64(encodeUtf8(certPem)))}`;
  const rekor = entry === undefined ? '' : `,"rekorBundle":${encodeCosignBundleAnnotation(entry)}`;
  return `{"base64Signature":${JSON.stringify(signatureBase64)}${cert}${rekor}}`;
}

function bad(message: string): InputError {
  return new InputError('ERR_BUNDLE_INVALID', `legacy blob bundle: ${message}`);
}

/** Parses a legacy blob bundle. @throws ERR_BUNDLE_INVALID for anything but an object with a base64Signature string */
export function parseCosignBlobBundle(bytes: Uint8Array): CosignBlobBundle {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(bytes)); } catch { throw bad('not json'); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a json object');
  const top = json as Record<string, unknown>;
  const sig = top['base64Signature'];
  const cert = top['cert'];
  const rekor = top['rekorBundle'];
  if (typeof sig !== 'string' || sig === '') throw bad('base64Signature must be a non-empty string');
  if (cert !== undefined && typeof cert !== 'string') throw bad('cert must be a string');
  if (rekor !== undefined && rekor !== null && (typeof rekor !== 'object' || Array.isArray(rekor))) throw bad('rekorBundle must be an object');
  return {
    signatureBase64: sig,
    ...(typeof cert === 'string' && cert !== '' ? { certBase64: cert } : {}),
    ...(rekor ? { rekorBundle: encodeUtf8(JSON.stringify(rekor)) } : {}),
  };
}
