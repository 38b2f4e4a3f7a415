/** The work of `sigil tree`, loaded only when the command runs. */
import type { RegistryClient, RepositoryRef } from '../../adapters/registry-client/index.ts';
import { formatReference, formatRepository, parseManifest, parseReference, signatureTag } from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient, type RegistryFlags } from '../registry.ts';
import { ATTACHMENT_SUFFIX, resolveImageDigest, type AttachmentType } from './attachments.ts';

/** One cosign tag of the image and its layers. */
export interface TreeTag {
  readonly type: AttachmentType;
  /** `registry/repository:sha256-<hex>.sig` */
  readonly reference: string;
  readonly digest: string;
  readonly layers: readonly string[];
}

/** One referrer of the image and its layers. */
export interface TreeReferrer {
  readonly artifactType: string;
  /** `registry/repository@sha256:…` */
  readonly reference: string;
  readonly digest: string;
  readonly layers: readonly string[];
}

/** What `sigil tree --output json` prints. */
export interface Tree {
  readonly reference: string;
  readonly digest: string;
  readonly tags: readonly TreeTag[];
  readonly referrers: readonly TreeReferrer[];
}

/** The order cosign tree lists the tags in. */
const TREE_ORDER: readonly AttachmentType[] = ['attestation', 'signature', 'sbom'];

const ICONS: Readonly<Record<AttachmentType, string>> = { signature: '🔐 Signatures', attestation: '💾 Attestations', sbom: '📦 SBOMs' };

async function layersOf(client: RegistryClient, repo: RepositoryRef, identifier: string): Promise<{ digest: string; layers: readonly string[] }> {
  const fetched = await client.getManifest(repo, identifier);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  const layers = manifest.kind === 'image' ? manifest.layers : manifest.manifests;
  return { digest: fetched.digest, layers: layers.map((l) => l.digest) };
}

/**
 * Lists the image's cosign tags and referrers.
 * @throws ERR_OCI_REFERENCE_INVALID, ERR_OCI_MANIFEST_UNKNOWN (exit 11), registry errors
 */
export async function runTree(io: CliIo, image: string, flags: RegistryFlags): Promise<Tree> {
  const ref = parseReference(image);
  const client = createCliRegistryClient(io, flags);
  const digest = await resolveImageDigest(client, ref);
  const tags: TreeTag[] = [];
  for (const type of TREE_ORDER) {
    const tag = signatureTag(digest, ATTACHMENT_SUFFIX[type]);
    if (!(await client.hasManifest(ref, tag))) continue;
    tags.push({ type, reference: `${formatRepository(ref)}:${tag}`, ...await layersOf(client, ref, tag) });
  }
  const referrers: TreeReferrer[] = [];
  for (const d of (await client.listReferrers(ref, digest)).manifests) {
    referrers.push({ artifactType: d.artifactType ?? '', reference: `${formatRepository(ref)}@${d.digest}`, ...await layersOf(client, ref, d.digest) });
  }
  return { reference: formatReference(ref), digest, tags, referrers };
}

/** cosign tree's text: a header, a branch per tag or referrer, a 🍒 line per layer. */
export function formatTree(tree: Tree): string {
  const lines = [`📦 Supply Chain Security Related artifacts for an image: ${tree.reference}`];
  if (tree.tags.length === 0 && tree.referrers.length === 0) {
    // cosign's wording, doubled word and odd line break included
    lines.push(`No Supply Chain Security Related Artifacts artifacts found for image ${tree.reference}`, ', start creating one with simply running$ sigil sign <img>');
  }
  for (const t of tree.tags) {
    lines.push(`└── ${ICONS[t.type]} for an image tag: ${t.reference}`, ...t.layers.map((l) => `   └── 🍒 ${l}`));
  }
  for (const r of tree.referrers) {
    lines.push(`└── 🔗 ${r.artifactType} artifacts via OCI referrer: ${r.reference}`, ...r.layers.map((l) => `   └── 🍒 ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
