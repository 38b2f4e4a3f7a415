/** The work of `sigil clean`, loaded only when the command runs. */
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import { UsageError } from '../../core/index.ts';
import { formatReference, formatRepository, parseReference, signatureTag, type Reference } from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';
import { ATTACHMENT_SUFFIX, ATTACHMENT_TYPES, parseTypeFlag, resolveImageDigest, type AttachmentType } from './attachments.ts';
import type { CleanFlags } from './clean.ts';

const WARNINGS: Readonly<Record<AttachmentType | 'all', string>> = {
  signature: 'this will remove all signatures from the image',
  attestation: 'this will remove all attestations from the image',
  sbom: 'this will remove all SBOMs from the image',
  all: 'this will remove all signatures, SBOMs and attestations from the image',
};

/**
 * Asks on the terminal unless --force; with neither, refuses since nobody can answer.
 * @throws ERR_USAGE without --force when stdin is not a terminal
 */
async function confirm(io: CliIo, type: AttachmentType | 'all', force: boolean): Promise<boolean> {
  if (force) return true;
  if (!io.terminal) throw new UsageError('ERR_USAGE', `${WARNINGS[type]}: refusing without confirmation since stdin is not a terminal; pass -f`);
  const answer = await io.terminal.readLine(`WARNING: ${WARNINGS[type]}\nAre you sure you would like to continue? [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** Deletes the manifest under `tag` by its digest (registries refuse deleting by tag); false when absent. */
async function removeTag(client: RegistryClient, ref: Reference, tag: string): Promise<boolean> {
  if (!(await client.hasManifest(ref, tag))) return false;
  const { digest } = await client.headManifest(ref, tag);
  await client.deleteManifest(ref, digest);
  return true;
}

/**
 * Removes the image's companion tags of `--type`, printing `Removed <tag> from <image>` for each.
 * @throws ERR_USAGE, ERR_OCI_MANIFEST_UNKNOWN (exit 11), registry errors (a registry that forbids deletes: ERR_OCI_UNSUPPORTED)
 */
export async function runClean(io: CliIo, image: string, flags: CleanFlags): Promise<void> {
  const type = parseTypeFlag<AttachmentType | 'all'>(flags.type, [...ATTACHMENT_TYPES, 'all']);
  const ref = parseReference(image);
  const client = createCliRegistryClient(io, flags);
  const digest = await resolveImageDigest(client, ref);
  if (!(await confirm(io, type, flags.force === true))) {
    io.stderr.write('not deleting\n');
    return;
  }
  for (const t of type === 'all' ? ATTACHMENT_TYPES : [type]) {
    const tag = signatureTag(digest, ATTACHMENT_SUFFIX[t]);
    if (await removeTag(client, ref, tag)) io.stderr.write(`Removed ${formatRepository(ref)}:${tag} from ${formatReference(ref)}\n`);
  }
}
