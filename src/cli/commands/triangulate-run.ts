/** The work of `sigil triangulate`, loaded only when the command runs. */
import { formatRepository, parseReference, signatureTag } from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';
import { ATTACHMENT_SUFFIX, ATTACHMENT_TYPES, parseTypeFlag, resolveImageDigest, type AttachmentType } from './attachments.ts';
import type { TriangulateFlags } from './triangulate.ts';

/**
 * `<registry>/<repository>:sha256-<hex>.sig` (or `.att`, `.sbom`; for `--type digest` the image by
 * digest, `<registry>/<repository>@sha256:<hex>`), as cosign prints it. A reference by digest needs no registry; a tag is resolved.
 * @throws ERR_USAGE, ERR_OCI_REFERENCE_INVALID, ERR_OCI_MANIFEST_UNKNOWN, registry errors
 */
export async function runTriangulate(io: CliIo, image: string, flags: TriangulateFlags): Promise<string> {
  const type = parseTypeFlag<AttachmentType | 'digest'>(flags.type, [...ATTACHMENT_TYPES, 'digest']);
  const ref = parseReference(image);
  const digest = await resolveImageDigest(createCliRegistryClient(io, flags), ref);
  if (type === 'digest') return `${formatRepository(ref)}@${digest}`;
  return `${formatRepository(ref)}:${signatureTag(digest, ATTACHMENT_SUFFIX[type])}`;
}
