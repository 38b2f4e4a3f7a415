/** The work of `sigil download attestation`, loaded only when the command runs. */
import { findAttestations, type FoundSignature } from '../../adapters/signature-store/index.ts';
import { NotFoundError, decodeUtf8, isAppError } from '../../core/index.ts';
import { parseManifest, parsePlatformSpec, parsePredicateType, parseReference, selectPlatform } from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient, type RegistryFlags } from '../registry.ts';
import { resolveImageDigest } from './attachments.ts';

/** The flags of `sigil download attestation`. */
export interface DownloadAttestationFlags extends RegistryFlags {
  readonly platform?: string;
  readonly predicateType?: string;
}

/** The statement's predicateType inside a stored DSSE envelope; undefined when it has none. */
function predicateTypeOf(envelope: Uint8Array): string | undefined {
  try {
    const env = JSON.parse(decodeUtf8(envelope)) as { payload?: unknown };
    if (typeof env.payload !== 'string') return undefined;
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicateType?: unknown };
    return typeof statement.predicateType === 'string' ? statement.predicateType : undefined;
  } catch {
    return undefined;
  }
}

function envelopeOf(found: FoundSignature): Uint8Array {
  if (isAppError(found.payload)) throw found.payload;
  return found.payload;
}

/**
 * Every attestation envelope of `image` (of `--platform` out of an index), one JSON text each, as
 * cosign prints them; with --predicate-type (a cosign short name or a URI) only those of that type.
 * @throws ERR_VERIFY_NO_ATTESTATIONS (exit 10), ERR_OCI_MANIFEST_UNKNOWN (11), ERR_OCI_PLATFORM_NOT_FOUND, ERR_ATTEST_PREDICATE_TYPE_INVALID, registry errors
 */
export async function runDownloadAttestation(io: CliIo, image: string, flags: DownloadAttestationFlags): Promise<readonly string[]> {
  const ref = parseReference(image);
  const wanted = flags.predicateType ? parsePredicateType(flags.predicateType) : undefined;
  const platform = flags.platform ? parsePlatformSpec(flags.platform) : undefined;
  const client = createCliRegistryClient(io, flags);
  let digest = await resolveImageDigest(client, ref);
  if (platform) {
    const fetched = await client.getManifest(ref, digest);
    const manifest = parseManifest(fetched.bytes, fetched.mediaType);
    if (manifest.kind === 'index') digest = selectPlatform(manifest.manifests, platform).digest;
  }
  const envelopes = (await findAttestations(client, ref, digest)).map(envelopeOf);
  const chosen = wanted === undefined ? envelopes : envelopes.filter((e) => predicateTypeOf(e) === wanted);
  if (chosen.length === 0) {
    throw new NotFoundError('ERR_VERIFY_NO_ATTESTATIONS', wanted === undefined ? 'found no attestations' : `no attestations with predicate type '${wanted}' found`);
  }
  return chosen.map((e) => decodeUtf8(e).trimEnd());
}
