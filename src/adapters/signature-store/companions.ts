/**
 * Carrying an image's companions along with it: cosign's `sha256-<hex>.sig`, `.att` and `.sbom`
 * tags and every OCI 1.1 referrer (and referrers of those, a few levels deep), for the copied
 * manifest and (for an index) each child. Each companion is copied byte for byte like the image, so its digest (and the digest its subject
 * names) stays the same. On a destination without the referrers API the tag-schema index is
 * merged, never overwritten. A `.sig` or `.att` tag the destination already holds with other
 * content is merged too (its layers kept, the source's added), so signatures made at the
 * destination survive a re-sync; that merged manifest then has a digest of its own.
 */
import {
  parseManifest, referencedManifests, signatureTag, withDigest, withTag,
  type Descriptor, type SignatureTagSuffix,
} from '../../oci/index.ts';
import {
  addToReferrersTagIndex, copyImage, type CopyOptions, type FetchedManifest, type RegistryClient, type RepositoryRef,
} from '../registry-client/index.ts';
import { mergeTaggedLayers } from './merge.ts';

/** What can be carried: the three cosign tags and the referrers. */
export type CompanionKind = SignatureTagSuffix | 'referrers';

/** Every companion kind, the default of a copy. */
export const COMPANION_KINDS: readonly CompanionKind[] = ['sig', 'att', 'sbom', 'referrers'];

/** One companion carried to the destination. */
export interface CarriedCompanion {
  /** `sig`, `att`, `sbom` (a cosign tag) or `referrer` */
  readonly kind: SignatureTagSuffix | 'referrer';
  /** the digest it belongs to */
  readonly subject: string;
  /** the companion manifest's digest, the same at both ends (unless `merged`) */
  readonly digest: string;
  /** the tag it was written under, for the cosign kinds */
  readonly tag?: string;
  readonly artifactType?: string;
  /** true when the destination's tag held other layers and the source's were merged into it */
  readonly merged?: boolean;
}

/** The digests whose companions travel: the copied manifest and, for an index, its children. */
export function companionSubjects(root: FetchedManifest): readonly string[] {
  const parsed = parseManifest(root.bytes, root.mediaType);
  return [root.digest, ...referencedManifests(parsed).map((d) => d.digest)];
}

/**
 * Copies the companions of `subjects` from `source` to `destination` (same or another registry).
 * @throws registry errors; a companion that does not exist is skipped
 */
export async function copyCompanions(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, subjects: readonly string[], kinds: readonly CompanionKind[], options: CopyOptions = {}): Promise<readonly CarriedCompanion[]> {
  const carried: CarriedCompanion[] = [];
  for (const subject of subjects) {
    for (const kind of kinds) {
      if (kind === 'referrers') carried.push(...await copyReferrers(client, source, destination, subject, options));
      else {
        const one = await copyTagged(client, source, destination, subject, kind, options);
        if (one) carried.push(one);
      }
    }
  }
  return carried;
}

async function copyTagged(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, subject: string, kind: SignatureTagSuffix, options: CopyOptions): Promise<CarriedCompanion | undefined> {
  const tag = signatureTag(subject, kind);
  if (!(await client.hasManifest(source, tag))) return undefined;
  const { platform: _ignored, ...rest } = options;
  if (kind !== 'sbom' && await client.hasManifest(destination, tag)) {
    const [from, to] = await Promise.all([client.headManifest(source, tag), client.headManifest(destination, tag)]);
    if (from.digest !== to.digest) {
      return { kind, subject, digest: await mergeTaggedLayers(client, source, destination, subject, kind), tag, merged: true };
    }
  }
  const result = await copyImage(client, withTag(source, tag), withTag(destination, tag), rest);
  return { kind, subject, digest: result.digest, tag };
}

/** How deep referrers of referrers are followed (a signature on an SBOM referrer is depth 2). */
const MAX_REFERRER_DEPTH = 4;

/** Copies the referrers of `subject`, then theirs, breadth first, each manifest once. */
async function copyReferrers(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, subject: string, options: CopyOptions): Promise<readonly CarriedCompanion[]> {
  const carried: CarriedCompanion[] = [];
  const seen = new Set<string>([subject]);
  let level = [subject];
  for (let depth = 0; depth < MAX_REFERRER_DEPTH && level.length > 0; depth += 1) {
    const next: string[] = [];
    for (const s of level) {
      for (const d of await copyReferrersOf(client, source, destination, s, seen, options)) {
        carried.push({ kind: 'referrer', subject: s, digest: d.digest, ...(d.artifactType !== undefined ? { artifactType: d.artifactType } : {}) });
        next.push(d.digest);
      }
    }
    level = next;
  }
  return carried;
}

/** Copies the direct referrers of `subject` not yet `seen` and indexes them at the destination. */
async function copyReferrersOf(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, subject: string, seen: Set<string>, options: CopyOptions): Promise<readonly Descriptor[]> {
  const listed = await client.listReferrers(source, subject);
  const { platform: _ignored, ...rest } = options;
  const copied: Descriptor[] = [];
  for (const d of listed.manifests) {
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    await copyImage(client, withDigest(source, d.digest), withDigest(destination, d.digest), rest);
    copied.push(d);
  }
  if (copied.length > 0) await addToReferrersTagIndex(client, destination, subject, copied);
  return copied;
}
