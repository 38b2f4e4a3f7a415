/** The work of `sigil digest`, loaded only when the command runs. */
import { formatReference, parseManifest, parsePlatformSpec, parseReference, selectPlatform } from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';

/** What `sigil digest --output json` prints. */
export interface DigestResult {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
}

/**
 * Resolves `reference` to its manifest digest (or its platform manifest's).
 * @throws ERR_OCI_REFERENCE_INVALID, ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_PLATFORM_NOT_FOUND, registry errors
 */
export async function runDigest(io: CliIo, text: string, opts: { platform?: string; allowInsecureRegistry?: boolean }): Promise<DigestResult> {
  const ref = parseReference(text);
  const platform = opts.platform === undefined ? undefined : parsePlatformSpec(opts.platform);
  const client = createCliRegistryClient(io, opts);
  if (!platform) {
    const head = await client.headManifest(ref, ref.identifier);
    return { reference: formatReference(ref), digest: head.digest, mediaType: head.mediaType };
  }
  const fetched = await client.getManifest(ref, ref.identifier);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  if (manifest.kind !== 'index') return { reference: formatReference(ref), digest: fetched.digest, mediaType: fetched.mediaType };
  const chosen = selectPlatform(manifest.manifests, platform);
  return { reference: formatReference(ref), digest: chosen.digest, mediaType: chosen.mediaType };
}
