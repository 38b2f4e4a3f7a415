/** The work of `sigil download signature`, loaded only when the command runs. */
import { findSignatures, type FoundSignature } from '../../adapters/signature-store/index.ts';
import { NotFoundError, decodePem, encodeBase64, isAppError } from '../../core/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN, ANNOTATION_RFC3161, ANNOTATION_SIGNATURE, parseReference,
} from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient, type RegistryFlags } from '../registry.ts';
import { resolveImageDigest } from './attachments.ts';

/** A certificate as Go's encoding/json writes x509.Certificate, reduced to its `Raw` DER. */
export interface GoCertificate {
  readonly Raw: string;
}

/** One line of `sigil download signature`: cosign's `SignedPayload` fields, in its order. */
export interface SignedPayload {
  readonly Base64Signature: string;
  readonly Payload: string;
  readonly Cert: GoCertificate | null;
  readonly Chain: readonly GoCertificate[] | null;
  readonly Bundle: unknown;
  readonly RFC3161Timestamp: unknown;
}

function certificates(pem: string | undefined): readonly GoCertificate[] | null {
  if (pem === undefined || pem.trim() === '') return null;
  return decodePem(pem).map((b) => ({ Raw: encodeBase64(b.der) }));
}

function jsonAnnotation(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try { return JSON.parse(text) as unknown; } catch { return null; }
}

/** Turns one found signature layer into cosign's download line. */
export function toSignedPayload(found: FoundSignature): SignedPayload {
  if (isAppError(found.payload)) throw found.payload;
  const a = found.layer.annotations;
  return {
    Base64Signature: a[ANNOTATION_SIGNATURE] ?? '',
    Payload: encodeBase64(found.payload),
    Cert: certificates(a[ANNOTATION_CERTIFICATE])?.[0] ?? null,
    Chain: certificates(a[ANNOTATION_CHAIN]),
    Bundle: jsonAnnotation(a[ANNOTATION_BUNDLE]),
    RFC3161Timestamp: jsonAnnotation(a[ANNOTATION_RFC3161]),
  };
}

/**
 * Every signature of `image`: the `.sig` tag's layers, then cosign signature referrers.
 * @throws ERR_VERIFY_NO_SIGNATURES (exit 10), ERR_OCI_MANIFEST_UNKNOWN (exit 11), registry errors
 */
export async function runDownloadSignature(io: CliIo, image: string, flags: RegistryFlags): Promise<readonly SignedPayload[]> {
  const ref = parseReference(image);
  const client = createCliRegistryClient(io, flags);
  const digest = await resolveImageDigest(client, ref);
  const found = await findSignatures(client, ref, digest);
  if (found.length === 0) throw new NotFoundError('ERR_VERIFY_NO_SIGNATURES', `no signatures associated with ${image}`);
  return found.map(toSignedPayload);
}
