/**
 * What triangulate, tree, download and clean share: cosign's `--type` names of the companion
 * tags and resolving the image a reference names to its digest.
 */
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import { UsageError } from '../../core/errors.ts';
import type { Reference, SignatureTagSuffix } from '../../oci/index.ts';

/** cosign's `--type` values for the companion tags. */
export type AttachmentType = 'signature' | 'attestation' | 'sbom';

/** The tag suffix of each attachment type. */
export const ATTACHMENT_SUFFIX: Readonly<Record<AttachmentType, SignatureTagSuffix>> = { signature: 'sig', attestation: 'att', sbom: 'sbom' };

/** Attachment types in cosign's order. */
export const ATTACHMENT_TYPES: readonly AttachmentType[] = ['signature', 'attestation', 'sbom'];

/**
 * Checks a `--type` value against `allowed`.
 * @throws ERR_USAGE
 */
export function parseTypeFlag<T extends string>(text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError('ERR_USAGE', `--type must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as T;
}

/**
 * The digest `ref` names: its own digest, else the tag's manifest digest (HEAD).
 * @throws ERR_OCI_MANIFEST_UNKNOWN (exit 11), registry errors
 */
export async function resolveImageDigest(client: RegistryClient, ref: Reference): Promise<string> {
  if (ref.digest !== undefined) return ref.digest;
  return (await client.headManifest(ref, ref.identifier)).digest;
}
