/**
 * Reading what a cosign bundle annotation carries (its Payload and the logged Rekor entry body)
 * as untrusted JSON: any shape error is ERR_VERIFY_BUNDLE_INVALID. Shared by the signature layer
 * check (cosign-bundle.ts) and the attestation layer check (attestation-tlog.ts).
 */
import { VerificationError, decodeUtf8 } from '../core/index.ts';
import type { RekorLogEntry } from '../bundle/index.ts';

/** A JSON object as parsed, not yet checked. */
export type Json = Record<string, unknown>;

/** The error for a bundle annotation or logged body of the wrong shape. */
export function bundleInvalid(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_BUNDLE_INVALID', message);
}

/** `v` as a JSON object. @throws ERR_VERIFY_BUNDLE_INVALID naming `where` when it is not one */
export function bundleObject(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bundleInvalid(`${where} must be an object`);
  return v as Json;
}

/** The logged entry's body as a JSON object. @throws ERR_VERIFY_BUNDLE_INVALID */
export function parseLoggedBody(entry: RekorLogEntry): Json {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(entry.body)); } catch { throw bundleInvalid('the logged entry body is not json'); }
  return bundleObject(json, 'entry');
}
