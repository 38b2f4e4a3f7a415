/**
 * cosign's tag schema for signatures stored beside an image: `sha256-<hex>.sig` (and `.att`,
 * `.sbom`), plus the bare `sha256-<hex>` tag of the OCI 1.1 referrers fallback index
 * (distribution-spec "Referrers Tag Schema").
 */
import { parseDigest } from '../core/index.ts';

/** Suffixes cosign appends to the digest tag. */
export type SignatureTagSuffix = 'sig' | 'att' | 'sbom';

/**
 * The referrers fallback tag of `digest`: `<alg>-<hex>`.
 * @throws ERR_OCI_DIGEST_INVALID
 */
export function referrersTag(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}`;
}

/**
 * cosign's tag for an attachment of `digest`: `<alg>-<hex>.<suffix>` (default `sig`).
 * @throws ERR_OCI_DIGEST_INVALID
 */
export function signatureTag(digest: string, suffix: SignatureTagSuffix = 'sig'): string {
  return `${referrersTag(digest)}.${suffix}`;
}
